/**
 * Models from the topology in model.json, as TensorFlow.js, Keras 2 and Keras 3 write it: Sequential
 * (a list of layers, perhaps led by an InputLayer, or the older bare list) and functional models
 * (`Model` / `Functional`: layers with inbound nodes, in Keras 2's nested lists or Keras 3's `args`),
 * with one or several inputs and outputs. A layer entry that is itself a model is built the same way
 * and nested; its calls are counted from node 1 (node 0 is the model's own, as Keras counts).
 */
import type { BaseLayer, LayerFactory, NodeCall, SymbolicTensor } from '../layers/index.js';
import { ConfigReader, Input, Layer, MergeLayer, layerFromConfig } from '../layers/index.js';
import { isDType } from '../util/dtype.js';
import { LayerwiseError, ValueError, describe } from '../util/errors.js';
import type { JsonObject, JsonValue } from '../util/json.js';
import { isJsonObject } from '../util/json.js';
import { Model } from './model.js';
import { Sequential } from './sequential.js';

const SHAPE_KEYS = ['batch_input_shape', 'batchInputShape', 'batch_shape', 'input_shape', 'inputShape'];
const MODEL_CLASSES = ['Sequential', 'Model', 'Functional'];

type Factories = Readonly<Record<string, LayerFactory>>;

/** A layer of the file: built from its config, or, for a nested model, from its own topology. */
function layerOf(e: LayerEntry, custom: Factories): BaseLayer {
  if (!MODEL_CLASSES.includes(e.className) || custom[e.className]) return layerFromConfig(e.className, e.config, e.where, custom);
  return e.className === 'Sequential' ? sequentialFrom(e.config, `${e.where}.config`, custom) : functionalFrom(e.config, `${e.where}.config`, custom);
}

interface LayerEntry {
  className: string;
  config: JsonObject;
  where: string;
  raw: JsonObject;
}

function entry(v: JsonValue | undefined, where: string): LayerEntry {
  if (!isJsonObject(v) || typeof v['class_name'] !== 'string' || !isJsonObject(v['config'])) {
    throw new ValueError(`${where} expected a layer { class_name, config }, received ${describe(v)}`);
  }
  return { className: v['class_name'], config: v['config'], where, raw: v };
}

/** Builds the model a topology describes, with the layers' names from the file. */
export function modelFromTopology(topology: JsonObject, where: string, custom: Readonly<Record<string, LayerFactory>>): Model {
  const className = topology['class_name'];
  const config = topology['config'];
  const at = `${where}: modelTopology`;
  if (className === 'Sequential') return sequentialFrom(config, `${at}.config`, custom);
  if (className === 'Model' || className === 'Functional') {
    return functionalFrom(config, `${at}.config`, custom);
  }
  throw new ValueError(`${at}.class_name expected "Sequential", "Model" or "Functional", received ${describe(className)}`);
}

function sequentialFrom(config: JsonValue | undefined, where: string, custom: Factories): Sequential {
  // Keras before 2.2.5 wrote the list of layers as the whole config.
  const list = Array.isArray(config) ? config : isJsonObject(config) ? config['layers'] : undefined;
  const listWhere = Array.isArray(config) ? where : `${where}.layers`;
  if (!Array.isArray(list)) throw new ValueError(`${listWhere} expected an array of layers, received ${describe(list)}`);
  const entries = list.map((v, i) => entry(v, `${listWhere}[${i}]`));
  let inputShape: (number | null)[] | null = null;
  if (entries[0]?.className === 'InputLayer') {
    const input = entries.shift()!;
    inputShape = new ConfigReader(input.config, `${input.where}.config`).inputShape();
  }
  if (!inputShape && isJsonObject(config) && Array.isArray(config['build_input_shape'])) {
    inputShape = new ConfigReader(config, where).shape('build_input_shape').slice(1);
  }
  const layers = entries.map((e, i) => {
    // Only the first layer may carry the input shape; an InputLayer already gave it.
    const settings = i === 0 && !inputShape ? e.config : Object.fromEntries(Object.entries(e.config).filter(([k]) => !SHAPE_KEYS.includes(k)));
    const layer = layerOf({ ...e, config: settings }, custom);
    if (!(layer instanceof Layer) && !(layer instanceof Model)) throw new ValueError(`${e.where}: a Sequential model takes single-input layers, received ${e.className}`);
    return layer;
  });
  const name = isJsonObject(config) && typeof config['name'] === 'string' ? config['name'] : undefined;
  const model = new Sequential({ layers, ...(name ? { name } : {}) });
  if (inputShape) model.build([null, ...inputShape]);
  return model;
}

type TensorRef = [layer: string, node: number, tensor: number];

