/**
 * Model: what a model is — its layer graph, its weights and how it was compiled — plus its saved form,
 * summary and doctor. The loops (fit, evaluate, predict, trainStep) are its base class's (trainer.ts).
 * `new Model({ inputs, outputs })` builds a functional model from symbolic tensors, with one or several
 * inputs and outputs; Sequential (sequential.ts) is a subclass that stacks layers; a subclass may also
 * override `call` and `layers`. A model is a layer too (as in Keras): applied to symbolic tensors it
 * becomes one node of another model, sharing its weights.
 */
import type { BaseLayer, CallOptions, JsonObject, LayerShape, NodeResult } from '../layers/index.js';
import { InputLayer, SymbolicTensor, fmtLayerShape } from '../layers/index.js';
import type { Loss } from '../losses/index.js';
import type { Optimizer } from '../optimizers/index.js';
import { tensor } from '../tensor/creation.js';
import { Tensor } from '../tensor/tensor.js';
import type { Variable } from '../tensor/variable.js';
import type { SpecFor } from '../util/checks.js';
import { checkArg, is, optionsSpec } from '../util/checks.js';
import { ShapeError, ValueError, describe, fmtShape } from '../util/errors.js';
import { snakeCase, uniqueName } from '../util/names.js';
import { shapesEqual } from '../util/shape.js';
import type { ArrayData, ModelPorts } from './array-data.js';
import { splitForValidation } from './array-data.js';
import type { Compiled, CompileOptions } from './compile-setup.js';
import { compileSetup, lossConfig } from './compile-setup.js';
import type { DoctorFinding } from './doctor/check.js';
import { Graph } from './graph.js';
import { diagnoseModel } from './model-doctor.js';
import type { TensorData } from './model-io.js';
import type { FunctionalOptions, ModelOptions } from './options.js';
import { FUNCTIONAL_OPTIONS, MODEL_OPTIONS, isFunctional } from './options.js';
import { toArtifacts } from './saving/artifacts.js';
import type { FileOptions } from './saving/files.js';
import type { ModelArtifacts } from './saving/format.js';
import type { ModelLocation } from './saving/io.js';
import { saveArtifacts } from './saving/io.js';
import { trainingStateOf } from './saving/training-state.js';
import type { SummaryRow } from './summary.js';
import { formatSummary, graphRows } from './summary.js';
import { functionalConfig, modelTopology } from './topology-write.js';
import { Trainer } from './trainer.js';

export interface SaveOptions extends FileOptions {
  /**
   * Also save what continuing the run needs: the optimizer's slots and iteration count, the last epoch,
   * the random generator's position and the history (default false; ModelCheckpoint always saves them).
   */
  includeTrainingState?: boolean;
}

const SAVE_OPTIONS = optionsSpec({
  includeTrainingState: is.boolean.optional(),
  weightsFileName: is.nonEmptyString.optional(),
  shardBytes: is.positiveInteger.optional(),
} satisfies SpecFor<SaveOptions>);

/** Every layer once, nested models opened up (a shared layer, or one inside two nested models, counts once). */
function flatten(layers: readonly BaseLayer[], out: Set<BaseLayer> = new Set()): Set<BaseLayer> {
  for (const layer of layers) {
    if (layer instanceof Model) flatten(layer.layers, out);
    else out.add(layer);
  }
  return out;
}

/** Names of the outputs: the layer that makes each, made unique when one layer makes two. */
function outputNames(outputs: readonly SymbolicTensor[]): string[] {
  const names: string[] = [];
  for (const t of outputs) {
    const base = t.node.outputs.length > 1 ? `${t.node.layer.name}_${t.index}` : t.node.layer.name;
    let name = base;
    for (let k = 1; names.includes(name); k++) name = `${base}_${k}`;
    names.push(name);
  }
  return names;
}

export class Model extends Trainer {
  #graph: Graph | null = null;
  #setup: Compiled | null = null;

