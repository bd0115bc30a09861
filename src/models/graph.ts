/**
 * The graph of a functional model: the layer applications (nodes) between its inputs and outputs. A node
 * may be a layer applied a second time (shared weights) or a whole model used as a layer (nested). Nodes
 * and layers are ordered as Keras orders them: by depth from the outputs, deepest (the inputs) first, ties
 * in the order a walk back from the outputs meets them, so every node comes after the nodes it reads.
 * Running it maps each symbolic tensor to a value and a mask (null where none was made).
 */
import type { BaseLayer, CallOptions, LayerNode, NodeResult } from '../layers/index.js';
import { InputLayer, SymbolicTensor } from '../layers/index.js';
import type { Tensor } from '../tensor/tensor.js';
import { ValueError, describe } from '../util/errors.js';

export class Graph {
  /** Every node between the inputs and the outputs, each after the nodes it reads. */
  readonly nodes: readonly LayerNode[];
  /** Every layer once, inputs first (Keras's order of `model.layers`). */
  readonly layers: readonly BaseLayer[];

  constructor(
    readonly inputs: readonly SymbolicTensor[],
    readonly outputs: readonly SymbolicTensor[],
    where: string,
  ) {
    for (const [arg, list] of [['inputs', inputs], ['outputs', outputs]] as const) {
      if (list.length === 0) throw new ValueError(`${where}: argument '${arg}' expected at least one symbolic tensor, received none`);
      list.forEach((t) => {
        if (!(t instanceof SymbolicTensor)) throw new ValueError(`${where}: argument '${arg}' expected symbolic tensors (from Input() and layer.apply), received ${describe(t)}`);
      });
    }
    inputs.forEach((t, i) => {
      if (!(t.node.layer instanceof InputLayer)) throw new ValueError(`${where}: argument 'inputs' expected tensors made by Input(), received one made by ${t.node.layer.label}`);
      if (inputs.indexOf(t) !== i) throw new ValueError(`${where}: argument 'inputs' lists ${t.node.layer.label} twice`);
    });
    const names = new Set<string>();
    for (const t of inputs) {
      if (names.has(t.node.layer.name)) throw new ValueError(`${where}: two inputs are named '${t.node.layer.name}'; inputs are told apart by name`);
      names.add(t.node.layer.name);
    }
    [this.nodes, this.layers] = orderByDepth(inputs, outputs, where);
  }

  /** Computes the outputs (and their masks) from one value per input, and optionally their masks. */
  run(values: readonly Tensor[], options: CallOptions, inputMasks: readonly (Tensor | null)[] = []): NodeResult {
    const computed = new Map<SymbolicTensor, { value: Tensor; mask: Tensor | null }>();
    const plain: CallOptions = options.training === undefined ? {} : { training: options.training };
    this.inputs.forEach((t, i) => computed.set(t, { value: t.node.layer.invoke([values[i]!], plain), mask: inputMasks[i] ?? null }));
    for (const node of this.nodes) {
      if (node.inputs.length === 0) continue;
      const read = node.inputs.map((t) => computed.get(t)!);
      const result = node.layer.invokeNode(read.map((r) => r.value), read.map((r) => r.mask), plain, node.call);
      node.outputs.forEach((t, i) => computed.set(t, { value: result.outputs[i]!, mask: result.masks[i] ?? null }));
    }
    const out = this.outputs.map((t) => computed.get(t)!);
    return { outputs: out.map((o) => o.value), masks: out.map((o) => o.mask) };
  }
}

/**
 * Walks back from the outputs (failing on an Input that is not among the model's inputs, and on a
 * cycle), then orders nodes and layers by their depth: the longest path from them to an output.
 */
function orderByDepth(inputs: readonly SymbolicTensor[], outputs: readonly SymbolicTensor[], where: string): [LayerNode[], BaseLayer[]] {
  const met: LayerNode[] = [];
  const metLayers = new Map<BaseLayer, number>();
  const finished = new Set<LayerNode>();
  const started = new Set<LayerNode>();
  const stack: { node: LayerNode; next: number }[] = [];
  const visit = (t: SymbolicTensor): void => {
    if (finished.has(t.node)) return;
    if (started.has(t.node)) throw new ValueError(`${where}: the graph has a cycle through ${t.node.layer.label}`);
    if (t.node.inputs.length === 0 && !inputs.includes(t.node.outputs[0]!)) {
      throw new ValueError(`${where}: the graph is disconnected: ${t.node.layer.label} feeds the outputs but is not one of the model's inputs`);
    }
    started.add(t.node);
    if (!metLayers.has(t.node.layer)) metLayers.set(t.node.layer, metLayers.size);
    stack.push({ node: t.node, next: 0 });
  };
  for (const output of outputs) {
    visit(output);
    while (stack.length > 0) {
      const top = stack[stack.length - 1]!;
      if (top.next < top.node.inputs.length) {
        visit(top.node.inputs[top.next++]!);
      } else {
        stack.pop();
        started.delete(top.node);
        finished.add(top.node);
        met.push(top.node);
      }
    }
  }
  // Inputs that no output depends on still belong to the model (Keras keeps them).
  for (const input of inputs) {
    if (!finished.has(input.node)) {
      finished.add(input.node);
      met.unshift(input.node);
      if (!metLayers.has(input.node.layer)) metLayers.set(input.node.layer, metLayers.size);
    }
  }
  // `met` lists every node after the nodes it reads; walking it backwards, a node's depth is known before its inputs'.
  const depth = new Map<LayerNode, number>();
  for (const t of outputs) depth.set(t.node, 0);
  for (let i = met.length - 1; i >= 0; i--) {
    const node = met[i]!;
    const d = depth.get(node) ?? 0;
    for (const t of node.inputs) depth.set(t.node, Math.max(depth.get(t.node) ?? 0, d + 1));
  }
  const inputDepth = Math.max(...met.map((n) => depth.get(n) ?? 0));
  for (const input of inputs) depth.set(input.node, Math.max(depth.get(input.node) ?? 0, inputDepth));
  const metIndex = new Map(met.map((n, i) => [n, i]));
  const nodes = [...met].sort((a, b) => depth.get(b)! - depth.get(a)! || metIndex.get(a)! - metIndex.get(b)!);
  const layerDepth = new Map<BaseLayer, number>();
  for (const n of nodes) layerDepth.set(n.layer, Math.max(layerDepth.get(n.layer) ?? 0, depth.get(n)!));
  const layers = [...metLayers.keys()].sort((a, b) => layerDepth.get(b)! - layerDepth.get(a)! || metLayers.get(a)! - metLayers.get(b)!);
  return [nodes, layers];
}
