/**
 * One unit of evaluation work: build a fresh model from the factory, fit the preprocessing on the
 * training part only, train, and score on the held-out part. Cross-validation runs one per fold and a
 * search one per trial and fold, in this thread or in worker threads (the same code either way).
 */
import type { Transformer } from '../data/index.js';
import { takeRows } from '../data/index.js';
import type { FitOptions } from '../models/index.js';
import { Model } from '../models/index.js';
import type { Tensor } from '../tensor/tensor.js';
import { ValueError, describe } from '../util/errors.js';
import { rng } from '../util/random.js';
import type { ModuleExport } from './module-export.js';
import { isModuleExport, resolveExport } from './module-export.js';

/** Builds a new, compiled model; search passes the trial's hyperparameters. */
export type ModelFactory<P = undefined> = (params: P) => Model | Promise<Model>;

/** A score of the held-out part from its labels and the model's predictions (e.g. rocAucScore). */
export type Scorer = (yTrue: Tensor, yPred: Tensor) => number;

/** A preprocessing step (cloned unfitted for each fold) or a function that makes a new one. */
export type Preprocess = Transformer | (() => Transformer);

/**
 * fit's options for a fold. The held-out part is the validation data (so each fold's History has its
 * validation curve), and sample weights would not follow the fold's rows, so neither can be given.
 */
export type FoldFitOptions = Omit<FitOptions, 'validationData' | 'validationSplit' | 'sampleWeight' | 'resumeFrom' | 'initialEpoch'>;

/** What the evaluation runs: each part given directly, or as a module export (required for workers). */
export interface ExperimentOptions<P> {
  buildModel: ModelFactory<P> | ModuleExport;
  /** Fitted on each training part only, then applied to both parts. */
  preprocess?: Preprocess | ModuleExport;
  /** Extra scores of the held-out part, next to the loss and the compiled metrics. */
  scoring?: Readonly<Record<string, Scorer>> | ModuleExport;
  /** fit's options for every model (verbose defaults to 0). */
  fit?: FoldFitOptions;
}

export interface ResolvedExperiment<P> {
  buildModel: ModelFactory<P>;
  preprocess: Preprocess | null;
  scoring: Readonly<Record<string, Scorer>>;
  fit: FoldFitOptions;
}

export interface FoldTask<P> {
  params: P;
  train: Int32Array;
  test: Int32Array;
  /** The generator is seeded with this before the fold, so its result does not depend on where it runs. */
  seed: number;
}

export interface FoldOutcome {
  /** The loss and compiled metrics of the final model on the held-out part, then the extra scores. */
  scores: Record<string, number>;
  /** The fold's History: training and validation (held-out) values per epoch. */
  history: Record<string, number[]>;
}

/** Imports what was given as module exports and checks the kinds of the parts. */
export async function resolveExperiment<P>(where: string, options: ExperimentOptions<P>): Promise<ResolvedExperiment<P>> {
  const resolve = async (v: unknown) => (isModuleExport(v) ? resolveExport(v, where) : v);
  const buildModel = await resolve(options.buildModel);
  if (typeof buildModel !== 'function') {
    throw new ValueError(`${where}: argument 'buildModel' expected a function that returns a compiled model, received ${describe(buildModel)}`);
  }
  const preprocess = (await resolve(options.preprocess)) ?? null;
  if (preprocess !== null && typeof preprocess !== 'function' && !isTransformer(preprocess)) {
    throw new ValueError(`${where}: option 'preprocess' expected a preprocessing step (fit, transform, clone) or a function returning one, received ${describe(preprocess)}`);
  }
  const scoring = (await resolve(options.scoring)) ?? {};
  if (typeof scoring !== 'object' || scoring === null || !Object.values(scoring).every((f) => typeof f === 'function')) {
    throw new ValueError(`${where}: option 'scoring' expected an object of functions (yTrue, yPred) => number, received ${describe(scoring)}`);
  }
  const fit = options.fit ?? {};
  for (const banned of ['validationData', 'validationSplit', 'sampleWeight', 'resumeFrom', 'initialEpoch']) {
    if (banned in fit) throw new ValueError(`${where}: fit option '${banned}' cannot be used here: each fold validates on its held-out part`);
  }
  return { buildModel: buildModel as ModelFactory<P>, preprocess: preprocess as Preprocess | null, scoring: scoring as Record<string, Scorer>, fit };
}

export async function runFold<P>(where: string, experiment: ResolvedExperiment<P>, x: Tensor, y: Tensor, task: FoldTask<P>): Promise<FoldOutcome> {
  rng().seed(task.seed);
  let xTrain = takeRows(x, task.train), xTest = takeRows(x, task.test);
  const yTrain = takeRows(y, task.train), yTest = takeRows(y, task.test);
  if (experiment.preprocess) {
    const step = typeof experiment.preprocess === 'function' ? experiment.preprocess() : experiment.preprocess.clone();
    step.fit(xTrain);
    xTrain = step.transform(xTrain);
    xTest = step.transform(xTest);
  }
  const model = await experiment.buildModel(task.params);
  if (!(model instanceof Model) || model.loss === null) {
    throw new ValueError(`${where}: buildModel expected to return a new compiled model (call compile in the factory), received ${model instanceof Model ? `${model.label}, not compiled` : describe(model)}`);
  }
  const history = await model.fit(xTrain, yTrain, { verbose: 0, ...experiment.fit, validationData: [xTest, yTest] });
  // evaluate returns [loss, ...metrics] in the order fit logged them as val_*.
  const names = Object.keys(history.history).filter((k) => k.startsWith('val_')).map((k) => k.slice(4));
  const values = await model.evaluate(xTest, yTest, { verbose: 0 });
  const scores: Record<string, number> = Object.fromEntries(names.map((name, i) => [name, values[i]!]));
  const entries = Object.entries(experiment.scoring);
  if (entries.length > 0) {
    const yPred = await model.predict(xTest);
    for (const [name, score] of entries) scores[name] = score(yTest, yPred);
  }
  return { scores, history: history.history };
}

function isTransformer(v: unknown): v is Transformer {
  return typeof v === 'object' && v !== null && ['fit', 'transform', 'clone'].every((m) => typeof (v as Record<string, unknown>)[m] === 'function');
}
