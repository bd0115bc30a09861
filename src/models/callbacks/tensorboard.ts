/**
 * TensorBoard: writes what fit logs as TensorBoard event files, for those who watch runs there, as
 * Keras's callback lays them out: `<logDir>/train` gets `epoch_loss`, `epoch_accuracy`...,
 * `epoch_learning_rate` every epoch (and `batch_*` every `updateFreq` batches), `<logDir>/validation`
 * gets the `val_` values under the same tags (`epoch_loss`), so TensorBoard draws training and validation
 * on one chart; with `histogramFreq` N, every N epochs a histogram of each weight (`dense/kernel/histogram`).
 * Batch steps count optimizer updates, so a resumed run continues its curves.
 */
import type { Variable } from '../../tensor/variable.js';
import type { SpecFor } from '../../util/checks.js';
import { is, optionsSpec } from '../../util/checks.js';
import { storage } from '../../tensor/tensor.js';
import type { NodeHost } from '../../util/node-host.js';
import { nodeHost } from '../../util/node-host.js';
import type { Callback, Logs, TrainingParams, TrainingTarget } from './callback.js';
import { EventFileWriter } from './event-file.js';

export interface TensorBoardOptions {
  /** The log folder TensorBoard is pointed at (`tensorboard --logdir logs`; default 'logs'). */
  logDir?: string;
  /** Every how many epochs to write histograms of the weights (default 0: never). */
  histogramFreq?: number;
  /** 'epoch' (default), 'batch', or every how many batches to write the running batch values. */
  updateFreq?: 'epoch' | 'batch' | number;
}

const OPTIONS = optionsSpec({
  logDir: is.nonEmptyString.default('logs'),
  histogramFreq: is.nonNegativeInteger.default(0),
  updateFreq: is.oneOf(['epoch', 'batch'] as const).or(is.positiveInteger).default('epoch'),
} satisfies SpecFor<TensorBoardOptions>);

/** What a model offers for histograms: its layers' weights, named `layer/weight`. */
interface WithLayers {
  readonly layers: readonly { readonly weights: readonly Variable[] }[];
}

export class TensorBoard implements Callback {
  readonly logDir: string;
  readonly histogramFreq: number;
  readonly updateFreq: 'epoch' | number;
  #model: TrainingTarget | null = null;
  #host: NodeHost | null = null;
  #writers: Partial<Record<'train' | 'validation', EventFileWriter>> = {};
  /** Batches since training began, for models without an optimizer count. */
  #batches = 0;

  constructor(options: TensorBoardOptions = {}) {
    const o = OPTIONS.parse('TensorBoard', options);
    this.logDir = o.logDir;
    this.histogramFreq = o.histogramFreq;
    this.updateFreq = o.updateFreq === 'batch' ? 1 : o.updateFreq;
  }

  setContext(model: TrainingTarget, _params: TrainingParams): void {
    this.#model = model;
  }

  onTrainBegin(): void {
    this.#host = nodeHost('TensorBoard', 'collect the logs with a LambdaCallback');
    this.#batches = 0;
  }

  #writer(run: 'train' | 'validation'): EventFileWriter {
    return (this.#writers[run] ??= new EventFileWriter(this.#host!, this.#host!.path.join(this.logDir, run)));
  }

  /** The global step after this batch: optimizer updates so far. */
  #step(): number {
    return this.#model?.optimizer?.iterations ?? this.#batches;
  }

  onBatchEnd(_batch: number, logs: Logs): void {
    this.#batches++;
    if (this.updateFreq === 'epoch') return;
    const step = this.#step();
    if (step % this.updateFreq !== 0) return;
    this.#writer('train').scalars(prefixed('batch_', logs), step);
  }

  onEpochEnd(epoch: number, logs: Logs): void {
    const train: Logs = {}, validation: Logs = {};
    for (const [k, v] of Object.entries(logs)) {
      if (k.startsWith('val_')) validation[k.slice(4)] = v;
      else train[k] = v;
    }
    const optimizer = this.#model?.optimizer;
    if (optimizer && !('learning_rate' in train)) train['learning_rate'] = optimizer.learningRate;
    this.#writer('train').scalars(prefixed('epoch_', train), epoch);
    if (Object.keys(validation).length > 0) {
      const writer = this.#writer('validation');
      writer.scalars(prefixed('epoch_', validation), epoch);
      // Keras also plots validation against optimizer updates.
      writer.scalars(Object.fromEntries(Object.entries(validation).map(([k, v]) => [`evaluation_${k}_vs_iterations`, v])), this.#step());
    }
    if (this.histogramFreq > 0 && epoch % this.histogramFreq === 0) this.#histograms(epoch);
    for (const w of Object.values(this.#writers)) w.flush();
  }

  #histograms(epoch: number): void {
    const layers = (this.#model as Partial<WithLayers> | null)?.layers ?? [];
    const writer = this.#writer('train');
    for (const layer of layers) for (const w of layer.weights) writer.histogram(`${w.name}/histogram`, storage(w), epoch);
  }

  close(): void {
    for (const w of Object.values(this.#writers)) w.close();
    this.#writers = {};
  }
}

function prefixed(prefix: string, logs: Logs): Logs {
  return Object.fromEntries(Object.entries(logs).map(([k, v]) => [`${prefix}${k}`, v]));
}
