/** What EarlyStopping and ReduceLROnPlateau share: which logged value to watch and what counts as better. */
import { ValueError, describe } from '../../util/errors.js';
import { snakeCase } from '../../util/names.js';
import type { Logs } from './callback.js';

export type MonitorMode = 'auto' | 'min' | 'max';

export class Monitor {
  /** The logs key, in Keras's spelling (`val_loss`); camelCase (`valLoss`) is accepted. */
  readonly key: string;
  readonly direction: 'min' | 'max';

  constructor(where: string, monitor: string, mode: MonitorMode, readonly minDelta: number) {
    if (typeof monitor !== 'string' || monitor === '') throw new ValueError(`${where}: option 'monitor' expected a metric name such as 'val_loss', received ${describe(monitor)}`);
    if (!['auto', 'min', 'max'].includes(mode)) throw new ValueError(`${where}: option 'mode' expected "auto", "min" or "max", received ${describe(mode)}`);
    if (typeof minDelta !== 'number' || !(minDelta >= 0)) throw new ValueError(`${where}: option 'minDelta' expected a non-negative number, received ${describe(minDelta)}`);
    this.key = snakeCase(monitor);
    // Keras's auto mode: accuracy-like metrics (and R², IoU, cosine similarity) are maximised, everything else minimised.
    this.direction = mode !== 'auto' ? mode : /acc|auc|precision|recall|f1|r2|io_u|cosine_similarity/.test(this.key) ? 'max' : 'min';
  }

  /** The watched value, or undefined when the logs do not have it. */
  read(logs: Logs): number | undefined {
    return logs[this.key];
  }

  /** Whether `current` beats `best` by more than minDelta. */
  improves(current: number, best: number): boolean {
    return this.direction === 'min' ? current < best - this.minDelta : current > best + this.minDelta;
  }

  get worst(): number {
    return this.direction === 'min' ? Infinity : -Infinity;
  }

  missing(where: string, logs: Logs): string {
    return `${where}: '${this.key}' is not in the logs (available: ${Object.keys(logs).join(', ') || 'none'}); with a 'val_' metric, pass validationData or validationSplit to fit`;
  }
}
