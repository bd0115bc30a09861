/**
 * The loops of a model, apart from what it is (as Keras 3 keeps its Trainer apart from Model): fit is one
 * short loop over epochs and batches around the overridable `trainStep`, with callbacks; evaluate and
 * predict run batches without training. Model (model.ts) extends this class and provides the graph,
 * the weights and the compiled setup it reads.
 */
import { batchRanges, sliceRows } from '../data/index.js';
import type { BaseLayer, CallOptions, LayerShape } from '../layers/index.js';
import { getMask } from '../layers/index.js';
import type { Loss } from '../losses/index.js';
import { computeLoss } from '../losses/index.js';
import type { MetricIdentifier } from '../metrics/index.js';
import * as ops from '../ops/index.js';
import type { Optimizer } from '../optimizers/index.js';
import type { TensorLike } from '../tensor/creation.js';
import { toTensor } from '../tensor/creation.js';
import { noGrad, variableGrads } from '../tensor/tape.js';
import type { Tensor } from '../tensor/tensor.js';
import type { Variable } from '../tensor/variable.js';
import { NumericsError, ShapeError, ValueError, describe } from '../util/errors.js';
import { yieldToEventLoop } from '../util/event-loop.js';
import type { ArrayData, Batch } from './array-data.js';
import { checkInputShape, checkLabels, classWeightsToSampleWeights, epochOrder, sliceBatch, splitForValidation, takeBatch, toArrayData } from './array-data.js';
import type { Logs, TrainingParams, TrainingTarget } from './callbacks/callback.js';
import { CallbackList } from './callbacks/callback.js';
import { History } from './callbacks/history.js';
import { ProgressBar, ProgressLine, standardOutput } from './callbacks/progress-bar.js';
import type { EvaluateOptions, FitOptions, PredictOptions } from './options.js';
import { positiveInteger, verbosity } from './options.js';
import { ResumeFrom } from './saving/resume.js';
import { MetricsTracker } from './tracker.js';

/** What compile() chose: what the loops train with. */
export interface Compiled {
  optimizer: Optimizer;
  loss: Loss;
  metrics: readonly MetricIdentifier[];
  tracker: MetricsTracker;
}

export abstract class Trainer implements TrainingTarget {
  /** Set to true (by a callback) to end fit after the current batch. */
  stopTraining = false;
  /** The History of the last fit. */
  history: History | null = null;

  /** `Sequential 'sequential'`: how messages name the model. */
  abstract get label(): string;
  abstract get layers(): BaseLayer[];
  abstract get trainableWeights(): Variable[];
  /** [null, ...sample shape] once known. */
  abstract get inputShape(): LayerShape | null;
  abstract get outputShape(): LayerShape | null;
  abstract get optimizer(): Optimizer | null;
  abstract getWeights(): Tensor[];
  abstract setWeights(values: readonly Tensor[]): void;
  /** The model's computation on a batch. */
  abstract call(x: Tensor, options?: CallOptions): Tensor;
  /** Builds the layers for inputs of this shape (Sequential models without an input shape build here). */
  protected abstract buildFor(xShape: readonly number[]): void;
  /** The compiled setup; throws, naming `where`, when compile() was not called. */
  protected abstract compiled(where: string): Compiled;
  /** Runs the model doctor's checks of the training data and warns about what they find. */
  protected abstract checkTrainingData(train: ArrayData, validationSplit: ArrayData | null): void;

