/**
 * The model doctor on a whole model: the checks (doctor/) run once per output — its loss, the activation
 * on its way out, its labels — and once per input for its values, each finding reported once and, when
 * the model has several inputs or outputs, naming the one it is about.
 */
import type { BaseLayer } from '../layers/index.js';
import type { Optimizer } from '../optimizers/index.js';
import type { LayerShape } from '../layers/index.js';
import type { ArrayData } from './array-data.js';
import type { OutputSetup } from './compile-setup.js';
import type { DoctorContext, DoctorFinding } from './doctor/check.js';
import type { Samples } from './doctor/context.js';
import { doctorContext } from './doctor/context.js';
import { diagnose } from './doctor/doctor.js';

/** What the doctor reads of a compiled model. */
export interface DoctorModel {
  optimizer: Optimizer;
  outputs: readonly OutputSetup[];
  /** For each output, the layers from it backwards along first inputs. */
  outputPaths: readonly (readonly BaseLayer[])[];
  outputShapes: readonly (LayerShape | null)[];
  inputNames: readonly string[];
  layers: readonly BaseLayer[];
}

export function diagnoseModel(stage: 'compile' | 'fit', model: DoctorModel, data?: ArrayData, validationSplit?: ArrayData | null): DoctorFinding[] {
  const { optimizer, outputs, inputNames } = model;
  const part = (d: ArrayData | null | undefined, pick: (d: ArrayData) => Omit<Samples, 'offset' | 'size'>): Samples | undefined =>
    d ? { ...pick(d), offset: d.offset, size: d.size } : undefined;
  const contexts: { context: DoctorContext; about: string }[] = outputs.map((o, k) => ({
    about: outputs.length > 1 ? `output '${o.name}': ` : '',
    context: doctorContext(
      { loss: o.loss, optimizer, metrics: o.metrics, layers: model.layers, outputPath: model.outputPaths[k] ?? [], outputShape: model.outputShapes[k] ?? null },
      part(data, (d) => ({ y: d.y[k]!, ...(inputNames.length === 1 && k === 0 ? { x: d.x[0]! } : {}) })),
      part(validationSplit, (d) => ({ y: d.y[k]! })) ?? null,
    ),
  }));
  if (inputNames.length > 1 && data) {
    inputNames.forEach((name, j) => contexts.push({
      about: `input '${name}': `,
      context: doctorContext({ loss: outputs[0]!.loss, optimizer, metrics: [], layers: [], outputPath: [], outputShape: null }, part(data, (d) => ({ x: d.x[j]! }))),
    }));
  }
  const seen = new Set<string>();
  const findings: DoctorFinding[] = [];
  for (const { context, about } of contexts) {
    for (const f of diagnose(stage, context)) {
      if (seen.has(f.message)) continue;
      seen.add(f.message);
      // The learning rate is the whole model's; other findings are about one input or output.
      findings.push(f.check === 'learning-rate' ? f : { ...f, message: `${about}${f.message}` });
    }
  }
  return findings;
}