function isRef(v: JsonValue): boolean {
  return Array.isArray(v) && typeof v[0] === 'string' && Number.isInteger(v[1]) && Number.isInteger(v[2]);
}

/** One saved node: the tensors it reads, and how the call passed them when it passed some by keyword. */
interface SavedNode {
  refs: TensorRef[];
  call: NodeCall | null;
}

const KERAS_TENSOR = '__keras_tensor__';

/** The [layer, node, tensor] of a Keras 3 tensor entry, else null. */
function kerasTensorRef(v: JsonValue | undefined): TensorRef | null {
  if (!isJsonObject(v) || v['class_name'] !== KERAS_TENSOR || !isJsonObject(v['config'])) return null;
  const history = v['config']['keras_history'] ?? null;
  return isRef(history) ? ((history as JsonValue[]).slice(0, 3) as TensorRef) : null;
}

/**
 * Inputs passed by keyword (`{ value: ref, use_causal_mask: true }`): the tensors in order, with their
 * keywords and the other settings; null when no tensor is passed that way (the kwargs of other layers,
 * such as `training`, are not inputs). `training` and nulls are run-time matters, never settings.
 */
function keywordCall(entries: readonly [string, JsonValue][], asRef: (v: JsonValue) => TensorRef | null): { refs: TensorRef[]; call: NodeCall } | null {
  const refs: TensorRef[] = [];
  const keywords: string[] = [];
  const settings: JsonObject = {};
  for (const [key, value] of entries) {
    const ref = asRef(value);
    if (ref) {
      refs.push(ref);
      keywords.push(key);
    } else if (key !== 'training' && value !== null) {
      settings[key] = value;
    }
  }
  return refs.length === 0 ? null : { refs, call: { keywords, settings } };
}

/**
 * The tensors one node reads: Keras 2 `[[name, node, tensor, kwargs], ...]` (a layer that takes inputs by
 * keyword has them in the kwargs: `[[query, 0, 0, { value: [name, node, tensor] }]]`), Keras 3
 * `{ args: [keras tensors], kwargs }` (positional inputs named by the layer's call signature).
 */
function nodeInputs(node: JsonValue, layer: BaseLayer, where: string): SavedNode {
  if (Array.isArray(node) && node.every((r) => isRef(r))) {
    const refs = node.map((r) => (r as JsonValue[]).slice(0, 3) as TensorRef);
    const kwargs = node.length === 1 ? (node[0] as JsonValue[])[3] : undefined;
    const byKeyword = isJsonObject(kwargs) ? keywordCall(Object.entries(kwargs), (v) => (isRef(v) ? ((v as JsonValue[]).slice(0, 3) as TensorRef) : null)) : null;
    return byKeyword ? { refs: [...refs, ...byKeyword.refs], call: byKeyword.call } : { refs, call: null };
  }
  if (isJsonObject(node) && Array.isArray(node['args'])) {
    const args = node['args'];
    const kwargs = isJsonObject(node['kwargs']) ? node['kwargs'] : {};
    const signature = layer.callSignature;
    if (signature.length > 0) {
      const named: [string, JsonValue][] = [...args.map((v, i): [string, JsonValue] => [signature[i] ?? `argument ${i}`, v]), ...Object.entries(kwargs)];
      const first = named.find(([key]) => key === signature[0]);
      const firstRef = first ? kerasTensorRef(first[1]) : null;
      const rest = keywordCall(named.filter(([key]) => key !== signature[0]), kerasTensorRef);
      if (firstRef && rest) return { refs: [firstRef, ...rest.refs], call: rest.call };
    }
    const refs: TensorRef[] = [];
    const visit = (v: JsonValue): void => {
      if (Array.isArray(v)) v.forEach(visit);
      else {
        const ref = kerasTensorRef(v);
        if (ref) refs.push(ref);
      }
    };
    visit(args);
    // A recurrent layer's initial states come after its input, as Keras 2 and TensorFlow.js list them.
    if (kwargs['initial_state'] !== undefined) visit(kwargs['initial_state']);
    if (refs.length > 0) return { refs, call: null };
  }
  throw new ValueError(`${where} expected an inbound node ([[layer name, node index, tensor index, {}], ...] or { args: [...] }), received ${describe(node)}`);
}

/** `[[name, node, tensor], ...]`, or Keras 3's single `[name, node, tensor]`. */
function endpoints(v: JsonValue | undefined, where: string): TensorRef[] {
  if (Array.isArray(v) && isRef(v)) return [v as unknown as TensorRef];
  if (Array.isArray(v) && v.length > 0 && v.every((r) => isRef(r))) return v.map((r) => (r as JsonValue[]).slice(0, 3) as TensorRef);
  throw new ValueError(`${where} expected [[layer name, node index, tensor index], ...], received ${describe(v)}`);
}

