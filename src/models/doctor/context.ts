/** What the doctor's checks look at, gathered from a compiled model and, at fit, from its data. */
import { sliceRows } from '../../data/index.js';
import type { BaseLayer, LayerShape } from '../../layers/index.js';
import type { Loss } from '../../losses/index.js';
import type { MetricIdentifier } from '../../metrics/index.js';
import type { Optimizer } from '../../optimizers/index.js';
import type { Tensor } from '../../tensor/tensor.js';
import type { DoctorContext } from './check.js';

/** The parts of a compiled model the checks read. */
export interface DoctorSubject {
  loss: Loss;
  optimizer: Optimizer;
  metrics: readonly MetricIdentifier[];
  layers: readonly BaseLayer[];
  /** The layers from the output backwards along first inputs, where the output activation is found. */
  outputPath: readonly BaseLayer[];
  outputShape: LayerShape | null;
}

/**
 * Samples `offset .. offset + size - 1` of an input x and an output's labels y, either of which may be
 * absent (a validationSplit part shares the arrays of the whole).
 */
export interface Samples {
  x?: Tensor;
  y?: Tensor;
  offset: number;
  size: number;
}

/** The context of the checks; `validationSplit` is the validation part cut from the end of the data. */
export function doctorContext(subject: DoctorSubject, data?: Samples, validationSplit?: Samples | null): DoctorContext {
  const { loss, optimizer, metrics, layers, outputPath, outputShape } = subject;
  const layer = outputPath.find((l) => l.outputActivation !== null);
  const units = outputShape?.[outputShape.length - 1] ?? (layer && 'units' in layer && typeof layer.units === 'number' ? layer.units : null);
  const context: DoctorContext = {
    output: layer ? { layer, activation: layer.outputActivation!, units } : null,
    loss,
    optimizer,
    metrics: metrics.map((m) => (typeof m === 'string' ? m : m.name)),
    layers,
  };
  // The rows of a validationSplit part are copied out only if a check reads them.
  const rows = (part: Samples, t: Tensor): (() => Tensor) => {
    let copy: Tensor | null = null;
    return () => (copy ??= part.offset === 0 && part.size === t.shape[0] ? t : sliceRows(t, part.offset, part.offset + part.size));
  };
  if (data?.x) Object.defineProperty(context, 'x', { get: rows(data, data.x), enumerable: true });
  if (data?.y) Object.defineProperty(context, 'y', { get: rows(data, data.y), enumerable: true });
  if (validationSplit?.y) {
    const y = rows(validationSplit, validationSplit.y);
    context.validation = { get y() { return y(); }, split: true };
  }
  return context;
}
