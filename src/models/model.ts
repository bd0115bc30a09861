/**
 * Model: layers plus training. `new Model({ inputs, outputs })` builds a functional model from symbolic
 * tensors; Sequential (sequential.ts) is a subclass that stacks layers; a subclass may also override
 * `call` and `layers` itself. compile() chooses the optimizer, loss and metrics; fit() is one short loop
 * over epochs and batches around the overridable `trainStep`.
 */
import { batchRanges, sliceRows } from '../data/index.js';
import type { BaseLayer, CallOptions, JsonObject, LayerShape } from '../layers/index.js';
import { formatLayerShape } from '../layers/index.js';
import type { Loss, LossIdentifier } from '../losses/index.js';
import { computeLoss, getLoss } from '../losses/index.js';
import type { MetricIdentifier } from '../metrics/index.js';
import { checkMetric } from '../metrics/index.js';
import * as ops from '../ops/index.js';
import type { Optimizer } from '../optimizers/index.js';
import { getOptimizer } from '../optimizers/index.js';
import type { TensorLike } from '../tensor/creation.js';
import { toTensor } from '../tensor/creation.js';
import { noGrad, variableGrads } from '../tensor/tape.js';
import type { Tensor } from '../tensor/tensor.js';
import type { Variable } from '../tensor/variable.js';
import { NumericsError, ShapeError, ValueError, describe } from '../util/errors.js';
import { yieldToEventLoop } from '../util/event-loop.js';
import { snakeCase } from '../util/names.js';
import { getRandomState } from '../util/random.js';
import type { Logs, TrainingParams, TrainingTarget } from './callbacks/callback.js';
import { CallbackList } from './callbacks/callback.js';
import { History } from './callbacks/history.js';
import { ProgressBar, ProgressLine, standardOutput } from './callbacks/progress-bar.js';
import type { Batch, Dataset } from './data.js';
import { checkInputShape, checkLabels, classWeightsToSampleWeights, epochOrder, sliceBatch, splitForValidation, takeBatch, toDataset } from './data.js';
import type { DoctorContext, DoctorFinding } from './doctor.js';
import { diagnose } from './doctor.js';
import { Graph } from './graph.js';
import type { CompileOptions, EvaluateOptions, FitOptions, FunctionalOptions, ModelOptions, PredictOptions } from './options.js';
import { isFunctional, positiveInteger, verbosity } from './options.js';
import type { SummaryRow } from './summary.js';
import { formatSummary } from './summary.js';
import { MetricsTracker } from './tracker.js';
import { toArtifacts } from './saving/artifacts.js';
import type { ModelArtifacts } from './saving/format.js';
import type { FileOptions } from './saving/files.js';
import type { ModelLocation } from './saving/io.js';
import { saveArtifacts } from './saving/io.js';
import { restoreTrainingState } from './saving/resume.js';
import { functionalTopology } from './saving/topology-write.js';
import type { TrainingState } from './saving/training-state.js';

export interface SaveOptions extends FileOptions {
  /**
   * Also save what continuing the run needs: the optimizer's slots and iteration count, the last epoch,
   * the random generator's position and the history (default false; ModelCheckpoint always saves them).
   */
  includeTrainingState?: boolean;
}

interface Setup {
  optimizer: Optimizer;
  loss: Loss;
  /** The loss as compile() was given it: a name is what a saved training config can record. */
  lossId: LossIdentifier;
  metrics: readonly MetricIdentifier[];
  tracker: MetricsTracker;
}

const modelCounts = new Map<string, number>();

function modelName(prefix: string): string {
  const n = modelCounts.get(prefix) ?? 0;
  modelCounts.set(prefix, n + 1);
  return n === 0 ? prefix : `${prefix}_${n}`;
}

export class Model implements TrainingTarget {
  readonly name: string;
  /** Set to true (by a callback) to end fit after the current batch. */
  stopTraining = false;
  /** The History of the last fit. */
  history: History | null = null;
  readonly #graph: Graph | null;
  #setup: Setup | null = null;
  /** The epoch whose onEpochEnd callbacks are running: a checkpoint saved then includes it, though History records it last. */
  #epochEnd: { epoch: number; logs: Logs } | null = null;

