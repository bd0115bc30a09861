/**
 * A model's topology as Keras and TensorFlow.js write it: `{ class_name: 'Sequential', config: { name,
 * layers } }` for a stack, `{ class_name: 'Model', config: { name, layers (each with inbound_nodes),
 * input_layers, output_layers } }` for a graph of layers. A nested model is one entry of `layers`, its
 * config its own topology's; its calls are nodes 1, 2... (node 0 is the model's own, as in Keras).
 */
import type { BaseLayer, JsonObject, JsonValue, LayerNode, LayerShape } from '../layers/index.js';
import { ValueError } from '../util/errors.js';
import type { Graph } from './graph.js';

/** What the file says wrote it (TensorFlow.js ignores both fields; Keras reads them as versions). */
const WRITER = { keras_version: 'layerwise', backend: 'layerwise' };

function layerEntry(layer: BaseLayer): JsonObject {
  return { class_name: layer.className, config: layer.getConfig() };
}

/** The whole topology: `{ class_name, config }` with the writer's fields. */
export function modelTopology(className: string, config: JsonObject): JsonObject {
  return { class_name: className, config, ...WRITER };
}

/** A Sequential model's config: its layers in order, the first carrying the batch input shape. */
export function sequentialConfig(name: string, layers: readonly BaseLayer[], inputShape: LayerShape | null, label: string): JsonObject {
  if (!inputShape) {
    throw new ValueError(`${label}.save: the model is not built yet, so its input shape is unknown: give the first layer an 'inputShape', call build([null, ...]) or fit first`);
  }
  const entries = layers.map(layerEntry);
  const first = entries[0];
  if (first) (first['config'] as JsonObject)['batch_input_shape'] = [...inputShape];
  return { name, layers: entries };
}

/**
 * The index of each node as files count them: among the nodes of its layer that this graph uses, in the
 * order they were made; a nested model's calls count from 1.
 */
export function graphNodeIndex(graph: Graph, isModel: (layer: BaseLayer) => boolean): Map<LayerNode, number> {
  const index = new Map<LayerNode, number>();
  const used = new Set(graph.nodes);
  const layers = new Set(graph.nodes.map((n) => n.layer));
  for (const layer of layers) {
    let k = isModel(layer) ? 1 : 0;
    for (const node of layer.inboundNodes) if (used.has(node)) index.set(node, k++);
  }
  return index;
}

/**
 * One node as Keras 2 and TensorFlow.js write it: each input `[layer, node, tensor, {}]`; a call that
 * passed inputs by keyword writes its first input with the others and its settings as the kwargs
 * (`[[query, 0, 0, { value: [name, 0, 0], use_causal_mask: true }]]`).
 */
function nodeEntry(n: LayerNode, ref: (node: LayerNode, tensor: number) => JsonValue[]): JsonValue[] {
  if (!n.call) return n.inputs.map((t) => [...ref(t.node, t.index), {}]);
  const { keywords, settings } = n.call;
  const kwargs: JsonObject = { ...Object.fromEntries(keywords.map((k, i) => [k, ref(n.inputs[i + 1]!.node, n.inputs[i + 1]!.index)])), ...settings };
  const first = n.inputs[0]!;
  return [[...ref(first.node, first.index), kwargs]];
}

/** A functional model's config: every layer once, with the nodes (calls) that feed it, inputs first. */
export function functionalConfig(name: string, graph: Graph, isModel: (layer: BaseLayer) => boolean): JsonObject {
  const index = graphNodeIndex(graph, isModel);
  const ref = (node: LayerNode, tensor: number): JsonValue[] => [node.layer.name, index.get(node)!, tensor];
  const layers = graph.layers.map((layer): JsonObject => {
    const nodes = layer.inboundNodes.filter((n) => index.has(n) && n.inputs.length > 0);
    return {
      name: layer.name,
      ...layerEntry(layer),
      inbound_nodes: nodes.map((n) => nodeEntry(n, ref)),
    };
  });
  return {
    name,
    layers,
    input_layers: graph.inputs.map((t) => ref(t.node, t.index)),
    output_layers: graph.outputs.map((t) => ref(t.node, t.index)),
  };
}
