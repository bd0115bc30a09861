/**
 * The loops of a model, apart from what it is (as Keras 3 keeps its Trainer apart from Model): fit is one
 * short loop over epochs and batches around the overridable `trainStep`, with callbacks; evaluate and
 * predict run batches without training. Data comes through an adapter (data-adapter.ts): tensors in
 * memory or a Dataset, one tensor per input and output. Model (model.ts) extends this class and provides
 * the graph, the weights and the compiled setup it reads.
 */
import type { Dataset } from '../data/index.js';
import type { BaseLayer, LayerShape, NodeResult } from '../layers/index.js';
import { BaseLayer as LayerBase } from '../layers/index.js';
import { computeLoss } from '../losses/index.js';
import * as ops from '../ops/index.js';
import type { Optimizer } from '../optimizers/index.js';
import { noGrad, variableGrads } from '../tensor/tape.js';
import type { Tensor } from '../tensor/tensor.js';
import { Tensor as TensorClass, rawStorage } from '../tensor/tensor.js';
import type { TensorStorage } from '../backend/device-array.js';
import { download, onDevice, onHost } from '../backend/index.js';
import { ValueError } from '../util/errors.js';
import { yieldToEventLoop } from '../util/event-loop.js';
import type { ArrayData, ModelPorts, SampleWeights } from './array-data.js';
import { ArrayTrainingData, checkInputShapes, checkLabels, classWeightsToSampleWeights, splitForValidation, toArrayData } from './array-data.js';
import type { Logs, TrainingParams, TrainingTarget } from './callbacks/callback.js';
import { CallbackList } from './callbacks/callback.js';
import { History } from './callbacks/history.js';
import { ProgressBar, ProgressLine, standardOutput } from './callbacks/progress-bar.js';
import type { Compiled } from './compile-setup.js';
import type { Batch, EpochBatches, TrainingData } from './data-adapter.js';
import { DatasetTrainingData, isDataset } from './dataset-data.js';
import type { TensorData } from './model-io.js';
import { lossNotFinite } from './non-finite.js';
import type { EvaluateOptions, FitOptions, OnBatchOptions, PredictOptions } from './options.js';
import { EVALUATE_OPTIONS, FIT_OPTIONS, ON_BATCH_OPTIONS, PREDICT_OPTIONS } from './options.js';
import { ResumeFrom } from './saving/resume.js';
import { beginStepMemory, withStepMemory } from './step-memory.js';
import { MetricsTracker } from './tracker.js';

export type { Compiled } from './compile-setup.js';

/**
 * Reads back, in one round trip, the values of the tensors in `data` (tensors, lists and records of them,
 * options holding them) that only a GPU holds: the data checks and the batching read them on the host.
 */
async function readBack(...data: unknown[]): Promise<void> {
  const arrays: TensorStorage[] = [];
  const visit = (v: unknown, depth: number): void => {
    if (v instanceof TensorClass) arrays.push(rawStorage(v));
    else if (depth >= 3 || v === null || typeof v !== 'object') return;
    else if (Array.isArray(v)) for (const e of v) visit(e, depth + 1);
    else if (Object.getPrototypeOf(v) === Object.prototype) for (const e of Object.values(v)) visit(e, depth + 1);
  };
  for (const d of data) visit(d, 0);
  if (onDevice(arrays)) await download(arrays);
}

/** What a training step computed before its gradients are applied. */
interface StepResult {
  value: Tensor;
  grads: ReturnType<typeof variableGrads>['grads'];
  yPred: Tensor[];
  outputLosses: Tensor[];
}

type FitSettings = ReturnType<typeof FIT_OPTIONS.parse>;

/** What fit trains on, and what validates after each epoch. */
interface FitData {
  train: TrainingData;
  validate: ((epoch: number) => Promise<Logs>) | null;
}

export abstract class Trainer extends LayerBase implements TrainingTarget {
  /** Set to true (by a callback) to end fit after the current batch. */
  stopTraining = false;
  /** The History of the last fit. */
  history: History | null = null;
  #fitting = false;