  /** With inputs and outputs, a functional model; without, a subclass that overrides call() and layers. */
  constructor(options: FunctionalOptions | ModelOptions = {}) {
    const where = new.target.name;
    const graph = isFunctional(options) ? FUNCTIONAL_OPTIONS.parse(where, options) : null;
    const name = graph ? graph.name : MODEL_OPTIONS.parse(where, options).name;
    super({ name: name ?? uniqueName(graph ? 'functional' : snakeCase(new.target.name)) });
    if (graph) {
      const list = (v: SymbolicTensor | readonly SymbolicTensor[]): SymbolicTensor[] => (v instanceof SymbolicTensor ? [v] : [...v]);
      this.useGraph(list(graph.inputs), list(graph.outputs));
    }
  }

  /** Sets the layer graph the model runs (Sequential rebuilds it as layers are added). */
  protected useGraph(inputs: readonly SymbolicTensor[], outputs: readonly SymbolicTensor[]): void {
    this.#graph = new Graph(inputs, outputs, this.label);
  }

  override get label(): string {
    return `${this.constructor.name} '${this.name}'`;
  }

  /** The model's layers, inputs first; a nested model is one layer here (its own `layers` list its insides). */
  get layers(): BaseLayer[] {
    return [...(this.#graph?.layers ?? [])];
  }

  /** Every layer that can own weights, nested models opened up, each once. */
  get flatLayers(): BaseLayer[] {
    return [...flatten(this.layers)];
  }

  override heldTensors(): Tensor[] {
    return [...super.heldTensors(), ...this.flatLayers.flatMap((l) => l.heldTensors())];
  }

  /** A layer by name, or by its position in `layers`. */
  getLayer(nameOrIndex: string | number): BaseLayer {
    const where = `${this.label}.getLayer`;
    const key = checkArg(where, 'nameOrIndex', nameOrIndex, is.nonEmptyString.or(is.nonNegativeInteger));
    const layers = this.layers;
    if (typeof key === 'number') {
      const layer = layers[key];
      if (!layer) throw new ValueError(`${where}: argument 'nameOrIndex' expected an index below ${layers.length} (the number of layers), received ${key}`);
      return layer;
    }
    const layer = layers.find((l) => l.name === key);
    if (!layer) throw new ValueError(`${where}: no layer is named '${key}'; the layers are ${layers.map((l) => `'${l.name}'`).join(', ')}`);
    return layer;
  }

  #graphOrFail(what: string): Graph {
    if (this.#graph) return this.#graph;
    throw new ValueError(
      this.constructor === Model || !('add' in this)
        ? `${this.label}.${what}: a Model made without inputs and outputs has no symbolic ${what}`
        : `${this.label}.${what}: the model is not built yet: give the first layer an 'inputShape', call build([null, ...]) or fit first`,
    );
  }

  /** The symbolic inputs (Input() tensors), in order. */
  get inputs(): SymbolicTensor[] {
    return [...this.#graphOrFail('inputs').inputs];
  }

  /** The symbolic outputs, in order: `new Model({ inputs: base.inputs, outputs: ... })` reuses them. */
  get outputs(): SymbolicTensor[] {
    return [...this.#graphOrFail('outputs').outputs];
  }

  /** The symbolic input of a model with one input. */
  override get input(): SymbolicTensor {
    return this.#only('input', this.inputs);
  }

  /** The symbolic output of a model with one output. */
  override get output(): SymbolicTensor {
    return this.#only('output', this.outputs);
  }

  #only(what: 'input' | 'output', list: SymbolicTensor[]): SymbolicTensor {
    if (list.length !== 1) throw new ValueError(`${this.label}.${what}: the model has ${list.length} ${what}s; use ${what}s`);
    return list[0]!;
  }

  /** The inputs' names (their Input layers'), as records of data key them. */
  get inputNames(): string[] {
    return this.#graph ? this.#graph.inputs.map((t) => t.node.layer.name) : ['input'];
  }

  /** The outputs' names (the layers that make them), as compile, records of labels and logs name them. */
  get outputNames(): string[] {
    return this.#graph ? outputNames(this.#graph.outputs) : ['output'];
  }

  get inputShape(): LayerShape | null {
    return this.#graph?.inputs[0]!.shape ?? null;
  }

  get outputShape(): LayerShape | null {
    return this.#graph?.outputs[0]!.shape ?? null;
  }

  protected ports(): ModelPorts {
    return { inputs: { names: this.inputNames, role: 'input' }, outputs: { names: this.outputNames, role: 'output' } };
  }

  protected portShapes(): { inputs: (LayerShape | null)[]; outputs: (LayerShape | null)[] } {
    const g = this.#graph;
    return g ? { inputs: g.inputs.map((t) => t.shape), outputs: g.outputs.map((t) => t.shape) } : { inputs: [null], outputs: [null] };
  }

  get optimizer(): Optimizer | null {
    return this.#setup?.optimizer ?? null;
  }

  /** The loss of the (first) output; `losses` has one per output. */
  get loss(): Loss | null {
    return this.#setup?.outputs[0]!.loss ?? null;
  }

  /** One loss per output, in output order. */
  get losses(): Loss[] {
    return this.#setup?.outputs.map((o) => o.loss) ?? [];
  }

  /** The computation of a model with one input and one output. */
  call(x: Tensor, options: CallOptions = {}): Tensor {
    const outputs = this.callAll([x], options);
    if (outputs.length !== 1) throw new ValueError(`${this.label}.call: the model has ${outputs.length} outputs; callAll returns them all`);
    return outputs[0]!;
  }

  /** One tensor per output from one tensor per input. Graph models run their graph; subclasses override call(). */
  callAll(inputs: readonly Tensor[], options: CallOptions = {}): Tensor[] {
    return this.runAll(inputs, options).outputs;
  }

  /** The outputs with the masks the layers put on them (a sequence tagger's padding), null where none. */
  protected runAll(inputs: readonly Tensor[], options: CallOptions): NodeResult {
    if (!this.#graph) {
      if (this.call === Model.prototype.call) {
        throw new ValueError(`${this.label}: a Model made without inputs and outputs must override call() (or use Sequential, or Model({ inputs, outputs }))`);
      }
      return { outputs: [this.call(inputs[0]!, options)], masks: [null] };
    }
    this.#checkInputCount(inputs.length);
    return this.#graph.run(inputs, options);
  }

  #checkInputCount(n: number): void {
    const expected = this.#graph?.inputs.length ?? 1;
    if (n !== expected) throw new ValueError(`${this.label}: expected ${expected} input tensor${expected === 1 ? '' : 's'} (${this.inputNames.join(', ')}), received ${n}`);
  }

  protected forward(inputs: readonly Tensor[], training: boolean): NodeResult {
    return this.runAll(inputs, { training });
  }

  // --- The model as a layer of another model --------------------------------------------------------

  /** Applies the model to symbolic tensors (it becomes a node of the model being built), or runs it on tensors. */
  apply(inputs: SymbolicTensor | readonly SymbolicTensor[]): SymbolicTensor;
  apply(inputs: Tensor | readonly Tensor[], options?: CallOptions): Tensor;
  apply(inputs: SymbolicTensor | Tensor | readonly (SymbolicTensor | Tensor)[], options: CallOptions = {}): SymbolicTensor | Tensor {
    const out = this.#applyAll(inputs, options);
    if (out.length !== 1) throw new ValueError(`${this.label}.apply: the model has ${out.length} outputs; applyAll returns them all`);
    return out[0]!;
  }

  /** As apply, returning every output. */
  applyAll(inputs: SymbolicTensor | readonly SymbolicTensor[]): SymbolicTensor[];
  applyAll(inputs: Tensor | readonly Tensor[], options?: CallOptions): Tensor[];
  applyAll(inputs: SymbolicTensor | Tensor | readonly (SymbolicTensor | Tensor)[], options: CallOptions = {}): (SymbolicTensor | Tensor)[] {
    return this.#applyAll(inputs, options);
  }

  #applyAll(inputs: SymbolicTensor | Tensor | readonly (SymbolicTensor | Tensor)[], options: CallOptions): (SymbolicTensor | Tensor)[] {
    const list = Array.isArray(inputs) ? [...inputs] : [inputs];
    if (list.length > 0 && list.every((t): t is SymbolicTensor => t instanceof SymbolicTensor)) {
      this.#checkInputCount(list.length);
      const shapes = list.map((t) => t.shape);
      this.buildFor(shapes);
      return this.addNode(list, this.outputShapesFor(shapes).map((shape, i) => ({ shape, dtype: list[i]?.dtype ?? list[0]!.dtype })));
    }
    if (list.every((t): t is Tensor => t instanceof Tensor)) return this.callAll(list, options);
    throw new ValueError(`${this.label}.apply: expected symbolic tensors or tensors (not a mix), received ${describe(inputs)}`);
  }

  override invokeNode(inputs: readonly Tensor[], masks: readonly (Tensor | null)[], options: CallOptions): NodeResult {
    if (!this.#graph) return { outputs: this.callAll(inputs, options), masks: inputs.map(() => null) };
    return this.#graph.run(inputs, options, masks);
  }

  invoke(inputs: readonly Tensor[], options: CallOptions): Tensor {
    return this.call(inputs[0]!, options);
  }

  /** Checks that inputs of these shapes fit the model's inputs (a Sequential without an input shape builds). */
  buildFor(inputShapes: readonly LayerShape[]): void {
    const g = this.#graph;
    if (!g) return;
    inputShapes.forEach((shape, i) => {
      const expected = g.inputs[i]?.shape;
      if (!expected) return;
      const fits = shape.length === expected.length && expected.every((d, j) => j === 0 || d === null || shape[j] === null || d === shape[j]);
      if (!fits) throw new ShapeError(`${this.label}: input ${i} ('${this.inputNames[i]}') expected shape ${fmtLayerShape(expected)}, received shape ${fmtLayerShape(shape)}`);
    });
  }

  outputShapeFor(inputShapes: readonly LayerShape[]): LayerShape {
    return this.outputShapesFor(inputShapes)[0]!;
  }

  /** The shapes of the outputs for inputs of these shapes (the batch size follows the inputs'). */
  outputShapesFor(inputShapes: readonly LayerShape[]): LayerShape[] {
    const g = this.#graphOrFail('outputs');
    const batch = inputShapes[0]?.[0] ?? null;
    return g.outputs.map((t) => [batch, ...t.shape.slice(1)]);
  }

  // --- Weights --------------------------------------------------------------------------------------

  override get weights(): Variable[] {
    return [...new Set(this.flatLayers.flatMap((l) => l.weights))];
  }

  override get trainableWeights(): Variable[] {
    if (!this.trainable) return [];
    return [...new Set(this.flatLayers.flatMap((l) => l.trainableWeights))];
  }

  override get nonTrainableWeights(): Variable[] {
    const trainable = new Set(this.trainableWeights);
    return this.weights.filter((v) => !trainable.has(v));
  }

  override get trainable(): boolean {
    return super.trainable;
  }

  /** Freezes (false) or unfreezes (true) every layer of the model, as Keras does. */
  override set trainable(value: boolean) {
    super.trainable = checkArg(`${this.label}.trainable`, 'value', value, is.boolean);
    for (const layer of this.layers) layer.trainable = value;
  }

  override countParams(): number {
    return this.weights.reduce((n, v) => n + v.size, 0);
  }

  /** Copies of every weight, layer by layer. */
  override getWeights(): Tensor[] {
    return this.weights.map((v) => tensor(v));
  }

  /** Sets every weight from a list in getWeights order. */
  override setWeights(values: readonly Tensor[]): void {
    const weights = this.weights;
    if (!Array.isArray(values) || values.length !== weights.length) {
      throw new ValueError(`${this.label}.setWeights: expected ${weights.length} tensors (as getWeights returns), received ${describe(values)}`);
    }
    weights.forEach((v, i) => {
      const value = values[i]!;
      if (!(value instanceof Tensor) || !shapesEqual(value.shape, v.shape)) {
        throw new ShapeError(`${this.label}.setWeights: weight ${i} ('${v.name}') expected shape ${fmtShape(v.shape)}, received ${value instanceof Tensor ? fmtShape(value.shape) : describe(value)}`);
      }
    });
    weights.forEach((v, i) => v.assign(values[i]!.dtype === v.dtype ? values[i]! : values[i]!.cast(v.dtype)));
  }

  override regularizationLosses(): Tensor[] {
    return this.flatLayers.flatMap((l) => l.regularizationLosses());
  }

  override clearActivityLosses(): void {
    for (const l of this.flatLayers) l.clearActivityLosses();
  }

  // --- Compile --------------------------------------------------------------------------------------

  /**
   * Chooses the optimizer, the loss and metrics (for every output, or per output) and the outputs' loss
   * weights, and warns (model doctor) about setups that cannot train well.
   */
  compile(options: CompileOptions): void {
    const where = `${this.label}.compile`;
    if (this.layers.filter((l) => !(l instanceof InputLayer)).length === 0 && this.call === Model.prototype.call) {
      throw new ValueError(`${where}: the model has no layers, so there is nothing to train: add layers first (model.add(new Dense({ units: 10 })))`);
    }
    this.#setup = compileSetup(where, options, this.ports().outputs);
    this.#warn(this.#diagnose('compile'));
  }

  protected compiled(where: string): Compiled {
    if (!this.#setup) {
      throw new ValueError(`${where}: ${this.label} must be compiled first: call model.compile({ optimizer, loss, metrics }) before ${where}`);
    }
    return this.#setup;
  }

  // --- Saved form -----------------------------------------------------------------------------------

  /**
   * The settings of the model as model.json holds them: `{ name, layers, input_layers, output_layers }`
   * (Sequential: `{ name, layers }`), nested models inside as their own configs.
   */
  override getConfig(): JsonObject {
    if (!this.#graph) {
      throw new ValueError(`${this.label}.getConfig: a Model that overrides call() has no layer graph to save; build it with Sequential or Model({ inputs, outputs })`);
    }
    return functionalConfig(this.name, this.#graph, (l) => l instanceof Model);
  }

  /**
   * The model in the TensorFlow.js Layers format, in memory: topology, weights, the training config when
   * the losses and metrics were given by name, and with includeTrainingState what fit({ resumeFrom }) needs.
   */
  toArtifacts(options: { includeTrainingState?: boolean } = {}): ModelArtifacts {
    const setup = this.#setup;
    return toArtifacts({
      label: this.label,
      topology: modelTopology(this.className, this.getConfig()),
      layers: this.flatLayers,
      setup: setup && { optimizer: setup.optimizer, loss: lossConfig(setup) },
      trainingState: options.includeTrainingState ? trainingStateOf(this.history) : null,
    });
  }

  /**
   * Saves the model in the TensorFlow.js Layers format: to a folder (`model.json` + `weights.bin`, which
   * tf.loadLayersModel reads) in Node, or through an IO handler (TensorFlow.js's work too).
   */
  async save(location: ModelLocation, options: SaveOptions = {}): Promise<void> {
    const where = `${this.label}.save`;
    const parsed = SAVE_OPTIONS.parse(where, options);
    const file: FileOptions = {
      ...(parsed.weightsFileName !== undefined ? { weightsFileName: parsed.weightsFileName } : {}),
      ...(parsed.shardBytes !== undefined ? { shardBytes: parsed.shardBytes } : {}),
    };
    await saveArtifacts(location, this.toArtifacts({ includeTrainingState: parsed.includeTrainingState ?? false }), where, file);
  }

  // --- Summary --------------------------------------------------------------------------------------

  /** A table of the layers, their output shapes and parameter counts; printed, and returned as text. */
  summary(options: { printFn?: (text: string) => void } = {}): string {
    const where = `${this.label}.summary`;
    const { printFn } = optionsSpec({ printFn: is.func<(text: string) => void>().optional() }).parse(where, options);
    const trainable = this.trainableWeights;
    const text = formatSummary({
      title: this.name,
      rows: this.summaryRows(),
      trainable: trainable.reduce((n, v) => n + v.size, 0),
      nonTrainable: this.nonTrainableWeights.reduce((n, v) => n + v.size, 0),
    });
    (printFn ?? console.log)(text);
    return text;
  }

  /**
   * The rows of summary(), as Keras prints a graph: one per layer, its output shape ('multiple' when a
   * shared layer made several), and what feeds it as `layer[node][tensor]`, one connection per line.
   */
  protected summaryRows(): SummaryRow[] {
    const g = this.#graph;
    if (!g) return this.layers.map((l) => ({ layer: `${l.name} (${l.className})`, outputShape: '?', params: l.countParams() }));
    return graphRows(g, (l) => l instanceof Model);
  }

  /** The activation of a one-output model's last layer that has one (the doctor reads it when the model is nested). */
  override get outputActivation(): string | null {
    return this.outputPaths()[0]?.find((l) => l.outputActivation !== null)?.outputActivation ?? null;
  }

  // --- Doctor ---------------------------------------------------------------------------------------

  /** For each output, the layers from it backwards along first inputs (where the doctor looks for the output activation). */
  protected outputPaths(): BaseLayer[][] {
    return (this.#graph?.outputs ?? []).map((output) => {
      const path: BaseLayer[] = [];
      let t: SymbolicTensor | undefined = output;
      while (t) {
        path.push(t.node.layer);
        t = t.node.inputs.length === 1 ? t.node.inputs[0] : undefined;
      }
      return path;
    });
  }

  /**
   * Runs every check of the model doctor now: the compile checks, and with data those fit runs on it
   * (`validationSplit` as fit would take it). Prints each finding with its reason and fix, or that there
   * are none, and returns them. Unlike fit, it reports labels that do not fit the loss instead of throwing.
   */
  doctor(x?: TensorData, y?: TensorData, options: { validationSplit?: number; printFn?: (line: string) => void } = {}): DoctorFinding[] {
    const where = `${this.label}.doctor`;
    const parsed = optionsSpec({ validationSplit: is.numberIn(0, 1, '()').optional(), printFn: is.func<(line: string) => void>().optional() }).parse(where, options);
    this.compiled('doctor');
    const findings = this.#diagnose('compile');
    if (x !== undefined || y !== undefined) {
      if (x === undefined || y === undefined) throw new ValueError(`${where}: give both x and y to check the data, or neither`);
      const data = this.checkedData(where, x, y, undefined, undefined, false);
      const [train, validation] = parsed.validationSplit === undefined ? [data, null] : splitForValidation(where, data, parsed.validationSplit);
      findings.push(...this.#diagnose('fit', train, validation));
    }
    const print = parsed.printFn ?? console.log;
    if (findings.length === 0) print(`layerwise doctor: no problems found${x === undefined ? ' (pass x and y to check the data too)' : ''}`);
    for (const finding of findings) print(`layerwise doctor: ${finding.message}`);
    return findings;
  }

  protected checkTrainingData(train: ArrayData, validationSplit: ArrayData | null): void {
    this.#warn(this.#diagnose('fit', train, validationSplit));
  }

  #warn(findings: readonly DoctorFinding[]): void {
    for (const finding of findings) console.warn(`layerwise doctor: ${finding.message}`);
  }

  #diagnose(stage: 'compile' | 'fit', data?: ArrayData, validationSplit?: ArrayData | null): DoctorFinding[] {
    const { optimizer, outputs } = this.#setup!;
    return diagnoseModel(stage, { optimizer, outputs, outputPaths: this.outputPaths(), outputShapes: this.portShapes().outputs, inputNames: this.inputNames, layers: this.flatLayers }, data, validationSplit);
  }
}