function functionalFrom(config: JsonValue | undefined, where: string, custom: Factories): Model {
  if (!isJsonObject(config)) throw new ValueError(`${where} expected { name, layers, input_layers, output_layers }, received ${describe(config)}`);
  const list = config['layers'];
  if (!Array.isArray(list)) throw new ValueError(`${where}.layers expected an array of layers, received ${describe(list)}`);
  // Each layer's nodes (calls), each with its outputs, as they get computed.
  const outputs = new Map<string, SymbolicTensor[][]>();
  const nested = new Set<string>();
  /** Node `node` of layer `layer` as the file counts it: a nested model's calls start at 1. */
  const nodeAt = (layer: string, node: number): SymbolicTensor[] | undefined => outputs.get(layer)?.[nested.has(layer) ? Math.max(0, node - 1) : node];
  const pending: { layer: BaseLayer; name: string; nodes: SavedNode[]; where: string }[] = [];
  list.forEach((v, i) => {
    const e = entry(v, `${where}.layers[${i}]`);
    const name = typeof e.raw['name'] === 'string' ? e.raw['name'] : new ConfigReader(e.config, `${e.where}.config`).string('name');
    if (outputs.has(name)) throw new ValueError(`${e.where}: a second layer named '${name}'`);
    if (e.className === 'InputLayer') {
      const c = new ConfigReader(e.config, `${e.where}.config`);
      const shape = c.inputShape();
      if (!shape) throw new ValueError(`${e.where}.config expected batch_input_shape (or batch_shape), received none`);
      const dtype = c.get('dtype');
      outputs.set(name, [[Input({ shape, name, ...(isDType(dtype) ? { dtype } : {}) })]]);
      return;
    }
    const nodes = e.raw['inbound_nodes'];
    if (!Array.isArray(nodes)) throw new ValueError(`${e.where}.inbound_nodes expected an array, received ${describe(nodes)}`);
    outputs.set(name, []);
    if (MODEL_CLASSES.includes(e.className)) nested.add(name);
    const layer = layerOf(e, custom);
    pending.push({ layer, name, nodes: nodes.map((n, j) => nodeInputs(n, layer, `${e.where}.inbound_nodes[${j}]`)), where: e.where });
  });
  // Layers are listed inputs first, but a node may read a layer listed after it: apply nodes as their inputs appear.
  for (let progress = true; progress; ) {
    progress = false;
    for (const p of pending) {
      const produced = outputs.get(p.name)!;
      while (produced.length < p.nodes.length) {
        const { refs, call } = p.nodes[produced.length]!;
        const inputs = refs.map(([layer, node, index]) => {
          if (!outputs.has(layer)) throw new ValueError(`${p.where}: an inbound node reads layer '${layer}', which the file does not define`);
          const made = nodeAt(layer, node);
          if (made && !made[index]) throw new ValueError(`${p.where}: an inbound node reads output ${index} of '${layer}', which has ${made.length}`);
          return made?.[index];
        });
        if (inputs.some((t) => t === undefined)) break;
        produced.push(applyLayer(p.layer, inputs as SymbolicTensor[], call, p.where));
        progress = true;
      }
    }
  }
  const stuck = pending.find((p) => outputs.get(p.name)!.length < p.nodes.length);
  if (stuck) throw new ValueError(`${stuck.where}: its inputs are never computed (a cycle, or a node index the file does not define)`);
  const tensors = (refs: TensorRef[], key: string): SymbolicTensor[] => refs.map(([layer, node, index]) => {
    const t = nodeAt(layer, node)?.[index];
    if (!t) throw new ValueError(`${where}.${key} names '${layer}' node ${node} output ${index}, which the file does not define`);
    return t;
  });
  const name = typeof config['name'] === 'string' ? config['name'] : undefined;
  return new Model({
    inputs: tensors(endpoints(config['input_layers'], `${where}.input_layers`), 'input_layers'),
    outputs: tensors(endpoints(config['output_layers'], `${where}.output_layers`), 'output_layers'),
    ...(name ? { name } : {}),
  });
}

function applyLayer(layer: BaseLayer, inputs: SymbolicTensor[], call: NodeCall | null, where: string): SymbolicTensor[] {
  try {
    if (call) return layer.applyCall(inputs, call);
    if (layer instanceof Model) return layer.applyAll(inputs);
    if (layer instanceof MergeLayer) return [layer.apply(inputs)];
    if (layer instanceof Layer) return layer.connect(inputs);
  } catch (error) {
    if (error instanceof LayerwiseError) throw new ValueError(`${where}: ${error.message}`);
    throw error;
  }
  throw new ValueError(`${where}: ${layer.label} takes ${layer instanceof Layer ? 'one input' : 'inputs through its own apply'}, but the file gives it ${inputs.length}`);
}