  abstract get layers(): BaseLayer[];
  abstract get optimizer(): Optimizer | null;
  /** [null, ...sample shape] of the (first) input once known. */
  abstract get inputShape(): LayerShape | null;
  abstract get outputShape(): LayerShape | null;
  /** The names of the inputs and outputs, as data and logs name them. */
  protected abstract ports(): ModelPorts;
  /** The shapes of the inputs and outputs, once known. */
  protected abstract portShapes(): { inputs: (LayerShape | null)[]; outputs: (LayerShape | null)[] };
  /** The model's computation on a batch: one tensor per output. */
  /** The model's outputs on a batch, with the masks its layers put on them (null: none). */
  protected abstract forward(inputs: readonly Tensor[], training: boolean): NodeResult;
  /** The compiled setup; throws, naming `where`, when compile() was not called. */
  protected abstract compiled(where: string): Compiled;
  /** Runs the model doctor's checks of the training data and warns about what they find. */
  protected abstract checkTrainingData(train: ArrayData, validationSplit: ArrayData | null): void;
  /** Builds a model whose input shape was not known from the first data's shapes (Sequential); others keep this. */
  protected buildFromData(_inputShapes: readonly LayerShape[]): void {}

  /** Trains for `epochs` over (x, y), or over a Dataset of batches; resolves to the History of every epoch's logs. */
  fit(dataset: Dataset<unknown>, options?: FitOptions): Promise<History>;
  fit(x: TensorData, y: TensorData, options?: FitOptions): Promise<History>;
  async fit(x: TensorData | Dataset<unknown>, y?: TensorData | FitOptions, options?: FitOptions): Promise<History> {
    await readBack(x, y, options);
    if (this.#fitting) {
      throw new ValueError(`fit: ${this.label} is already training (a fit started earlier has not finished); await it before starting another, or train a second model`);
    }
    // Options and data are checked before the model counts as training, so a mistake leaves it free.
    const o = FIT_OPTIONS.parse('fit', isDataset(x) ? y : options);
    this.compiled('fit');
    if (o.resumeFrom !== undefined && o.initialEpoch !== undefined) throw new ValueError(`fit: give either 'resumeFrom' or 'initialEpoch', not both`);
    const data = this.#fitData(x, isDataset(x) ? undefined : (y as TensorData), o);
    this.#fitting = true;
    try {
      return await this.#fit(o, data);
    } finally {
      this.#fitting = false;
    }
  }

