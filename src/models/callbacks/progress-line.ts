/**
 * The Keras progress line: `120/938 ━━━━━━━━━━━━━━━━━━━━ ETA 10s 13ms/step - loss: 0.4862 - accuracy: 0.8574`,
 * and at the end of an epoch the total time in place of the ETA. When the steps are not known (a Dataset
 * of unknown size, in its first epoch) the counter reads `120/Unknown`, as Keras's does. Unlike Keras, it
 * says when a noticeable share of the time went to waiting for data (`13ms/step (data 40%)`): a slow
 * map or disk is then the thing to speed up, not the model.
 */
import type { Logs } from './callback.js';

const BAR_WIDTH = 20;
const BAR_CHAR = '━';
const DIM = '\x1b[2m', RESET = '\x1b[0m';

/** Seconds as Keras shows them: 9s, 2m 05s, 1h 02m 03s. */
export function formatDuration(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  if (s < 60) return `${s}s`;
  const m = Math.floor(s / 60), rest = String(s % 60).padStart(2, '0');
  if (m < 60) return `${m}m ${rest}s`;
  return `${Math.floor(m / 60)}h ${String(m % 60).padStart(2, '0')}m ${rest}s`;
}

/** Time per step: 13ms/step, 2s/step, 850us/step. */
export function formatPerStep(seconds: number): string {
  if (seconds >= 1) return `${seconds.toFixed(seconds >= 10 ? 0 : 1)}s/step`;
  if (seconds >= 1e-3) return `${Math.round(seconds * 1e3)}ms/step`;
  return `${Math.round(seconds * 1e6)}us/step`;
}

/** A metric value with 4 decimals, or in exponent form when far from 1. */
export function formatValue(v: number): string {
  if (!Number.isFinite(v)) return String(v);
  const a = Math.abs(v);
  return a !== 0 && (a < 1e-3 || a >= 1e4) ? v.toExponential(4) : v.toFixed(4);
}

/** `loss: 0.1234 - accuracy: 0.9876`, loss first, then metrics, then validation values. */
export function formatLogs(logs: Logs): string {
  const rank = (k: string): number => (k.startsWith('val_') ? 2 : 0) + (k === 'loss' || k === 'val_loss' ? 0 : 1);
  const keys = Object.keys(logs).sort((a, b) => rank(a) - rank(b));
  return keys.map((k) => `${k}: ${formatValue(logs[k]!)}`).join(' - ');
}

/** From this share of the time on, waiting for data is shown. */
const DATA_SHOWN = 0.1;

export interface ProgressState {
  step: number;
  /** Null when not known. */
  steps: number | null;
  /** Seconds since the epoch started. */
  elapsed: number;
  /** Seconds of it spent waiting for data (default 0). */
  waited?: number;
  logs: Logs;
  /** Dim the unfinished part of the bar (terminals only). */
  color: boolean;
}

export function progressLine({ step, steps, elapsed, waited = 0, logs, color }: ProgressState): string {
  const known = steps !== null;
  const width = known ? String(steps).length : 0;
  const filled = !known ? 0 : steps === 0 ? BAR_WIDTH : Math.floor((BAR_WIDTH * step) / steps);
  const rest = BAR_CHAR.repeat(BAR_WIDTH - filled);
  const bar = BAR_CHAR.repeat(filled) + (color && rest ? `${DIM}${rest}${RESET}` : rest);
  const counter = `${String(step).padStart(width)}/${known ? steps : 'Unknown'} ${bar}`;
  if (step === 0) return counter;
  const perStep = elapsed / step;
  const time = !known || step >= steps ? formatDuration(elapsed) : `ETA ${formatDuration(perStep * (steps - step))}`;
  const share = elapsed > 0 ? waited / elapsed : 0;
  const data = share >= DATA_SHOWN ? ` (data ${Math.round(100 * Math.min(1, share))}%)` : '';
  const metrics = formatLogs(logs);
  return `${counter} ${time} ${formatPerStep(perStep)}${data}${metrics ? ` - ${metrics}` : ''}`;
}
