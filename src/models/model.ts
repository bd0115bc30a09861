/**
 * Model: what a model is — its layer graph, its weights and how it was compiled — plus its saved form,
 * summary and doctor. The loops (fit, evaluate, predict, trainStep) are its base class's (trainer.ts).
 * `new Model({ inputs, outputs })` builds a functional model from symbolic tensors; Sequential
 * (sequential.ts) is a subclass that stacks layers; a subclass may also override `call` and `layers`.
 */
import type { BaseLayer, CallOptions, JsonObject, LayerShape } from '../layers/index.js';
import { formatLayerShape } from '../layers/index.js';
import type { Loss, LossIdentifier } from '../losses/index.js';
import { getLoss } from '../losses/index.js';
import { checkMetric } from '../metrics/index.js';
import type { Optimizer } from '../optimizers/index.js';
import { getOptimizer } from '../optimizers/index.js';
import type { TensorLike } from '../tensor/creation.js';
import type { Tensor } from '../tensor/tensor.js';
import type { Variable } from '../tensor/variable.js';
import { ValueError, describe } from '../util/errors.js';
import { snakeCase, uniqueName } from '../util/names.js';
import type { ArrayData } from './array-data.js';
import { checkInputShape, splitForValidation, toArrayData } from './array-data.js';
import type { DoctorContext, DoctorFinding } from './doctor/check.js';
import type { Samples } from './doctor/context.js';
import { doctorContext } from './doctor/context.js';
import { diagnose } from './doctor/doctor.js';
import { Graph } from './graph.js';
import type { CompileOptions, FunctionalOptions, ModelOptions } from './options.js';
import { isFunctional } from './options.js';
import { toArtifacts } from './saving/artifacts.js';
import type { FileOptions } from './saving/files.js';
import type { ModelArtifacts } from './saving/format.js';
import type { ModelLocation } from './saving/io.js';
import { saveArtifacts } from './saving/io.js';
import { trainingStateOf } from './saving/training-state.js';
import type { SummaryRow } from './summary.js';
import { formatSummary } from './summary.js';
import { functionalTopology } from './topology-write.js';
import type { Compiled } from './trainer.js';
import { Trainer } from './trainer.js';
import { MetricsTracker } from './tracker.js';

export interface SaveOptions extends FileOptions {
  /**
   * Also save what continuing the run needs: the optimizer's slots and iteration count, the last epoch,
   * the random generator's position and the history (default false; ModelCheckpoint always saves them).
   */
  includeTrainingState?: boolean;
}

interface Setup extends Compiled {
  /** The loss as compile() was given it: a name is what a saved training config can record. */
  lossId: LossIdentifier;
}

export class Model extends Trainer {
  readonly name: string;
  readonly #graph: Graph | null;
  #setup: Setup | null = null;

  /** With inputs and outputs, a functional model; without, a subclass that overrides call() and layers. */
  constructor(options: FunctionalOptions | ModelOptions = {}) {
    super();
    const functional = isFunctional(options);
    if (options.name !== undefined && (typeof options.name !== 'string' || options.name === '')) {
      throw new ValueError(`${new.target.name}: option 'name' expected a non-empty string, received ${describe(options.name)}`);
    }
    this.name = options.name ?? uniqueName(functional ? 'functional' : snakeCase(new.target.name));
    this.#graph = isFunctional(options) ? new Graph([options.inputs], [options.outputs], `Model '${this.name}'`) : null;
  }

  get label(): string {
    return `${this.constructor.name} '${this.name}'`;
  }

  get layers(): BaseLayer[] {
    return [...(this.#graph?.layers ?? [])];
  }

  get inputShape(): LayerShape | null {
    return this.#graph?.inputs[0]!.shape ?? null;
  }

  get outputShape(): LayerShape | null {
    return this.#graph?.outputs[0]!.shape ?? null;
  }

  get optimizer(): Optimizer | null {
    return this.#setup?.optimizer ?? null;
  }

  get loss(): Loss | null {
    return this.#setup?.loss ?? null;
  }

  call(x: Tensor, options: CallOptions = {}): Tensor {
    if (!this.#graph) {
      throw new ValueError(`${this.label}: a Model made without inputs and outputs must override call() (or use Sequential, or Model({ inputs, outputs }))`);
    }
    return this.#graph.run([x], options)[0]!;
  }

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
    this.#warn(diagnose('compile', this.#doctorContext()));
  }

  protected compiled(where: string): Compiled {
    if (!this.#setup) {
      throw new ValueError(`${where}: ${this.label} must be compiled first: call model.compile({ optimizer, loss, metrics }) before ${where}`);
    }
    return this.#setup;
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
      trainingState: options.includeTrainingState ? trainingStateOf(this.history) : null,
    });
  }

  /**
   * Saves the model in the TensorFlow.js Layers format: to a folder (`model.json` + `weights.bin`, which
   * tf.loadLayersModel reads) in Node, or through an IO handler (TensorFlow.js's work too).
   */
  async save(location: ModelLocation, options: SaveOptions = {}): Promise<void> {
    await saveArtifacts(location, this.toArtifacts(options), `${this.label}.save`, options);
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

  /**
   * Runs every check of the model doctor now: the compile checks, and with data those fit runs on it
   * (`validationSplit` as fit would take it). Prints each finding with its reason and fix, or that there
   * are none, and returns them. Unlike fit, it reports labels that do not fit the loss instead of throwing.
   */
  doctor(x?: TensorLike, y?: TensorLike, options: { validationSplit?: number; printFn?: (line: string) => void } = {}): DoctorFinding[] {
    this.compiled('doctor');
    const findings = diagnose('compile', this.#doctorContext());
    if (x !== undefined || y !== undefined) {
      if (x === undefined || y === undefined) throw new ValueError(`${this.label}.doctor: give both x and y to check the data, or neither`);
      const data = toArrayData(`${this.label}.doctor`, x, y);
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

  protected checkTrainingData(train: ArrayData, validationSplit: ArrayData | null): void {
    this.#warn(diagnose('fit', this.#doctorContext(train, validationSplit)));
  }

  #warn(findings: readonly DoctorFinding[]): void {
    for (const finding of findings) console.warn(`layerwise doctor: ${finding.message}`);
  }

  #doctorContext(data?: Samples, validationSplit?: Samples | null): DoctorContext {
    const { loss, optimizer, metrics } = this.#setup!;
    return doctorContext({ loss, optimizer, metrics, layers: this.layers, outputPath: this.outputPath(), outputShape: this.outputShape }, data, validationSplit);
  }
}