  async #fit(o: FitSettings, { train, validate }: FitData): Promise<History> {
    const setup = this.compiled('fit');
    const history = new History();
    const callbacks = new CallbackList([
      // Restores the checkpoint first, so the other callbacks start from the run it continues.
      ...(o.resumeFrom !== undefined ? [new ResumeFrom(o.resumeFrom)] : []),
      ...o.callbacks.filter((c) => c.restoresTraining),
      ...(o.verbose > 0 ? [new ProgressBar()] : []),
      ...o.callbacks.filter((c) => !c.restoresTraining),
      history,
    ]);
    const params: TrainingParams = {
      epochs: o.epochs, initialEpoch: o.initialEpoch ?? 0, steps: train.steps, samples: train.samples, batchSize: o.batchSize, verbose: o.verbose, resume: null,
    };
    this.history = history;
    this.stopTraining = false;
    callbacks.setContext(this, params);
    let logs: Logs = {};
    try {
      await callbacks.call('onTrainBegin', {});
      let from = params.resume;
      for (let epoch = params.initialEpoch; epoch < o.epochs && !this.stopTraining; epoch++) {
        await callbacks.call('onEpochBegin', epoch, {});
        setup.tracker.reset();
        const batches = train.open(epoch, from?.data ?? null);
        logs = await this.#epoch(epoch, from?.step ?? 0, batches, callbacks, params);
        params.steps = train.steps;
        from = { step: 0, data: batches.following() };
        if (validate) logs = { ...logs, ...prefixed('val_', await validate(epoch)) };
        history.position = { epoch: epoch + 1, step: 0, data: from.data, waitedMs: batches.waitedMs };
        history.ending = { epoch, logs };
        await callbacks.call('onEpochEnd', epoch, logs);
      }
      await callbacks.call('onTrainEnd', logs);
    } finally {
      callbacks.close();
      await train.close();
    }
    return history;
  }

  /** The batches of one epoch from `step` on, each through trainStep; returns the epoch's logs. */
  async #epoch(epoch: number, step: number, batches: EpochBatches, callbacks: CallbackList, params: TrainingParams): Promise<Logs> {
    let logs: Logs = {};
    try {
      for (let batch = await batches.next(); batch !== null; batch = await batches.next()) {
        await callbacks.call('onBatchBegin', step, {});
        logs = await this.#trainStepAwaiting(batch);
        this.history!.position = { epoch, step: step + 1, data: batches.position(), waitedMs: batches.waitedMs };
        await callbacks.call('onBatchEnd', step, logs);
        // A callback may stop quietly on a bad loss (TerminateOnNaN); otherwise it is an error.
        if (!Number.isFinite(logs['loss']) && !this.stopTraining) throw this.#lossNotFinite(logs['loss']!, epoch, params, step, batch);
        await yieldToEventLoop();
        step++;
        if (this.stopTraining) break;
      }
    } finally {
      await batches.close();
    }
    return logs;
  }

  /**
   * One optimization step on a batch; returns the running loss and metrics of the epoch. A batch whose
   * loss is not finite is measured but not applied (fit then stops).
   */
  trainStep(batch: Batch): Logs {
    return withStepMemory(() => this.#finishTrainStep(batch, this.#gradientStep(batch), (read) => read()), () => this.#keptAfterStep());
  }

  /** What outlives a step: the weights, the optimizer's slots and the tensors layers carry between calls. */
  #keptAfterStep(): Tensor[] {
    const weights = this.weights;
    const optimizer = this.optimizer;
    const slots = optimizer === null ? [] : weights.flatMap((v) => Object.values(optimizer.slotsOf(v)));
    return [...weights, ...slots, ...this.heldTensors()];
  }

  /** The forward pass, losses and gradients of a training step. */
  #gradientStep(batch: Batch): StepResult {
    let yPred!: Tensor[];
    let outputLosses!: Tensor[];
    const { value, grads } = variableGrads(() => {
      const result = this.#forward(batch.x, true);
      yPred = result.outputs;
      const { total, perOutput } = this.#losses(batch, yPred, result.masks);
      outputLosses = perOutput;
      return total;
    }, this.trainableWeights);
    return { value, grads, yPred, outputLosses };
  }

  /** Applies a step's gradients when its loss is finite and updates the metrics; `onHost` runs the readers. */
  #finishTrainStep(batch: Batch, step: StepResult, onHost: <T>(read: () => T) => T): Logs {
    const { optimizer, tracker } = this.compiled('trainStep');
    const loss = onHost(() => step.value.item());
    if (Number.isFinite(loss)) optimizer.applyGradients(step.grads);
    onHost(() => tracker.update(loss, step.outputLosses.map((l) => l.item()), batch, step.yPred));
    return tracker.results();
  }

  /**
   * trainStep as fit runs it: where the loss and outputs live on a GPU (the webgpu backend), they are
   * read back in one round trip before the metrics read them. A subclass's own trainStep runs as it is.
   */
  async #trainStepAwaiting(batch: Batch): Promise<Logs> {
    if (this.trainStep !== Trainer.prototype.trainStep) return this.trainStep(batch);
    // The step's memory is released only on the synchronous path: across an await, other code (a
    // Dataset's prefetch) allocates too.
    const memory = beginStepMemory();
    const step = this.#gradientStep(batch);
    const arrays = [step.value, ...step.outputLosses, ...step.yPred, ...batch.y, ...batch.sampleWeight.filter((w): w is Tensor => w !== null)].map(rawStorage);
    if (!onDevice(arrays)) {
      const logs = this.#finishTrainStep(batch, step, (read) => read());
      memory.end(this.#keptAfterStep());
      return logs;
    }
    memory.abandon();
    await download(arrays);
    return this.#finishTrainStep(batch, step, onHost);
  }

  /** testStep as evaluate runs it: device data is read back first (see #trainStepAwaiting). */
  async #testStepAwaiting(batch: Batch, tracker: MetricsTracker): Promise<Logs> {
    if (this.testStep !== Trainer.prototype.testStep) return this.testStep(batch, tracker);
    const memory = beginStepMemory();
    const { yPred, total, perOutput } = noGrad(() => {
      const { outputs: yPred, masks } = this.#forward(batch.x, false);
      return { yPred, ...this.#losses(batch, yPred, masks) };
    });
    const arrays = [total, ...perOutput, ...yPred, ...batch.y, ...batch.sampleWeight.filter((w): w is Tensor => w !== null)].map(rawStorage);
    if (!onDevice(arrays)) {
      noGrad(() => tracker.update(total.item(), perOutput.map((l) => l.item()), batch, yPred));
      memory.end(this.#keptAfterStep());
      return tracker.results();
    }
    memory.abandon();
    await download(arrays);
    onHost(() => noGrad(() => tracker.update(total.item(), perOutput.map((l) => l.item()), batch, yPred)));
    return tracker.results();
  }

  /** Loss and metrics on a batch, without training. */
  testStep(batch: Batch, tracker: MetricsTracker): Logs {
    withStepMemory(() => noGrad(() => {
      const { outputs: yPred, masks } = this.#forward(batch.x, false);
      const { total, perOutput } = this.#losses(batch, yPred, masks);
      tracker.update(total.item(), perOutput.map((l) => l.item()), batch, yPred);
    }), () => this.#keptAfterStep());
    return tracker.results();
  }

  /** The loss and metrics on (x, y) or on a Dataset, in batches: `[loss, ...]` as plain numbers, in the order of the logs. */
  evaluate(dataset: Dataset<unknown>, options?: EvaluateOptions): Promise<number[]>;
  evaluate(x: TensorData, y: TensorData, options?: EvaluateOptions): Promise<number[]>;
  async evaluate(x: TensorData | Dataset<unknown>, y?: TensorData | EvaluateOptions, options?: EvaluateOptions): Promise<number[]> {
    await readBack(x, y, options);
    const o = EVALUATE_OPTIONS.parse('evaluate', isDataset(x) ? y : options);
    this.compiled('evaluate');
    const data = isDataset(x)
      ? this.#datasetData('evaluate', x, null, true)
      : new ArrayTrainingData(this.checkedData('evaluate', x, y as TensorData, o.sampleWeight), o.batchSize, false);
    const logs = await this.#evaluateData('evaluate', data, o.steps ?? null, o.verbose);
    return Object.values(logs);
  }

  /** The outputs of a model with one output for x (or a Dataset), computed in batches without recording gradients. */
  predict(dataset: Dataset<unknown>, options?: PredictOptions): Promise<Tensor>;
  predict(x: TensorData, options?: PredictOptions): Promise<Tensor>;
  async predict(x: TensorData | Dataset<unknown>, options?: PredictOptions): Promise<Tensor> {
    const names = this.ports().outputs.names;
    if (names.length !== 1) throw new ValueError(`predict: ${this.label} has ${names.length} outputs (${names.join(', ')}); predictAll returns one tensor per output`);
    return (await this.predictAll(x, options))[0]!;
  }

  /** One tensor per output (in the order of `outputNames`) for x or a Dataset, computed in batches. */
  async predictAll(x: TensorData | Dataset<unknown>, options?: PredictOptions): Promise<Tensor[]> {
    await readBack(x);
    const o = PREDICT_OPTIONS.parse('predict', options);
    const data = isDataset(x) ? this.#datasetData('predict', x, null, false) : new ArrayTrainingData(this.checkedData('predict', x, undefined), o.batchSize, false);
    const parts: Tensor[][] = [];
    const batches = data.open(null, null);
    try {
      while (o.steps === undefined || parts.length < o.steps) {
        const batch = await batches.next();
        if (batch === null) break;
        parts.push(this.#predictBatch(batch.x));
        // Memory of the batch's activations comes back through finalizers, which need the event loop.
        await yieldToEventLoop();
      }
    } finally {
      await batches.close();
      await data.close();
    }
    return this.ports().outputs.names.map((_, k) => (parts.length === 1 ? parts[0]![k]! : ops.concat(parts.map((p) => p[k]!), 0)));
  }

  /** The outputs for one batch, as a step: its activations go back when it ends. */
  #predictBatch(x: Batch['x']): Tensor[] {
    return withStepMemory(() => noGrad(() => this.#forward(x, false).outputs), (outputs) => [...outputs, ...this.#keptAfterStep()]);
  }

  /** The outputs of a model with one output for exactly this batch, at once (no batching, no event-loop turns). */
  predictOnBatch(x: TensorData): Tensor {
    const data = this.checkedData('predictOnBatch', x, undefined);
    const outputs = this.#predictBatch(data.x);
    if (outputs.length !== 1) throw new ValueError(`predictOnBatch: ${this.label} has ${outputs.length} outputs; use predictAll`);
    return outputs[0]!;
  }

  /** One training step on exactly this batch; returns `[loss, ...]` for it. */
  trainOnBatch(x: TensorData, y: TensorData, options: OnBatchOptions = {}): number[] {
    if (this.#fitting) throw new ValueError(`trainOnBatch: ${this.label} is training (fit has not finished); await it first`);
    const o = ON_BATCH_OPTIONS.parse('trainOnBatch', options);
    const setup = this.compiled('trainOnBatch');
    const data = this.checkedData('trainOnBatch', x, y, o.sampleWeight, o.classWeight);
    setup.tracker.reset();
    return Object.values(this.trainStep(data));
  }

  /** The loss and metrics on exactly this batch: `[loss, ...]`. */
  testOnBatch(x: TensorData, y: TensorData, options: Pick<OnBatchOptions, 'sampleWeight'> = {}): number[] {
    const o = ON_BATCH_OPTIONS.parse('testOnBatch', options);
    if (o.classWeight !== undefined) throw new ValueError(`testOnBatch: option 'classWeight' applies to training; weight the samples with 'sampleWeight'`);
    const setup = this.compiled('testOnBatch');
    const data = this.checkedData('testOnBatch', x, y, o.sampleWeight);
    return Object.values(this.testStep(data, new MetricsTracker(setup.outputs)));
  }

  /** A forward pass; activity penalties of earlier passes are dropped first. */
  #forward(x: readonly Tensor[], training: boolean): NodeResult {
    this.clearActivityLosses();
    return this.forward(x, training);
  }

  /**
   * Each output's loss, and the total training minimises: the weighted sum plus the regularization
   * penalties. An output with a mask (a sequence's padding) leaves the masked values out of its loss.
   */
  #losses(batch: Batch, yPred: readonly Tensor[], masks: readonly (Tensor | null)[]): { total: Tensor; perOutput: Tensor[] } {
    const { outputs } = this.compiled('trainStep');
    const perOutput = outputs.map((o, k) => computeLoss(o.loss, batch.y[k]!, yPred[k]!, batch.sampleWeight[k] ?? null, masks[k] ?? null));
    const weighted = perOutput.map((l, k) => (outputs[k]!.weight === 1 ? l : ops.mul(l, outputs[k]!.weight)));
    const total = [...weighted.slice(1), ...this.regularizationLosses()].reduce((sum, t) => ops.add(sum, t), weighted[0]!);
    return { total, perOutput };
  }

  /** Converts and checks data against the model, building it first when its input shape was not known. */
  protected checkedData(where: string, x: unknown, y: unknown, sampleWeight?: SampleWeights, classWeight?: Readonly<Record<number, number>>, labels = true): ArrayData {
    const ports = this.ports();
    const data = toArrayData(where, ports, x, y, sampleWeight);
    this.#checkBatch(where, labels ? data : { ...data, y: [] });
    if (classWeight !== undefined) {
      if (ports.outputs.names.length > 1) throw new ValueError(`${where}: option 'classWeight' applies to models with one output; weight the samples of each output with 'sampleWeight'`);
      if (data.sampleWeight[0]) throw new ValueError(`${where}: give either 'sampleWeight' or 'classWeight', not both`);
      data.sampleWeight = [classWeightsToSampleWeights(where, data.y[0]!, classWeight)];
    }
    return data;
  }

  /** Checks a batch's shapes against the model (building it from the first data when its input shape is not known), and its labels against the losses. */
  #checkBatch(where: string, batch: Batch): void {
    this.buildFromData(batch.x.map((t) => [null, ...t.shape.slice(1)]));
    const ports = this.ports();
    const shapes = this.portShapes();
    checkInputShapes(where, this.label, batch.x, shapes.inputs, ports.inputs);
    if (batch.y.length > 0) checkLabels(where, this.compiled(where).outputs.map((o) => o.loss), batch.y, shapes.outputs, ports.outputs);
  }

  #datasetData(where: string, dataset: Dataset<unknown>, stepsPerEpoch: number | null, targets: boolean): DatasetTrainingData {
    return new DatasetTrainingData(where, dataset, this.ports(), {
      stepsPerEpoch, targets, check: (batch) => this.#checkBatch(where, batch), inputRanks: () => this.portShapes().inputs.map((s) => s?.length ?? null),
    });
  }

  /** The training data and, when fit validates, what runs the validation after each epoch. */
  #fitData(x: TensorData | Dataset<unknown>, y: TensorData | undefined, o: FitSettings): FitData {
    if (o.validationData !== undefined && o.validationSplit !== undefined) throw new ValueError(`fit: give either 'validationData' or 'validationSplit', not both`);
    if (o.validationSteps !== undefined && !isDataset(o.validationData)) throw new ValueError(`fit: option 'validationSteps' applies to a validation Dataset; validation arrays are read whole`);
    let train: TrainingData;
    let split: ArrayData | null = null;
    if (isDataset(x)) {
      for (const key of ['validationSplit', 'sampleWeight', 'classWeight'] as const) {
        if (o[key] !== undefined) throw new ValueError(`fit: option '${key}' applies to arrays; a Dataset carries its own ${key === 'validationSplit' ? 'split (take and skip)' : 'weights ([x, y, sampleWeight] elements)'}`);
      }
      train = this.#datasetData('fit', x, o.stepsPerEpoch ?? null, true);
    } else {
      if (o.stepsPerEpoch !== undefined) throw new ValueError(`fit: option 'stepsPerEpoch' applies to a Dataset; with arrays an epoch is every sample once`);
      let data = this.checkedData('fit', x, y, o.sampleWeight, o.classWeight);
      if (o.validationSplit !== undefined) [data, split] = splitForValidation('fit', data, o.validationSplit);
      this.checkTrainingData(data, split);
      train = new ArrayTrainingData(data, o.batchSize, o.shuffle);
    }
    const v = o.validationData;
    const validation: TrainingData | null = split
      ? new ArrayTrainingData(split, o.batchSize, false)
      : v === undefined ? null
      : isDataset(v) ? this.#datasetData('fit (validationData)', v, null, true)
      : new ArrayTrainingData(this.checkedData('fit (validationData)', v[0], v[1], v[2] as SampleWeights | undefined), o.batchSize, false);
    return { train, validate: validation && ((epoch) => this.#evaluateData('evaluate', validation, o.validationSteps ?? null, 0, epoch)) };
  }

  async #evaluateData(where: string, data: TrainingData, steps: number | null, verbose: 0 | 1 | 2, epoch: number | null = null): Promise<Logs> {
    const tracker = new MetricsTracker(this.compiled(where).outputs);
    const progress = verbose > 0 ? new ProgressLine(steps ?? data.steps, standardOutput(), true) : null;
    const batches = data.open(epoch, null);
    let logs: Logs = {};
    try {
      for (let done = 0; steps === null || done < steps; done++) {
        const batch = await batches.next();
        if (batch === null) break;
        logs = await this.#testStepAwaiting(batch, tracker);
        progress?.update(done + 1, logs);
        await yieldToEventLoop();
      }
      progress?.finish(logs);
    } finally {
      progress?.abort();
      await batches.close();
    }
    return logs;
  }

  #lossNotFinite(loss: number, epoch: number, params: TrainingParams, step: number, batch: Batch): Error {
    const ports = this.ports();
    return lossNotFinite({
      loss, epoch, epochs: params.epochs, step, steps: params.steps, batch,
      inputNames: ports.inputs.names, outputNames: ports.outputs.names, learningRate: this.compiled('fit').optimizer.learningRate,
    });
  }
}

function prefixed(prefix: string, logs: Logs): Logs {
  return Object.fromEntries(Object.entries(logs).map(([k, v]) => [`${prefix}${k}`, v]));
}
