/** The model summary in Keras's layout: one row per layer with its output shape and parameter count. */
import type { BaseLayer } from '../layers/index.js';
import { formatLayerShape } from '../layers/index.js';
import type { Graph } from './graph.js';
import { graphNodeIndex } from './topology-write.js';

export interface SummaryRow {
  /** `conv2d (Conv2D)`. */
  layer: string;
  outputShape: string;
  params: number;
  /** What feeds this layer (functional models), as Keras writes it: `layer[node][tensor]`, one per line. */
  connectedTo?: string[];
}

export interface SummaryInput {
  title: string;
  rows: readonly SummaryRow[];
  trainable: number;
  nonTrainable: number;
}

const count = (n: number): string => n.toLocaleString('en-US');

/** Bytes of float32 weights, as Keras prints them next to totals. */
function size(params: number): string {
  const bytes = params * 4;
  if (bytes < 1024) return `${bytes.toFixed(2)} B`;
  if (bytes < 1024 ** 2) return `${(bytes / 1024).toFixed(2)} KB`;
  return `${(bytes / 1024 ** 2).toFixed(2)} MB`;
}

export function formatSummary({ title, rows, trainable, nonTrainable }: SummaryInput): string {
  const connected = rows.some((r) => r.connectedTo !== undefined);
  const header = ['Layer (type)', 'Output Shape', 'Param #', ...(connected ? ['Connected to'] : [])];
  // A layer fed by several tensors takes one line per connection, its other columns blank after the first.
  const cells = rows.flatMap((r) => {
    const links = r.connectedTo ?? [];
    const first = [r.layer, r.outputShape, count(r.params), ...(connected ? [links[0] ?? ''] : [])];
    return [first, ...links.slice(1).map((link) => ['', '', '', link])];
  });
  const widths = header.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i]!.length)) + 3);
  const line = (c: readonly string[]): string => ` ${c.map((v, i) => v.padEnd(widths[i]!)).join('')}`.trimEnd();
  const total = widths.reduce((a, b) => a + b, 1);
  return [
    `Model: "${title}"`,
    '_'.repeat(total),
    line(header),
    '='.repeat(total),
    ...cells.map(line),
    '='.repeat(total),
    `Total params: ${count(trainable + nonTrainable)} (${size(trainable + nonTrainable)})`,
    `Trainable params: ${count(trainable)} (${size(trainable)})`,
    `Non-trainable params: ${count(nonTrainable)} (${size(nonTrainable)})`,
    '_'.repeat(total),
  ].join('\n');
}

/**
 * The rows of a graph, as Keras prints one: a row per layer, its output shape ('multiple' when a shared
 * layer made several), and what feeds it as `layer[node][tensor]`, one connection per line.
 */
export function graphRows(graph: Graph, isModel: (layer: BaseLayer) => boolean): SummaryRow[] {
  const index = graphNodeIndex(graph, isModel);
  return graph.layers.map((layer) => {
    const nodes = graph.nodes.filter((n) => n.layer === layer);
    const shapes = [...new Set(nodes.flatMap((n) => n.outputs.map((t) => formatLayerShape(t.shape))))];
    return {
      layer: `${layer.name} (${layer.className})`,
      outputShape: shapes.length === 1 ? shapes[0]! : 'multiple',
      params: layer.countParams(),
      connectedTo: nodes.flatMap((n) => n.inputs.map((t) => `${t.node.layer.name}[${index.get(t.node)}][${t.index}]`)),
    };
  });
}
