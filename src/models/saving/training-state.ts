/**
 * What a checkpoint needs besides weights and optimizer state to continue a run exactly: the last epoch
 * completed, where training goes on (an epoch, the batches of it done and the place in the data, so a
 * checkpoint taken in the middle of an epoch resumes there), the random generator's position (so the run
 * shuffles and drops out as the uninterrupted one would), and the history so far. It travels in model.json's `userDefinedMetadata`,
 * which TensorFlow.js keeps and otherwise ignores.
 */
import { ValueError, describe } from '../../util/errors.js';
import type { JsonObject, JsonValue } from '../../util/json.js';
import { isJsonObject } from '../../util/json.js';
import type { RandomState } from '../../util/random.js';
import { getRandomState } from '../../util/random.js';
import type { History } from '../callbacks/history.js';

/** Where the run goes on: the epoch, the batches of it done, and the place in the data (null: afresh). */
export interface NextStep {
  epoch: number;
  step: number;
  data: JsonObject | null;
}

export interface TrainingState {
  /** The last epoch completed (0-based); null before any. */
  epoch: number | null;
  /** Where training continues; absent in checkpoints that predate it (then: the epoch after `epoch`, afresh). */
  next?: NextStep;
  random: RandomState;
  /** The epochs recorded so far and each logged value per epoch (History's fields). */
  history: { epochs: number[]; logs: Record<string, number[]> };
  /** What the callback that wrote the checkpoint keeps (ModelCheckpoint: the best monitored value). */
  checkpoint?: JsonObject;
}

const KEY = 'layerwise';

/**
 * The state of a run now: the epochs its History holds — with the epoch whose end callbacks are running,
 * which is done though History records it last — and the random generator's position.
 */
export function trainingStateOf(history: History | null): TrainingState {
  const epochs = [...(history?.epoch ?? [])];
  const logs = Object.fromEntries(Object.entries(history?.history ?? {}).map(([k, v]) => [k, [...v]]));
  const ending = history?.ending;
  if (ending && !epochs.includes(ending.epoch)) {
    for (const key of new Set([...Object.keys(logs), ...Object.keys(ending.logs)])) {
      (logs[key] ??= epochs.map(() => NaN)).push(ending.logs[key] ?? NaN);
    }
    epochs.push(ending.epoch);
  }
  const at = history?.position;
  return {
    epoch: epochs.length > 0 ? epochs[epochs.length - 1]! : null,
    ...(at ? { next: { epoch: at.epoch, step: at.step, data: at.data } } : {}),
    random: getRandomState(),
    history: { epochs, logs },
  };
}

/** JSON has no NaN or Infinity: they are written as null and read back as NaN. */
const toJson = (v: number): number | null => (Number.isFinite(v) ? v : null);

export function trainingStateMetadata(state: TrainingState): JsonObject {
  const logs = Object.fromEntries(Object.entries(state.history.logs).map(([k, vs]) => [k, vs.map(toJson)]));
  return {
    [KEY]: {
      trainingState: {
        epoch: state.epoch,
        ...(state.next ? { next: { epoch: state.next.epoch, step: state.next.step, data: state.next.data } } : {}),
        random: { words: [...state.random.words], spare: state.random.spare },
        history: { epochs: [...state.history.epochs], logs },
        ...(state.checkpoint ? { checkpoint: state.checkpoint } : {}),
      },
    },
  };
}

/** The training state in `userDefinedMetadata`, null when the file has none; malformed state is an error. */
export function readTrainingState(metadata: unknown, where: string): TrainingState | null {
  const block = isJsonObject(metadata) && isJsonObject(metadata[KEY]) ? metadata[KEY]['trainingState'] : undefined;
  if (block === undefined) return null;
  const at = `${where}: userDefinedMetadata.${KEY}.trainingState`;
  if (!isJsonObject(block)) throw new ValueError(`${at} expected an object, received ${describe(block)}`);
  const { epoch, random, history, checkpoint, next } = block;
  if (epoch !== null && !(typeof epoch === 'number' && Number.isInteger(epoch) && epoch >= 0)) throw new ValueError(`${at}.epoch expected a non-negative integer or null, received ${describe(epoch)}`);
  if (!isJsonObject(random) || !isWords(random['words']) || !(random['spare'] === null || typeof random['spare'] === 'number')) {
    throw new ValueError(`${at}.random expected { words: four 32-bit unsigned integers, spare: number | null }, received ${describe(random)}`);
  }
  if (!isJsonObject(history) || !isNumbers(history['epochs']) || !isJsonObject(history['logs'])) {
    throw new ValueError(`${at}.history expected { epochs: number[], logs: { name: number[] } }, received ${describe(history)}`);
  }
  const epochs = history['epochs'] as number[];
  const logs: Record<string, number[]> = {};
  for (const [k, vs] of Object.entries(history['logs'])) {
    if (!Array.isArray(vs) || vs.length !== epochs.length || !vs.every((v) => v === null || typeof v === 'number')) {
      throw new ValueError(`${at}.history.logs.${k} expected ${epochs.length} numbers (one per epoch), received ${describe(vs)}`);
    }
    logs[k] = vs.map((v) => (v === null ? NaN : (v as number)));
  }
  if (checkpoint !== undefined && !isJsonObject(checkpoint)) throw new ValueError(`${at}.checkpoint expected an object, received ${describe(checkpoint)}`);
  const nextOk = next === undefined || (isJsonObject(next) && isCount(next['epoch']) && isCount(next['step']) && (next['data'] === null || isJsonObject(next['data'])));
  if (!nextOk) throw new ValueError(`${at}.next expected { epoch, step, data }, received ${describe(next)}`);
  return {
    epoch: epoch as number | null,
    ...(isJsonObject(next) ? { next: { epoch: next['epoch'] as number, step: next['step'] as number, data: (next['data'] ?? null) as JsonObject | null } } : {}),
    random: { words: [...(random['words'] as number[])] as RandomState['words'], spare: random['spare'] as number | null },
    history: { epochs, logs },
    ...(checkpoint ? { checkpoint } : {}),
  };
}

function isCount(v: JsonValue | undefined): boolean {
  return typeof v === 'number' && Number.isInteger(v) && v >= 0;
}

function isNumbers(v: JsonValue | undefined): boolean {
  return Array.isArray(v) && v.every((x) => typeof x === 'number');
}

function isWords(v: JsonValue | undefined): boolean {
  return Array.isArray(v) && v.length === 4 && v.every((x) => typeof x === 'number' && Number.isInteger(x) && x >= 0 && x < 2 ** 32);
}