  /** Trains for `epochs` over (x, y); resolves to the History of every epoch's logs. */
  async fit(x: TensorLike, y: TensorLike, options: FitOptions = {}): Promise<History> {
    const setup = this.compiled('fit');
    const epochs = positiveInteger('fit', 'epochs', options.epochs ?? 1);
    const batchSize = positiveInteger('fit', 'batchSize', options.batchSize ?? 32);
    const verbose = verbosity('fit', options.verbose ?? 1, [0, 1, 2]);
    if (options.resumeFrom !== undefined && options.initialEpoch !== undefined) throw new ValueError(`fit: give either 'resumeFrom' or 'initialEpoch', not both`);
    const [train, validation] = this.#fitData(x, y, options);
    this.checkTrainingData(train, options.validationSplit !== undefined ? validation : null);
    const ranges = batchRanges(train.size, batchSize);
    const history = new History();
    const callbacks = new CallbackList([
      // Restores the checkpoint first, so the other callbacks start from the run it continues.
      ...(options.resumeFrom !== undefined ? [new ResumeFrom(options.resumeFrom)] : []),
      ...(verbose > 0 ? [new ProgressBar()] : []),
      ...(options.callbacks ?? []),
      history,
    ]);
    const params: TrainingParams = { epochs, initialEpoch: options.initialEpoch ?? 0, steps: ranges.length, samples: train.size, batchSize, verbose };
    this.history = history;
    this.stopTraining = false;
    callbacks.setContext(this, params);
    let logs: Logs = {};
    try {
      await callbacks.call('onTrainBegin', {});
      for (let epoch = params.initialEpoch; epoch < epochs && !this.stopTraining; epoch++) {
        await callbacks.call('onEpochBegin', epoch, {});
        setup.tracker.reset();
        const order = epochOrder(train, options.shuffle ?? true);
        for (const [batch, [start, end]] of ranges.entries()) {
          await callbacks.call('onBatchBegin', batch, {});
          logs = this.trainStep(takeBatch(train, order, start, end));
          if (!Number.isFinite(logs['loss'])) throw this.#lossNotFinite(logs['loss']!, epoch, epochs, batch, ranges.length, [start, end]);
          await callbacks.call('onBatchEnd', batch, logs);
          await yieldToEventLoop();
          if (this.stopTraining) break;
        }
        if (validation) logs = { ...logs, ...prefixed('val_', await this.#evaluateData(validation, batchSize, 0)) };
        history.ending = { epoch, logs };
        await callbacks.call('onEpochEnd', epoch, logs);
      }
      await callbacks.call('onTrainEnd', logs);
    } finally {
      callbacks.close();
    }
    return history;
  }

  /** One optimization step on a batch; returns the running loss and metrics of the epoch. */
  trainStep(batch: Batch): Logs {
    const { optimizer, loss, tracker } = this.compiled('trainStep');
    let yPred!: Tensor;
    const { value, grads } = variableGrads(() => {
      yPred = this.#forward(batch.x, true);
      return this.#totalLoss(loss, batch, yPred);
    }, this.trainableWeights);
    optimizer.applyGradients(grads);
    tracker.update(value.item(), batch, yPred);
    return tracker.results();
  }

  /** Loss and metrics on a batch, without training. */
  testStep(batch: Batch, tracker: MetricsTracker): Logs {
    const { loss } = this.compiled('testStep');
    noGrad(() => {
      const yPred = this.#forward(batch.x, false);
      tracker.update(this.#totalLoss(loss, batch, yPred).item(), batch, yPred);
    });
    return tracker.results();
  }

  /** The loss and metrics on (x, y), in batches: `[loss, ...metrics]` as plain numbers. */
  async evaluate(x: TensorLike, y: TensorLike, options: EvaluateOptions = {}): Promise<number[]> {
    this.compiled('evaluate');
    const data = this.#checkedData('evaluate', x, y, options.sampleWeight);
    const batchSize = positiveInteger('evaluate', 'batchSize', options.batchSize ?? 32);
    const logs = await this.#evaluateData(data, batchSize, verbosity('evaluate', options.verbose ?? 1, [0, 1]));
    return Object.values(logs);
  }

  /** The model's outputs for x, computed in batches without recording gradients. */
  predict(x: TensorLike, options: PredictOptions = {}): Tensor {
    const xs = toTensor('predict', 'x', x);
    const batchSize = positiveInteger('predict', 'batchSize', options.batchSize ?? 32);
    if (xs.rank === 0) throw new ShapeError(`predict: argument 'x' expected samples along the first axis, received a scalar`);
    this.buildFor(xs.shape);
    checkInputShape('predict', this.label, xs, this.inputShape);
    const n = xs.shape[0]!;
    if (n === 0) throw new ValueError(`predict: argument 'x' holds no samples`);
    return noGrad(() => {
      const parts = batchRanges(n, batchSize).map(([start, end]) => this.#forward(sliceRows(xs, start, end), false));
      return parts.length === 1 ? parts[0]! : ops.concat(parts, 0);
    });
  }

  /** One training step on exactly this batch; returns `[loss, ...metrics]` for it. */
  trainOnBatch(x: TensorLike, y: TensorLike, options: { sampleWeight?: TensorLike; classWeight?: Readonly<Record<number, number>> } = {}): number[] {
    const setup = this.compiled('trainOnBatch');
    const data = this.#checkedData('trainOnBatch', x, y, options.sampleWeight, options.classWeight);
    setup.tracker.reset();
    return Object.values(this.trainStep(data));
  }

  /** The loss and metrics on exactly this batch: `[loss, ...metrics]`. */
  testOnBatch(x: TensorLike, y: TensorLike, options: { sampleWeight?: TensorLike } = {}): number[] {
    const setup = this.compiled('testOnBatch');
    const data = this.#checkedData('testOnBatch', x, y, options.sampleWeight);
    return Object.values(this.testStep(data, new MetricsTracker(setup.metrics)));
  }

  /** A forward pass; activity penalties of earlier passes are dropped first. */
  #forward(x: Tensor, training: boolean): Tensor {
    for (const layer of this.layers) layer.clearActivityLosses();
    return this.call(x, { training });
  }

  #totalLoss(loss: Loss, batch: Batch, yPred: Tensor): Tensor {
    const penalties = this.layers.flatMap((l) => l.regularizationLosses());
    return penalties.reduce((total, p) => ops.add(total, p), computeLoss(loss, batch.y, yPred, batch.sampleWeight, getMask(yPred)));
  }

  /** Converts and checks data against the model, building it first when its input shape was not known. */
  #checkedData(where: string, x: TensorLike, y: TensorLike, sampleWeight?: TensorLike, classWeight?: Readonly<Record<number, number>>): ArrayData {
    const data = toArrayData(where, x, y, sampleWeight);
    this.buildFor(data.x.shape);
    checkInputShape(where, this.label, data.x, this.inputShape);
    checkLabels(where, this.compiled(where).loss, data.y, this.outputShape);
    if (classWeight !== undefined) {
      if (data.sampleWeight) throw new ValueError(`${where}: give either 'sampleWeight' or 'classWeight', not both`);
      data.sampleWeight = classWeightsToSampleWeights(where, data.y, classWeight);
    }
    return data;
  }

  #fitData(x: TensorLike, y: TensorLike, options: FitOptions): [ArrayData, ArrayData | null] {
    const data = this.#checkedData('fit', x, y, options.sampleWeight, options.classWeight);
    if (options.validationData !== undefined && options.validationSplit !== undefined) {
      throw new ValueError(`fit: give either 'validationData' or 'validationSplit', not both`);
    }
    if (options.validationSplit !== undefined) return splitForValidation('fit', data, options.validationSplit);
    if (options.validationData !== undefined) {
      const v = options.validationData;
      if (!Array.isArray(v) || v.length < 2 || v.length > 3) {
        throw new ValueError(`fit: option 'validationData' expected [x, y] or [x, y, sampleWeight], received ${describe(v)}`);
      }
      return [data, this.#checkedData('fit (validationData)', v[0], v[1], v[2])];
    }
    return [data, null];
  }

  async #evaluateData(data: ArrayData, batchSize: number, verbose: 0 | 1 | 2): Promise<Logs> {
    const tracker = new MetricsTracker(this.compiled('evaluate').metrics);
    const ranges = batchRanges(data.size, batchSize);
    const progress = verbose > 0 ? new ProgressLine(ranges.length, standardOutput(), true) : null;
    let logs: Logs = {};
    try {
      for (const [i, [start, end]] of ranges.entries()) {
        logs = this.testStep(sliceBatch(data, start, end), tracker);
        progress?.update(i + 1, logs);
        await yieldToEventLoop();
      }
      progress?.finish(logs);
    } finally {
      progress?.abort();
    }
    return logs;
  }

  #lossNotFinite(loss: number, epoch: number, epochs: number, batch: number, batches: number, [start, end]: [number, number]): NumericsError {
    const lr = this.compiled('fit').optimizer.learningRate;
    return new NumericsError(
      `fit: the loss became ${Number.isNaN(loss) ? 'NaN' : loss} at epoch ${epoch + 1}/${epochs}, batch ${batch + 1}/${batches} (samples ${start}–${end - 1} of this epoch's order); training stopped. ` +
        `Common causes: a learning rate too high (it is ${lr}; try 10 times lower), inputs far from [0, 1] (scale them), or NaN in the data. ` +
        `configure({ checkNumerics: true }) names the first op that produces NaN.`,
    );
  }
}

function prefixed(prefix: string, logs: Logs): Logs {
  return Object.fromEntries(Object.entries(logs).map(([k, v]) => [`${prefix}${k}`, v]));
}
