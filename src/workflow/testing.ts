/**
 * Small model factories and scorers for the workflow's tests, exported from a module so worker threads
 * can import them by URL (functions cannot be sent to a worker).
 */
import { StandardScaler } from '../data/index.js';
import { Dense, Dropout } from '../layers/index.js';
import { rocAucScore } from '../metrics/index.js';
import { Sequential } from '../models/index.js';
import { SGD } from '../optimizers/index.js';
import type { Tensor } from '../tensor/tensor.js';

/** A tiny classifier of 4 features into 3 classes. */
export function buildClassifier(params?: { units?: number; learningRate?: number }): Sequential {
  const model = new Sequential([
    new Dense({ units: params?.units ?? 8, activation: 'relu', inputShape: [4] }),
    new Dropout({ rate: 0.1 }),
    new Dense({ units: 3, activation: 'softmax' }),
  ]);
  model.compile({ optimizer: new SGD({ learningRate: params?.learningRate ?? 0.1 }), loss: 'sparse_categorical_crossentropy', metrics: ['accuracy'] });
  return model;
}

export const preprocess = new StandardScaler();

/** Mean one-vs-rest ROC AUC of the class scores. */
export const scoring = { auc: (yTrue: Tensor, yPred: Tensor) => rocAucScore(yTrue, yPred) };

export const notAFunction = 42;

/** Ends the worker thread that builds it with `exit` as its code (a trial that kills its worker); builds the classifier otherwise. */
export function buildOrExit(params: { units?: number; exit?: number | null }): Sequential {
  if (typeof params.exit === 'number') process.exit(params.exit);
  return buildClassifier(params);
}

/** Throws for `units` 3 (a trial that fails); builds the classifier otherwise. */
export function buildOrThrow(params: { units?: number; learningRate?: number }): Sequential {
  if (params.units === 3) throw new RangeError('this factory cannot build 3 units');
  return buildClassifier(params);
}