  /** With inputs and outputs, a functional model; without, a subclass that overrides call() and layers. */
  constructor(options: FunctionalOptions | ModelOptions = {}) {
    const functional = isFunctional(options);
    if (options.name !== undefined && (typeof options.name !== 'string' || options.name === '')) {
      throw new ValueError(`${new.target.name}: option 'name' expected a non-empty string, received ${describe(options.name)}`);
    }
    this.name = options.name ?? modelName(functional ? 'functional' : snakeCase(new.target.name));
    this.#graph = isFunctional(options) ? new Graph([options.inputs], [options.outputs], `Model '${this.name}'`) : null;
  }

  /** `Sequential 'sequential'`: how messages name this model. */
  get label(): string {
    return `${this.constructor.name} '${this.name}'`;
  }

  get layers(): BaseLayer[] {
    return [...(this.#graph?.layers ?? [])];
  }

  /** [null, ...sample shape] once known. */
  get inputShape(): LayerShape | null {
    return this.#graph?.inputs[0]!.shape ?? null;
  }

  /** [null, ...output shape] once known. */
  get outputShape(): LayerShape | null {
    return this.#graph?.outputs[0]!.shape ?? null;
  }

  get optimizer(): Optimizer | null {
    return this.#setup?.optimizer ?? null;
  }

  get loss(): Loss | null {
    return this.#setup?.loss ?? null;
  }

  /** The model's computation on a batch. */
  call(x: Tensor, options: CallOptions = {}): Tensor {
    if (!this.#graph) {
      throw new ValueError(`${this.label}: a Model made without inputs and outputs must override call() (or use Sequential, or Model({ inputs, outputs }))`);
    }
    return this.#graph.run([x], options)[0]!;
  }

  /** Builds the layers for inputs of this shape (Sequential models without an input shape build here). */
  protected buildFor(_xShape: readonly number[]): void {}

  get weights(): Variable[] {
    return this.layers.flatMap((l) => l.weights);
  }

  get trainableWeights(): Variable[] {
    return this.layers.flatMap((l) => l.trainableWeights);
  }

  get nonTrainableWeights(): Variable[] {
    return this.layers.flatMap((l) => l.nonTrainableWeights);
  }

  countParams(): number {
    return this.layers.reduce((n, l) => n + l.countParams(), 0);
  }

  /** Copies of every weight, layer by layer. */
  getWeights(): Tensor[] {
    return this.layers.flatMap((l) => l.getWeights());
  }

  /** Sets every weight from a list in getWeights order. */
  setWeights(values: readonly Tensor[]): void {
    const total = this.weights.length;
    if (!Array.isArray(values) || values.length !== total) {
      throw new ValueError(`${this.label}.setWeights: expected ${total} tensors (as getWeights returns), received ${describe(values)}`);
    }
    let offset = 0;
    for (const layer of this.layers) {
      const n = layer.weights.length;
      layer.setWeights(values.slice(offset, offset + n));
      offset += n;
    }
  }

  /** Chooses the optimizer, loss and metrics, and warns (model doctor) about setups that cannot train well. */
  compile(options: CompileOptions): void {
    if (typeof options !== 'object' || options === null || options.loss === undefined) {
      throw new ValueError(`${this.label}.compile: expected options with at least a 'loss', received ${describe(options)}`);
    }
    const where = `${this.label}.compile`;
    const optimizer = getOptimizer(options.optimizer ?? 'rmsprop', where);
    const loss = getLoss(options.loss, where);
    const metrics = options.metrics ?? [];
    if (!Array.isArray(metrics)) throw new ValueError(`${where}: option 'metrics' expected an array, received ${describe(metrics)}`);
    metrics.forEach((m) => checkMetric(m, where));
    this.#setup = { optimizer, loss, lossId: options.loss, metrics, tracker: new MetricsTracker(metrics) };
    this.#consultDoctor('compile');
  }

  /** Trains for `epochs` over (x, y); resolves to the History of every epoch's logs. */
  async fit(x: TensorLike, y: TensorLike, options: FitOptions = {}): Promise<History> {
    const setup = this.#compiled('fit');
    const epochs = positiveInteger('fit', 'epochs', options.epochs ?? 1);
    const batchSize = positiveInteger('fit', 'batchSize', options.batchSize ?? 32);
    const verbose = verbosity('fit', options.verbose ?? 1, [0, 1, 2]);
    if (options.resumeFrom !== undefined && options.initialEpoch !== undefined) throw new ValueError(`fit: give either 'resumeFrom' or 'initialEpoch', not both`);
    const [train, validation] = this.#fitData(x, y, options);
    this.#consultDoctor('fit', train, options.validationSplit !== undefined ? validation : null);
    const resumed = options.resumeFrom === undefined ? null : await restoreTrainingState({ label: this.label, layers: this.layers, optimizer: setup.optimizer }, options.resumeFrom, 'fit (resumeFrom)');
    const initialEpoch = resumed ? (resumed.epoch ?? -1) + 1 : options.initialEpoch ?? 0;
    const ranges = batchRanges(train.size, batchSize);
    const history = new History();
    if (resumed) {
      history.epoch.push(...resumed.history.epochs);
      for (const [key, values] of Object.entries(resumed.history.logs)) history.history[key] = [...values];
    }
    const callbacks = new CallbackList([...(verbose > 0 ? [new ProgressBar()] : []), ...(options.callbacks ?? []), history]);
    const params: TrainingParams = { epochs, initialEpoch, steps: ranges.length, samples: train.size, batchSize, verbose };
    callbacks.setContext(this, params);
    this.history = history;
    this.#epochEnd = null;
    this.stopTraining = false;
    let logs: Logs = {};
    try {
      await callbacks.call('onTrainBegin', {});
      for (let epoch = initialEpoch; epoch < epochs && !this.stopTraining; epoch++) {
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
        this.#epochEnd = { epoch, logs };
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
    const { optimizer, loss, tracker } = this.#compiled('trainStep');
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
    const { loss } = this.#compiled('testStep');
    noGrad(() => {
      const yPred = this.#forward(batch.x, false);
      tracker.update(this.#totalLoss(loss, batch, yPred).item(), batch, yPred);
    });
    return tracker.results();
  }

  /** The loss and metrics on (x, y), in batches: `[loss, ...metrics]` as plain numbers. */
  async evaluate(x: TensorLike, y: TensorLike, options: EvaluateOptions = {}): Promise<number[]> {
    this.#compiled('evaluate');
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
    const setup = this.#compiled('trainOnBatch');
    const data = this.#checkedData('trainOnBatch', x, y, options.sampleWeight, options.classWeight);
    setup.tracker.reset();
    return Object.values(this.trainStep(data));
  }

  /** The loss and metrics on exactly this batch: `[loss, ...metrics]`. */
  testOnBatch(x: TensorLike, y: TensorLike, options: { sampleWeight?: TensorLike } = {}): number[] {
    const setup = this.#compiled('testOnBatch');
    const data = this.#checkedData('testOnBatch', x, y, options.sampleWeight);
    return Object.values(this.testStep(data, new MetricsTracker(setup.metrics)));
  }

  /**
   * The topology as model.json holds it: `{ class_name: 'Model', config: { name, layers, input_layers,
   * output_layers } }` (Sequential writes its stack of layers).
   */
  getConfig(): JsonObject {
    if (!this.#graph) {
      throw new ValueError(`${this.label}.getConfig: a Model that overrides call() has no layer graph to save; build it with Sequential or Model({ inputs, outputs })`);
    }
    return functionalTopology(this.name, this.#graph);
  }

  /**
   * The model in the TensorFlow.js Layers format, in memory: topology, weights, the training config when
   * the loss and metrics were given by name, and with includeTrainingState what fit({ resumeFrom }) needs.
   */
  toArtifacts(options: { includeTrainingState?: boolean } = {}): ModelArtifacts {
    const setup = this.#setup;
    return toArtifacts({
      label: this.label,
      topology: this.getConfig(),
      layers: this.layers,
      setup: setup && { optimizer: setup.optimizer, loss: setup.lossId, metrics: setup.metrics },
      trainingState: options.includeTrainingState ? this.#trainingState() : null,
    });
  }

  /**
   * Saves the model in the TensorFlow.js Layers format: to a folder (`model.json` + `weights.bin`, which
   * tf.loadLayersModel reads) in Node, or through an IO handler (TensorFlow.js's work too).
   */
  async save(location: ModelLocation, options: SaveOptions = {}): Promise<void> {
    const where = `${this.label}.save`;
    await saveArtifacts(location, this.toArtifacts(options), where, options);
  }

  /** A table of the layers, their output shapes and parameter counts; printed, and returned as text. */
  summary(options: { printFn?: (text: string) => void } = {}): string {
    const text = formatSummary({
      title: this.name,
      rows: this.summaryRows(),
      trainable: this.trainableWeights.reduce((n, v) => n + v.size, 0),
      nonTrainable: this.nonTrainableWeights.reduce((n, v) => n + v.size, 0),
    });
    (options.printFn ?? console.log)(text);
    return text;
  }

  /** The rows of summary(): one per layer of the graph, with the layers feeding it. */
  protected summaryRows(): SummaryRow[] {
    if (!this.#graph) return this.layers.map((l) => ({ layer: `${l.name} (${l.className})`, outputShape: '?', params: l.countParams() }));
    return this.#graph.order.map((t) => ({
      layer: `${t.node.layer.name} (${t.node.layer.className})`,
      outputShape: formatLayerShape(t.shape),
      params: t.node.layer.countParams(),
      connectedTo: t.node.inputs.map((i) => i.node.layer.name),
    }));
  }

  /** The layers from the output backwards along first inputs (where the doctor looks for the output activation). */
  protected outputPath(): BaseLayer[] {
    const path: BaseLayer[] = [];
    let t = this.#graph?.outputs[0];
    while (t) {
      path.push(t.node.layer);
      t = t.node.inputs.length === 1 ? t.node.inputs[0] : undefined;
    }
    return path;
  }

  /** The last epoch completed, the random generator's position and the history, for a checkpoint. */
  #trainingState(): TrainingState {
    const epochs = [...(this.history?.epoch ?? [])];
    const logs = Object.fromEntries(Object.entries(this.history?.history ?? {}).map(([k, v]) => [k, [...v]]));
    const current = this.#epochEnd;
    if (current && !epochs.includes(current.epoch)) {
      for (const key of new Set([...Object.keys(logs), ...Object.keys(current.logs)])) {
        (logs[key] ??= epochs.map(() => NaN)).push(current.logs[key] ?? NaN);
      }
      epochs.push(current.epoch);
    }
    return { epoch: epochs.length > 0 ? epochs[epochs.length - 1]! : null, random: getRandomState(), history: { epochs, logs } };
  }

  /**
   * Runs every check of the model doctor now: the compile checks, and with data those fit runs on it
   * (`validationSplit` as fit would take it). Prints each finding with its reason and fix, or that there
   * are none, and returns them. Unlike fit, it reports labels that do not fit the loss instead of throwing.
   */
  doctor(x?: TensorLike, y?: TensorLike, options: { validationSplit?: number; printFn?: (line: string) => void } = {}): DoctorFinding[] {
    this.#compiled('doctor');
    const findings = diagnose('compile', this.#doctorContext());
    if (x !== undefined || y !== undefined) {
      if (x === undefined || y === undefined) throw new ValueError(`${this.label}.doctor: give both x and y to check the data, or neither`);
      const data = toDataset(`${this.label}.doctor`, x, y);
      this.buildFor(data.x.shape);
      checkInputShape(`${this.label}.doctor`, this.label, data.x, this.inputShape);
      const [train, validation] = options.validationSplit === undefined ? [data, null] : splitForValidation(`${this.label}.doctor`, data, options.validationSplit);
      findings.push(...diagnose('fit', this.#doctorContext(train, validation)));
    }
    const print = options.printFn ?? console.log;
    if (findings.length === 0) print(`layerwise doctor: no problems found${x === undefined ? ' (pass x and y to check the data too)' : ''}`);
    for (const finding of findings) print(`layerwise doctor: ${finding.message}`);
    return findings;
  }

  /** Runs the model doctor's checks for a stage and prints each finding as a warning. */
  #consultDoctor(stage: 'compile' | 'fit', data?: Dataset, validationSplit?: Dataset | null): void {
    for (const finding of diagnose(stage, this.#doctorContext(data, validationSplit))) console.warn(`layerwise doctor: ${finding.message}`);
  }

  /** What the doctor's checks look at; `validationSplit` is the validation part cut from the end of the data. */
  #doctorContext(data?: Dataset, validationSplit?: Dataset | null): DoctorContext {
    const { loss, optimizer, metrics } = this.#setup!;
    const layer = this.outputPath().find((l) => l.outputActivation !== null);
    const units = this.outputShape?.[this.outputShape.length - 1] ?? (layer && 'units' in layer && typeof layer.units === 'number' ? layer.units : null);
    const context: DoctorContext = {
      output: layer ? { layer, activation: layer.outputActivation!, units } : null,
      loss,
      optimizer,
      metrics: metrics.map((m) => (typeof m === 'string' ? m : m.name)),
      layers: this.layers,
    };
    // The rows of a validationSplit part are copied out only if a check reads them.
    const rows = (part: Dataset, t: Tensor): (() => Tensor) => {
      let copy: Tensor | null = null;
      return () => (copy ??= part.offset === 0 && part.size === t.shape[0] ? t : sliceRows(t, part.offset, part.offset + part.size));
    };
    if (data) Object.defineProperties(context, { x: { get: rows(data, data.x), enumerable: true }, y: { get: rows(data, data.y), enumerable: true } });
    if (validationSplit) {
      const y = rows(validationSplit, validationSplit.y);
      context.validation = { get y() { return y(); }, split: true };
    }
    return context;
  }

  #compiled(where: string): Setup {
    if (!this.#setup) {
      throw new ValueError(`${where}: ${this.label} must be compiled first: call model.compile({ optimizer, loss, metrics }) before ${where}`);
    }
    return this.#setup;
  }

  /** A forward pass; activity penalties of earlier passes are dropped first. */
  #forward(x: Tensor, training: boolean): Tensor {
    for (const layer of this.layers) layer.clearActivityLosses();
    return this.call(x, { training });
  }

  #totalLoss(loss: Loss, batch: Batch, yPred: Tensor): Tensor {
    const penalties = this.layers.flatMap((l) => l.regularizationLosses());
    return penalties.reduce((total, p) => ops.add(total, p), computeLoss(loss, batch.y, yPred, batch.sampleWeight));
  }

  /** Converts and checks data against the model, building it first when its input shape was not known. */
  #checkedData(where: string, x: TensorLike, y: TensorLike, sampleWeight?: TensorLike, classWeight?: Readonly<Record<number, number>>): Dataset {
    const data = toDataset(where, x, y, sampleWeight);
    this.buildFor(data.x.shape);
    checkInputShape(where, this.label, data.x, this.inputShape);
    checkLabels(where, this.#setup!.loss, data.y, this.outputShape);
    if (classWeight !== undefined) {
      if (data.sampleWeight) throw new ValueError(`${where}: give either 'sampleWeight' or 'classWeight', not both`);
      data.sampleWeight = classWeightsToSampleWeights(where, data.y, classWeight);
    }
    return data;
  }

  #fitData(x: TensorLike, y: TensorLike, options: FitOptions): [Dataset, Dataset | null] {
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

  async #evaluateData(data: Dataset, batchSize: number, verbose: 0 | 1 | 2): Promise<Logs> {
    const setup = this.#compiled('evaluate');
    const tracker = new MetricsTracker(setup.metrics);
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
    const lr = this.#setup!.optimizer.learningRate;
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
