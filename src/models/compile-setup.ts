/**
 * What compile() chooses, per output: the loss, its weight in the total and the metrics, given once for
 * every output or per output (an array in output order, or a record keyed by output name), as Keras takes
 * them. Also the loss and metrics part of the training config a saved model carries, written and read.
 */
import type { Loss, LossIdentifier } from '../losses/index.js';
import { getLoss, lossFromConfig as lossFromJson, lossToConfig } from '../losses/index.js';
import type { MetricIdentifier } from '../metrics/index.js';
import { Metric, checkMetric } from '../metrics/index.js';
import type { OptimizerIdentifier } from '../optimizers/index.js';
import { Optimizer, getOptimizer } from '../optimizers/index.js';
import type { SpecFor } from '../util/checks.js';
import { is, optionsSpec } from '../util/checks.js';
import { ValueError, describe } from '../util/errors.js';
import type { JsonObject, JsonValue } from '../util/json.js';
import { isJsonObject } from '../util/json.js';
import type { PerPort, Ports } from './model-io.js';
import { isRecord, perPort } from './model-io.js';
import type { TrainingConfig } from './saving/format.js';
import { MetricsTracker } from './tracker.js';

export interface CompileOptions {
  /** Default 'rmsprop', as in Keras. */
  optimizer?: OptimizerIdentifier;
  /** One loss for every output, or one per output (an array in output order, or a record by output name). */
  loss: PerPort<LossIdentifier>;
  /**
   * Metrics: a list for every output, or one list per output (an array of lists in output order, or a
   * record by output name). A Metric object measures one output: give each output its own.
   */
  metrics?: readonly MetricIdentifier[] | readonly (readonly MetricIdentifier[])[] | Readonly<Record<string, MetricIdentifier | readonly MetricIdentifier[]>>;
  /** How much each output's loss counts in the total that training minimises (default 1 each). */
  lossWeights?: readonly number[] | Readonly<Record<string, number>>;
}

const isLossId = (v: unknown): boolean => typeof v === 'string' || typeof v === 'function' || (typeof v === 'object' && v !== null && typeof (v as Loss).perSample === 'function');
const isMetricId = (v: unknown): boolean => typeof v === 'string' || v instanceof Metric;

const COMPILE_OPTIONS = optionsSpec({
  optimizer: is.satisfying('an optimizer (a name or an Optimizer)', (v): v is OptimizerIdentifier => typeof v === 'string' || v instanceof Optimizer).optional(),
  loss: is.satisfying('a loss (a name, a function or a Loss), or one per output in an array or a record', (v): v is PerPort<LossIdentifier> =>
    isLossId(v) || (Array.isArray(v) && v.every(isLossId)) || (isRecord(v) && Object.values(v).every(isLossId))),
  metrics: is.satisfying('an array of metrics (names or Metric objects), an array of such arrays (one per output), or a record by output name',
    (v): v is NonNullable<CompileOptions['metrics']> =>
      (Array.isArray(v) && (v.every(isMetricId) || v.every((m) => Array.isArray(m) && m.every(isMetricId))))
      || (isRecord(v) && Object.values(v).every((m) => isMetricId(m) || (Array.isArray(m) && m.every(isMetricId))))).optional(),
  lossWeights: is.satisfying('an array of numbers (one per output) or a record of numbers by output name', (v): v is NonNullable<CompileOptions['lossWeights']> =>
    (Array.isArray(v) && v.every((w) => typeof w === 'number')) || (isRecord(v) && Object.values(v).every((w) => typeof w === 'number'))).optional(),
} satisfies SpecFor<CompileOptions>);

/** One output's part of the compiled setup. */
export interface OutputSetup {
  /** The output's name; logs name its loss and metrics `<name>_loss`, `<name>_accuracy` when the model has several. */
  readonly name: string;
  readonly loss: Loss;
  /** The loss as given: a name is what a saved training config can record. */
  readonly lossId: LossIdentifier;
  readonly weight: number;
  readonly metrics: readonly MetricIdentifier[];
}

/** What compile() chose: what the loops train with. */
export interface Compiled {
  optimizer: Optimizer;
  outputs: readonly OutputSetup[];
  /** The running loss and metrics of fit's epochs. */
  tracker: MetricsTracker;
  /** How the options were given (a single loss, per output...), kept for the saved training config. */
  options: CompileOptions;
}

/** Reads compile's options against the model's outputs. */
export function compileSetup(where: string, options: unknown, outputs: Ports): Compiled {
  if (typeof options !== 'object' || options === null || (options as CompileOptions).loss === undefined) {
    throw new ValueError(`${where}: expected options with at least a 'loss', received ${describe(options)}`);
  }
  const parsed = COMPILE_OPTIONS.parse(where, options);
  const optimizer = getOptimizer(parsed.optimizer ?? 'rmsprop', where);
  const several = outputs.names.length > 1;
  const option = { kind: 'option' } as const;
  const lossIds = (isLossId(parsed.loss) ? outputs.names.map(() => parsed.loss) : perPort(where, 'loss', parsed.loss, outputs, isLossId, option)) as LossIdentifier[];
  const weights = parsed.lossWeights === undefined
    ? outputs.names.map(() => 1)
    : (perPort(where, 'lossWeights', parsed.lossWeights, outputs, (v) => typeof v === 'number', { ...option, partial: true }) as (number | undefined)[]).map((w) => w ?? 1);
  weights.forEach((w, i) => {
    if (!Number.isFinite(w) || w < 0) throw new ValueError(`${where}: option 'lossWeights' expected non-negative finite numbers, received ${describe(w)} for output '${outputs.names[i]}'`);
  });
  const metrics = metricsPerOutput(where, parsed.metrics ?? [], outputs);
  const seen = new Set<Metric>();
  for (const m of metrics.flat()) {
    checkMetric(m, where);
    if (m instanceof Metric) {
      if (seen.has(m)) throw new ValueError(`${where}: option 'metrics' uses the Metric '${m.name}' for two outputs; a Metric object keeps one output's running value, so give each output its own`);
      seen.add(m);
    }
  }
  const perOutput = outputs.names.map((name, i): OutputSetup => ({
    name,
    loss: getLoss(lossIds[i]!, several ? `${where} (output '${name}')` : where),
    lossId: lossIds[i]!,
    weight: weights[i]!,
    metrics: metrics[i]!,
  }));
  return { optimizer, outputs: perOutput, tracker: new MetricsTracker(perOutput, several), options: options as CompileOptions };
}

