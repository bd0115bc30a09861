/**
 * A Dataset as training data (Keras's dataset adapter). Its elements are batches: `{ x, y }`, `[x, y]`,
 * `[x, y, sampleWeight]` or `{ x, y, sampleWeight }` (x alone, a tensor or `[x]`, for predict), where x and
 * y hold one tensor per input and output as model-io.ts reads them; or, for models with named inputs
 * and outputs, one record keyed by those names (`{ image, metadata, label }`).
 *
 * Without `stepsPerEpoch` every epoch is one pass over the dataset (its shuffles keyed by the epoch).
 * With it, an epoch is that many batches of one stream that goes on across epochs, starting a new pass
 * when one ends, so every batch of a finite dataset is seen in turn (a dataset after repeat() needs it).
 * A position is the dataset iterator's (epoch, index, seeds), plain JSON, so a checkpoint taken in the
 * middle of an epoch resumes with exactly the batches the interrupted run would have read.
 */
import type { DatasetIterator, DatasetPosition } from '../data/index.js';
import { Dataset } from '../data/index.js';
import { Tensor } from '../tensor/tensor.js';
import { ShapeError, ValueError, describe, fmtShape } from '../util/errors.js';
import { isJsonObject } from '../util/json.js';
import type { JsonObject } from '../util/json.js';
import type { ModelPorts, SampleWeights } from './array-data.js';
import { toArrayData } from './array-data.js';
import type { Batch, DataPosition, EpochBatches, TrainingData } from './data-adapter.js';
import { isRecord, toTensors } from './model-io.js';

export interface DatasetDataOptions {
  /** Batches per epoch of a stream that goes on across epochs; null: one pass per epoch. */
  stepsPerEpoch: number | null;
  /** Whether elements must hold labels (fit, evaluate) or may hold inputs alone (predict). */
  targets: boolean;
  /** Checks each batch against the model (shapes, labels) before the loop uses it. */
  check: (batch: Batch) => void;
  /** The rank of each input, batch axis included, where known (to spot a dataset that was not batched). */
  inputRanks: () => (number | null)[];
}

export class DatasetTrainingData implements TrainingData {
  readonly samples = null;
  #steps: number | null;
  /** The stream of a stepsPerEpoch run, kept from one epoch to the next. */
  #stream: DatasetIterator<unknown> | null = null;

  constructor(
    readonly where: string,
    readonly dataset: Dataset<unknown>,
    readonly ports: ModelPorts,
    readonly options: DatasetDataOptions,
  ) {
    const size = dataset.size;
    if (options.stepsPerEpoch === null && size === Infinity) {
      throw new ValueError(`${where}: the dataset never ends (it repeats): give 'stepsPerEpoch', the number of batches that make an epoch`);
    }
    if (size === 0) throw new ValueError(`${where}: the dataset is empty; there is nothing to ${where === 'fit' ? 'train on' : where}`);
    this.#steps = options.stepsPerEpoch ?? size;
  }

  /** Batches per epoch: the steps given, the dataset's size, or (when it has none) what the first epoch counted. */
  get steps(): number | null {
    return this.#steps;
  }

