/**
 * What a training history says at a glance: which logged values pair up as training and validation
 * curves, the best epoch (lowest validation loss, or training loss without validation), and the epoch
 * where overfitting starts: the first epoch after the validation loss bottomed out, when it stays above
 * that minimum to the end while the training loss keeps falling.
 */

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
  /** Position where overfitting starts, or null when validation loss did not turn up for good. */
  overfitting: number | null;
}

function argmin(values: readonly number[]): number {
  let best = 0;
  values.forEach((v, i) => {
    if (v < values[best]! || Number.isNaN(values[best]!)) best = i;
  });
  return best;
}

export function analyzeHistory(history: HistoryLike): HistoryAnalysis {
  const logs = history.history;
  const bases = new Set(Object.keys(logs).map((k) => (k.startsWith('val_') ? k.slice(4) : k)));
  const metrics = [...bases].sort((a, b) => Number(b === 'loss') - Number(a === 'loss'));
  const monitor = 'val_loss' in logs ? 'val_loss' : 'loss';
  const watched = logs[monitor] ?? [];
  const best = watched.length > 0 ? argmin(watched) : 0;
  let overfitting: number | null = null;
  const train = logs['loss'] ?? [];
  const last = watched.length - 1;
  if (monitor === 'val_loss' && best < last && watched.slice(best + 1).every((v) => v > watched[best]!) && train[last]! < train[best]!) {
    overfitting = best + 1;
  }
  return { epochs: history.epoch.map((e) => e + 1), metrics, monitor, best, overfitting };
}
