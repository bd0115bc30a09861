/**
 * The graph of a functional model: the layer applications (nodes) between its inputs and outputs, in an
 * order where every node comes after the nodes it reads. Running it maps each symbolic tensor to a value.
 */
import type { BaseLayer, CallOptions, LayerNode } from '../layers/index.js';
import { InputLayer, SymbolicTensor } from '../layers/index.js';
import type { Tensor } from '../tensor/tensor.js';
import { ValueError, describe } from '../util/errors.js';

export class Graph {
  /** Every symbolic tensor computed by a layer, inputs first, each after the tensors it reads. */
  readonly order: readonly SymbolicTensor[];
  readonly layers: readonly BaseLayer[];

  constructor(
    readonly inputs: readonly SymbolicTensor[],
    readonly outputs: readonly SymbolicTensor[],
    where: string,
  ) {
    for (const [arg, list] of [['inputs', inputs], ['outputs', outputs]] as const) {
      list.forEach((t) => {
        if (!(t instanceof SymbolicTensor)) throw new ValueError(`${where}: argument '${arg}' expected symbolic tensors (from Input() and layer.apply), received ${describe(t)}`);
      });
    }
    inputs.forEach((t) => {
      if (!(t.node.layer instanceof InputLayer)) throw new ValueError(`${where}: argument 'inputs' expected tensors made by Input(), received one made by ${t.node.layer.label}`);
    });
    this.order = topologicalOrder(outputs, inputs, where);
    this.layers = [...new Set(this.order.map((t) => t.node.layer))];
  }

  /** Computes the outputs from concrete input values. */
  run(values: readonly Tensor[], options: CallOptions): Tensor[] {
    const computed = new Map<SymbolicTensor, Tensor>();
    // A node with several outputs (a recurrent layer's states) runs once for all of them.
    const nodes = new Map<LayerNode, Tensor[]>();
    this.inputs.forEach((t, i) => computed.set(t, t.node.layer.invoke([values[i]!], options)));
    for (const t of this.order) {
      if (computed.has(t)) continue;
      let outputs = nodes.get(t.node);
      if (!outputs) {
        outputs = t.node.layer.invokeNode(t.node.inputs.map((i) => computed.get(i)!), options);
        nodes.set(t.node, outputs);
      }
      computed.set(t, outputs[t.index]!);
    }
    return this.outputs.map((t) => computed.get(t)!);
  }
}

/** Depth-first from the outputs; fails when a path reaches an Input that is not among the model's inputs. */
function topologicalOrder(outputs: readonly SymbolicTensor[], inputs: readonly SymbolicTensor[], where: string): SymbolicTensor[] {
  const order: SymbolicTensor[] = [];
  const done = new Set<SymbolicTensor>();
  const stack: { t: SymbolicTensor; next: number }[] = outputs.map((t) => ({ t, next: 0 })).reverse();
  while (stack.length > 0) {
    const top = stack[stack.length - 1]!;
    if (done.has(top.t)) {
      stack.pop();
      continue;
    }
    const parents = top.t.node.inputs;
    if (parents.length === 0 && !inputs.includes(top.t)) {
      throw new ValueError(`${where}: the graph is disconnected: ${top.t.node.layer.label} feeds the outputs but is not one of the model's inputs`);
    }
    if (top.next < parents.length) {
      const parent = parents[top.next++]!;
      if (!done.has(parent)) stack.push({ t: parent, next: 0 });
    } else {
      done.add(top.t);
      order.push(top.t);
      stack.pop();
    }
  }
  return order;
}