  open(epoch: number | null, from: DataPosition | null): EpochBatches {
    const start = from === null ? null : readDatasetPosition(this.where, from);
    const perEpoch = this.options.stepsPerEpoch === null;
    let it: DatasetIterator<unknown>;
    if (start) it = this.dataset.iterate({ from: start.dataset });
    else if (perEpoch || this.#stream === null) it = this.dataset.iterate(epoch === null ? {} : { epoch: perEpoch ? epoch : 0 });
    else it = this.#stream;
    if (!perEpoch) this.#stream = it;
    let step = start?.step ?? 0;
    let waited = 0;
    let ended = false;
    const limit = this.options.stepsPerEpoch;
    const read = async (): Promise<unknown> => {
      let r = await it.next();
      waited += it.wait.lastMs;
      if (r.done && !perEpoch) {
        // The stream goes on with the dataset's next pass.
        it = this.dataset.iterate({ epoch: it.position().epoch + 1 });
        this.#stream = it;
        r = await it.next();
        waited += it.wait.lastMs;
        if (r.done) throw new ValueError(`${this.where}: the dataset gave no batches in a whole pass`);
      }
      return r.done ? undefined : r.value;
    };
    return {
      get waitedMs() {
        return waited;
      },
      next: async () => {
        if (ended || (limit !== null && step >= limit)) return null;
        const element = await read();
        if (element === undefined) {
          ended = true;
          if (step === 0) throw new ValueError(`${this.where}: the dataset gave no batches`);
          if (this.#steps === null) this.#steps = step;
          return null;
        }
        const batch = toBatch(this.where, element, this.ports, this.options.targets, step, this.options.inputRanks());
        this.options.check(batch);
        step++;
        return batch;
      },
      position: (): DataPosition => ({ kind: 'dataset', step, dataset: positionJson(it.position()) }),
      following: (): DataPosition | null => (perEpoch ? null : { kind: 'dataset', step: 0, dataset: positionJson(it.position()) }),
      close: async () => {
        if (perEpoch) await it.return();
      },
    };
  }

  async close(): Promise<void> {
    await this.#stream?.return();
    this.#stream = null;
  }
}

function positionJson(p: DatasetPosition): JsonObject {
  return { epoch: p.epoch, index: p.index, seeds: [...p.seeds] };
}

function readDatasetPosition(where: string, p: DataPosition): { step: number; dataset: DatasetPosition } {
  const step = p['step'];
  const dataset = p['dataset'];
  if (p['kind'] !== 'dataset' || typeof step !== 'number' || !Number.isInteger(step) || step < 0 || !isJsonObject(dataset)) {
    throw new ValueError(`${where} (resumeFrom): the checkpoint's data position ${JSON.stringify(p)} is not a position in a Dataset: was it saved from a run on arrays?`);
  }
  const { epoch, index, seeds } = dataset;
  return { step, dataset: { epoch, index, seeds } as DatasetPosition };
}

const STRUCTURED = ['x', 'y', 'sampleWeight'];

/** An element of the dataset as a batch; `step` names it in messages, `ranks` are the inputs' where known. */
function toBatch(where: string, element: unknown, ports: ModelPorts, targets: boolean, step: number, ranks: readonly (number | null)[] = []): Batch {
  const at = `${where} (dataset batch ${step + 1})`;
  let x: unknown, y: unknown, sw: unknown;
  if (element instanceof Tensor || ArrayBuffer.isView(element)) {
    x = element;
  } else if (Array.isArray(element)) {
    if (element.length < 1 || element.length > 3) throw new ValueError(`${at}: expected an element [x], [x, y] or [x, y, sampleWeight], received an array of ${element.length}`);
    [x, y, sw] = element;
  } else if (isRecord(element) && 'x' in element && !ports.inputs.names.includes('x')) {
    const stray = Object.keys(element).find((k) => !STRUCTURED.includes(k));
    if (stray !== undefined) throw new ValueError(`${at}: the element has a field '${stray}': expected { x, y } or { x, y, sampleWeight }, or a record keyed by the model's input and output names`);
    ({ x, y, sampleWeight: sw } = element as { x: unknown; y?: unknown; sampleWeight?: unknown });
  } else if (isRecord(element)) {
    const keys = Object.keys(element);
    const stray = keys.find((k) => !ports.inputs.names.includes(k) && !ports.outputs.names.includes(k));
    if (stray !== undefined) {
      throw new ValueError(
        `${at}: the element has a field '${stray}', which names no input (${ports.inputs.names.join(', ')}) or output (${ports.outputs.names.join(', ')}) of the model; yield { x, y } or a record keyed by those names`,
      );
    }
    const pick = (names: readonly string[]) => Object.fromEntries(names.filter((n) => n in element).map((n) => [n, element[n]]));
    x = pick(ports.inputs.names);
    const labels = pick(ports.outputs.names);
    y = Object.keys(labels).length > 0 ? labels : undefined;
  } else {
    throw new ValueError(`${at}: expected an element { x, y }, [x, y] or a tensor, received ${describe(element)}`);
  }
  if (targets && y === undefined) throw new ValueError(`${at}: the element holds no labels: yield { x, y } or [x, y] to train or evaluate`);
  toTensors(at, 'x', x, ports.inputs).forEach((t, i) => {
    const rank = ranks[i];
    if (rank !== null && rank !== undefined && t.rank === rank - 1) {
      throw new ShapeError(`${at}: the dataset yields single samples (input ${ports.inputs.names.length === 1 ? '' : `'${ports.inputs.names[i]}' `}of shape ${fmtShape(t.shape)}, where the model takes batches of rank ${rank}): batch them with dataset.batch(32)`);
    }
  });
  const data = toArrayData(at, ports, x, targets ? y : undefined, sw as SampleWeights | undefined);
  return { x: data.x, y: data.y, sampleWeight: data.sampleWeight };
}

/** True for a Dataset (fit, evaluate and predict take one in place of tensors). */
export function isDataset(v: unknown): v is Dataset<unknown> {
  return v instanceof Dataset;
}
