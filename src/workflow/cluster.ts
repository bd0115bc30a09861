/**
 * The cluster's public part: workers, and the listing and removal of runs kept in Redis. The queue's
 * libraries load on first use, so importing layerwise does not load them.
 */
import type { ClusterWorker, ClusterWorkerOptions } from './cluster-worker.js';
import type { ClusterAdminOptions, ClusterRunSummary, ClusterTaskRecord } from './cluster-runs.js';

export type { ClusterOptions } from './cluster-options.js';
export type { ClusterWorker, ClusterWorkerOptions, ClusterWorkerEvent } from './cluster-worker.js';
export type { ClusterAdminOptions, ClusterRunSummary, ClusterTaskRecord } from './cluster-runs.js';

/** Starts taking tasks from the queue at `url`; what `layerwise worker` runs. */
export async function startClusterWorker(url: string, options: ClusterWorkerOptions): Promise<ClusterWorker> {
  return (await import('./cluster-worker.js')).startClusterWorker(url, options);
}

/** The runs Redis holds, with how many of their tasks are done, failed, running and waiting. */
export async function listClusterRuns(url: string, options: ClusterAdminOptions = {}): Promise<ClusterRunSummary[]> {
  return (await import('./cluster-runs.js')).listClusterRuns(url, options);
}

/** Every task of a run: its state, the worker that ran it, how long it took, its attempts and its scores or error. */
export async function clusterRunTasks(url: string, name: string, options: ClusterAdminOptions = {}): Promise<ClusterTaskRecord[]> {
  return (await import('./cluster-runs.js')).clusterRunTasks(url, name, options);
}

/** Removes a run's jobs, results and data from Redis (running tasks stay until they end). */
export async function removeClusterRun(url: string, name: string, options: ClusterAdminOptions = {}): Promise<{ removed: number; running: number }> {
  return (await import('./cluster-runs.js')).removeClusterRun(url, name, options);
}