function metricsPerOutput(where: string, metrics: NonNullable<CompileOptions['metrics']>, outputs: Ports): MetricIdentifier[][] {
  if (Array.isArray(metrics) && metrics.every(isMetricId)) {
    // One list for every output; Metric objects cannot be shared, so only one output may get them.
    return outputs.names.map(() => [...(metrics as MetricIdentifier[])]);
  }
  const lists = perPort(where, 'metrics', metrics, outputs, (v) => Array.isArray(v) && v.every(isMetricId), { kind: 'option', partial: true });
  return lists.map((m) => (m === undefined ? [] : Array.isArray(m) ? [...m] : [m as MetricIdentifier]));
}

/**
 * The loss part of a training config, as TensorFlow.js and Keras write it: each output's loss by name, or
 * as Keras's `{ class_name, config }` when its options differ from the defaults; null when a loss or a
 * metric is not a built-in (a function, a Metric object), which a file cannot name.
 */
export function lossConfig(setup: Compiled): Omit<TrainingConfig, 'optimizer_config'> | null {
  const { options, outputs } = setup;
  const losses = outputs.map((o) => lossToConfig(o.loss));
  const metricLists = outputs.map((o) => o.metrics);
  if (losses.some((l) => l === null) || !metricLists.flat().every((m) => typeof m === 'string')) return null;
  const loss: TrainingConfig['loss'] = isLossId(options.loss)
    ? losses[0]!
    : isRecord(options.loss) ? Object.fromEntries(outputs.map((o, i) => [o.name, losses[i]!])) : losses;
  const names = metricLists as string[][];
  const same = names.every((m) => m.join('\u0000') === names[0]!.join('\u0000'));
  const metrics: TrainingConfig['metrics'] = same ? names[0]! : Object.fromEntries(outputs.map((o, i) => [o.name, names[i]!]));
  return {
    loss,
    metrics,
    ...(options.lossWeights !== undefined ? { loss_weights: isRecord(options.lossWeights) ? Object.fromEntries(outputs.map((o) => [o.name, o.weight])) : outputs.map((o) => o.weight) } : {}),
  };
}

/** A saved loss: a name or `{ class_name, config }` (one output's, or the one for every output). */
const isSavedLoss = (v: JsonValue | undefined): boolean => typeof v === 'string' || (isJsonObject(v) && typeof v['class_name'] === 'string');

/** compile()'s loss, metrics and lossWeights from a saved training config (the optimizer is read apart). */
export function lossFromConfig(config: JsonObject, where: string): Omit<CompileOptions, 'optimizer'> {
  const at = `${where}: trainingConfig`;
  const { loss, metrics, loss_weights: weights } = config;
  let losses: PerPort<LossIdentifier>;
  if (isSavedLoss(loss)) {
    losses = lossFromJson(loss, `${at}.loss`);
  } else if (Array.isArray(loss) && loss.every(isSavedLoss)) {
    losses = loss.map((l, i) => lossFromJson(l, `${at}.loss[${i}]`));
  } else if (isJsonObject(loss) && Object.values(loss).every(isSavedLoss)) {
    losses = Object.fromEntries(Object.entries(loss).map(([name, l]) => [name, lossFromJson(l, `${at}.loss.${name}`)]));
  } else {
    throw new ValueError(`${at}.loss expected a loss (a name or { class_name, config }), or one per output, received ${describe(loss)}`);
  }
  const metricsOk = metrics === undefined || metrics === null || (Array.isArray(metrics) && metrics.every((m) => typeof m === 'string'))
    || (isJsonObject(metrics) && Object.values(metrics).every((m) => typeof m === 'string' || (Array.isArray(m) && m.every((s) => typeof s === 'string'))));
  if (!metricsOk) throw new ValueError(`${at}.metrics expected metric names, or names per output, received ${describe(metrics)}`);
  const numbersIn = (v: JsonValue): boolean => (Array.isArray(v) ? v.every((w) => typeof w === 'number') : isJsonObject(v) && Object.values(v).every((w) => typeof w === 'number'));
  if (weights !== undefined && weights !== null && !numbersIn(weights)) throw new ValueError(`${at}.loss_weights expected numbers per output, received ${describe(weights)}`);
  return {
    loss: losses,
    ...(metrics !== undefined && metrics !== null ? { metrics: metrics as CompileOptions['metrics'] & object } : {}),
    ...(weights !== undefined && weights !== null ? { lossWeights: weights as readonly number[] } : {}),
  };
}
