/**
 * Level 7: the universal workflow. Evaluation protocols (hold-out, K-fold, iterated K-fold), baselines,
 * cross-validation and hyperparameter search over a model factory. Worker threads are loaded only when
 * asked for (worker-pool.ts), and the Redis queue's libraries only for `cluster` runs and workers (cluster-*.ts).
 */
export * from './splits.js';
export * from './baselines.js';
export * from './cross-validate.js';
export * from './search.js';
export * from './table.js';
export { moduleExport } from './module-export.js';
export type { ModuleExport } from './module-export.js';
export type { ModelFactory, Scorer, Preprocess, FoldFitOptions, ExperimentOptions, FoldOutcome } from './fold-task.js';
export type { ParallelOptions } from './run-tasks.js';
export type { TaskProgress } from './task-tracker.js';
export { startClusterWorker, listClusterRuns, clusterRunTasks, removeClusterRun } from './cluster.js';
export type {
  ClusterOptions, ClusterWorker, ClusterWorkerOptions, ClusterWorkerEvent, ClusterAdminOptions, ClusterRunSummary, ClusterTaskRecord,
} from './cluster.js';
