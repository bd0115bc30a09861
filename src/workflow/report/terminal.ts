/**
 * Loss curves in the terminal after training (`layerwise mnist --plot`): training and validation loss on
 * one asciichart plot, stretched to a readable width, with a legend and the best epoch.
 */
import * as asciichart from 'asciichart';
import type { HistoryLike } from './analysis.js';
import { analyzeHistory } from './analysis.js';
import { formatNumber } from './html.js';

export interface TerminalChartOptions {
  /** Rows of the plot (default 10). */
  height?: number;
  /** Columns the curves are stretched to (default 60). */
  width?: number;
  /** ANSI colours (default false; pass process.stdout.isTTY). */
  color?: boolean;
}

/** `values` resampled to `width` points by linear interpolation, so few epochs still draw a curve. */
function stretch(values: readonly number[], width: number): number[] {
  if (values.length < 2) return [...values];
  return Array.from({ length: width }, (_, i) => {
    const t = (i / (width - 1)) * (values.length - 1);
    const lo = Math.floor(t), hi = Math.min(lo + 1, values.length - 1);
    return values[lo]! + (values[hi]! - values[lo]!) * (t - lo);
  });
}

/** The plot as text (empty when the history has no loss). */
export function lossChart(history: HistoryLike, options: TerminalChartOptions = {}): string {
  const loss = history.history['loss'];
  if (!loss || loss.length === 0) return '';
  const val = history.history['val_loss'];
  const width = Math.max(options.width ?? 60, loss.length);
  const series = [stretch(loss, width), ...(val ? [stretch(val, width)] : [])];
  const colors = options.color ? [asciichart.blue, asciichart.yellow] : [undefined, undefined];
  const chart = asciichart.plot(series, { height: options.height ?? 10, colors, format: (x) => formatNumber(x).padStart(8) });
  const paint = (text: string, i: number): string => (options.color ? `${colors[i]}${text}${asciichart.reset}` : text);
  const { epochs, best, monitor } = analyzeHistory(history);
  const legend = [paint('── loss', 0), ...(val ? [paint('── val_loss', 1)] : [])].join('   ');
  const axis = `${' '.repeat(10)}epoch 1${' '.repeat(Math.max(1, width - 14))}${epochs.length}`;
  return `${chart}\n${axis}\n${' '.repeat(10)}${legend}   best epoch ${epochs[best]} (${monitor} ${formatNumber(history.history[monitor]![best]!)})`;
}
