/**
 * A model's topology as Keras and TensorFlow.js write it: `{ class_name: 'Sequential', config: { name,
 * layers } }` for a stack, `{ class_name: 'Model', config: { name, layers (each with inbound_nodes),
 * input_layers, output_layers } }` for a graph of layers.
 */
import type { BaseLayer, JsonObject, JsonValue, LayerNode, LayerShape, SymbolicTensor } from '../layers/index.js';
import { ValueError } from '../util/errors.js';
import type { Graph } from './graph.js';

/** What the file says wrote it (TensorFlow.js ignores both fields; Keras reads them as versions). */
const WRITER = { keras_version: 'layerwise', backend: 'layerwise' };

function layerEntry(layer: BaseLayer): JsonObject {
  return { class_name: layer.className, config: layer.getConfig() };
}

/** A Sequential model: its layers in order, the first carrying the batch input shape. */
export function sequentialTopology(name: string, layers: readonly BaseLayer[], inputShape: LayerShape | null, label: string): JsonObject {
  if (!inputShape) {
    throw new ValueError(`${label}.save: the model is not built yet, so its input shape is unknown: give the first layer an 'inputShape', call build([null, ...]) or fit first`);
  }
  const entries = layers.map(layerEntry);
  const first = entries[0];
  if (first) (first['config'] as JsonObject)['batch_input_shape'] = [...inputShape];
  return { class_name: 'Sequential', config: { name, layers: entries }, ...WRITER };
}

/** A functional model: every layer once, with the nodes (calls) that feed it, in an order where inputs come first. */
export function functionalTopology(name: string, graph: Graph): JsonObject {
  // A layer called several times (shared weights) has one node per call: [layer name, node index, output index].
  const nodeIndex = new Map<LayerNode, number>();
  const calls = new Map<BaseLayer, LayerNode[]>();
  for (const t of graph.order) {
    if (nodeIndex.has(t.node)) continue;
    const list = calls.get(t.node.layer) ?? [];
    nodeIndex.set(t.node, list.length);
    list.push(t.node);
    calls.set(t.node.layer, list);
  }
  const ref = (t: SymbolicTensor): JsonValue[] => [t.node.layer.name, nodeIndex.get(t.node)!, t.index];
  const layers = [...calls].map(([layer, nodes]): JsonObject => ({
    name: layer.name,
    ...layerEntry(layer),
    inbound_nodes: nodes.filter((n) => n.inputs.length > 0).map((n) => n.inputs.map((i) => [...ref(i), {}])),
  }));
  return {
    class_name: 'Model',
    config: { name, layers, input_layers: graph.inputs.map(ref), output_layers: graph.outputs.map(ref) },
    ...WRITER,
  };
}
