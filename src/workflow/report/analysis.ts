/**
 * What a training history says at a glance, as History itself judges it (History.bestEpoch and
 * History.overfittingStart): the best epoch (lowest validation loss, or training loss without
 * validation), where overfitting starts, and which logged values pair up as training and validation
 * curves. Reports also read plain histories (a fold's logs), so those are wrapped in a History first.
 */
import { History } from '../../models/index.js';

/** The parts of a History a report reads: the epochs run and each logged value per epoch. */
export interface HistoryLike {
  readonly epoch: readonly number[];
  readonly history: Readonly<Record<string, readonly number[]>>;
}

export interface HistoryAnalysis {
  /** Epoch numbers as people count them (1 for the first). */
  epochs: number[];
  /** Base names with a curve each, loss first: `loss`, `accuracy`... (validation is `val_` + name). */
  metrics: string[];
  /** The value that picks the best epoch: `val_loss` when there is validation, else `loss`. */
  monitor: string;
  /** Position (0-based) of the best epoch in `epochs`. */
  best: number;
  /** Position where overfitting starts, or null when History does not see it. */
  overfitting: number | null;
}

function asHistory(h: HistoryLike): History {
  if (h instanceof History) return h;
  const history = new History();
  history.epoch.push(...h.epoch);
  for (const [key, values] of Object.entries(h.history)) history.history[key] = [...values];
  return history;
}

/** A history of plain logs (one value per epoch, epochs counted from 0). */
export function historyOf(logs: Readonly<Record<string, readonly number[]>>): HistoryLike {
  const length = Math.max(0, ...Object.values(logs).map((v) => v.length));
  return { epoch: Array.from({ length }, (_, i) => i), history: logs };
}

export function analyzeHistory(h: HistoryLike): HistoryAnalysis {
  const history = asHistory(h);
  const logs = history.history;
  const bases = new Set(Object.keys(logs).map((k) => (k.startsWith('val_') ? k.slice(4) : k)));
  const metrics = [...bases].sort((a, b) => Number(b === 'loss') - Number(a === 'loss'));
  const monitor = 'val_loss' in logs ? 'val_loss' : 'loss';
  const best = history.bestEpoch(monitor);
  const start = monitor === 'val_loss' ? history.overfittingStart() : null;
  return {
    epochs: history.epoch.map((e) => e + 1),
    metrics,
    monitor,
    best: best ? history.epoch.indexOf(best.epoch) : 0,
    overfitting: start === null ? null : history.epoch.indexOf(start),
  };
}
