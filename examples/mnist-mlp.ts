/**
 * What the workflow and overfitting examples share: MNIST as vectors of 784 pixels, a configurable
 * multilayer perceptron (exported, so worker threads can import it by URL), and the printing of
 * validation curves.
 */
import type { History, Tensor } from '../src/index.js';
import { Dense, DropConstantFeatures, Dropout, FunctionTransformer, Pipeline, Sequential, datasets, formatTable, regularizers } from '../src/index.js';

export interface MnistVectors {
  /** Raw pixels 0–255 as float32 [n, 784], and digit labels [n]. */
  xTrain: Tensor;
  yTrain: Tensor;
  xTest: Tensor;
  yTest: Tensor;
}

/** The first `trainCount` training images and `testCount` test images, flattened. */
export function mnistVectors(trainCount: number, testCount: number): MnistVectors {
  const { train, test } = datasets.mnist.loadData();
  const flat = (x: Tensor, n: number) => x.slice([0, 0, 0], [n, 28, 28]).reshape([n, 784]).cast('float32');
  return { xTrain: flat(train.x, trainCount), yTrain: train.y.slice([0], [trainCount]), xTest: flat(test.x, testCount), yTest: test.y.slice([0], [testCount]) };
}

/**
 * Pixels to [0, 1], after dropping the pixels that are blank in every training image (they carry
 * nothing; the model doctor points them out). Cloned and fitted on each training part.
 */
export const pixelPipeline = new Pipeline([new DropConstantFeatures(), new FunctionTransformer((x) => x.div(255))]);

export interface MlpParams {
  /** Units of each hidden layer (default 512). */
  units?: number;
  /** Hidden layers (default 2). */
  layers?: number;
  /** Dropout rate after each hidden layer (default 0: none). */
  dropout?: number;
  /** L2 factor on every kernel (default 0: none). */
  l2?: number;
}

/** A new compiled MLP classifier of the 10 digits; the input size comes from the first data it sees. */
export function buildMlp(params: MlpParams = {}): Sequential {
  const model = new Sequential();
  for (let i = 0; i < (params.layers ?? 2); i++) {
    model.add(new Dense({ units: params.units ?? 512, activation: 'relu', ...(params.l2 ? { kernelRegularizer: regularizers.l2(params.l2) } : {}) }));
    if (params.dropout) model.add(new Dropout({ rate: params.dropout }));
  }
  model.add(new Dense({ units: 10, activation: 'softmax' }));
  model.compile({ optimizer: 'rmsprop', loss: 'sparse_categorical_crossentropy', metrics: ['accuracy'] });
  return model;
}

/** Training and validation loss per epoch, one pair of columns per run. */
export function curvesTable(runs: Readonly<Record<string, History>>): string {
  const names = Object.keys(runs);
  const epochs = Math.max(...names.map((n) => runs[n]!.epoch.length));
  const header = ['epoch', ...names.flatMap((n) => [`${n} loss`, 'val_loss'])];
  const rows = Array.from({ length: epochs }, (_, e) => [e + 1, ...names.flatMap((n) => [runs[n]!.history['loss']![e] ?? '', runs[n]!.history['val_loss']![e] ?? ''])]);
  return formatTable(header, rows.map(([epoch, ...values]) => [epoch!, ...values.map((v) => (typeof v === 'number' ? v.toFixed(3) : v))]));
}

/** For each run: its best epoch by validation loss, where overfitting started, and the last validation accuracy. */
export function curvesSummary(runs: Readonly<Record<string, { history: History; params: number }>>): string {
  return formatTable(
    ['model', 'parameters', 'best epoch', 'best val_loss', 'overfitting from', 'last val_loss', 'last val_accuracy'],
    Object.entries(runs).map(([name, { history, params }]) => {
      const best = history.bestEpoch()!;
      const start = history.overfittingStart();
      const last = (key: string) => history.history[key]!.at(-1)!;
      return [name, params, best.epoch + 1, best.value, start === null ? 'no' : `epoch ${start + 1}`, last('val_loss'), last('val_accuracy')];
    }),
  );
}
