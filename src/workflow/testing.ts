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
