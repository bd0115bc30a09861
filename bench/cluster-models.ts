/**
 * The model the cluster benchmark's workers build (they import it by its path, from their allowed folder
 * dist/bench): a multilayer perceptron that, on 3072 samples for 20 epochs, costs about a second a trial on one thread, so the
 * search is bound by computation, not by the queue.
 */
import { Dense, SGD, Sequential } from '../src/index.js';

export function buildMlp(params: { learningRate: number }): Sequential {
  const model = new Sequential([
    new Dense({ units: 256, activation: 'relu', inputShape: [64] }),
    new Dense({ units: 256, activation: 'relu' }),
    new Dense({ units: 10, activation: 'softmax' }),
  ]);
  model.compile({ optimizer: new SGD({ learningRate: params.learningRate }), loss: 'sparse_categorical_crossentropy', metrics: ['accuracy'] });
  return model;
}

/** A trivial model: a job that costs next to nothing, to time the queue itself. */
export function buildTiny(): Sequential {
  const model = new Sequential([new Dense({ units: 2, activation: 'softmax', inputShape: [4] })]);
  model.compile({ optimizer: 'sgd', loss: 'sparse_categorical_crossentropy' });
  return model;
}
