/**
 * The report of one training run: the best epoch and where overfitting starts, a chart per metric with
 * its training and validation curves (both marked), the model summary, the run's settings and every
 * epoch's numbers.
 */
import type { HistoryAnalysis, HistoryLike } from './analysis.js';
import { analyzeHistory } from './analysis.js';
import { lineChartSvg } from './charts.js';
import { cards, escapeHtml, figure, formatNumber, formatValue, page, section, stamp, table } from './html.js';

export interface HistoryReportOptions {
  title?: string;
  /** The trained model; its summary goes into the report. */
  model?: { summary(options: { printFn?: (text: string) => void }): string };
  /** The run's settings (data, optimizer, batch size...), shown as a table with fit's own parameters. */
  settings?: Readonly<Record<string, unknown>>;
  /** When the run ended (default now). */
  date?: Date;
}

/** fit's parameters, when the history has them (History.params). */
interface WithParams {
  params?: { epochs: number; batchSize: number; steps: number | null; samples: number | null } | null;
}

function fitSettings(params: WithParams['params']): Record<string, number> {
  if (!params) return {};
  const settings: Record<string, number | null> = { epochs: params.epochs, 'batch size': params.batchSize, 'steps per epoch': params.steps, 'training samples': params.samples };
  // A Dataset of unknown size leaves steps and samples unknown.
  return Object.fromEntries(Object.entries(settings).filter((e): e is [string, number] => e[1] !== null));
}

const label = (metric: string): string => metric.replace(/_/g, ' ');

/** One chart per metric, training and validation together, the best epoch and overfitting marked. */
export async function historyCharts(history: HistoryLike, analysis: HistoryAnalysis = analyzeHistory(history), prefix = ''): Promise<string> {
  const { epochs, best, overfitting } = analysis;
  const figures: string[] = [];
  for (const metric of analysis.metrics) {
    const series = [
      ...(history.history[metric] ? [{ name: 'training', values: history.history[metric]! }] : []),
      ...(history.history[`val_${metric}`] ? [{ name: 'validation', values: history.history[`val_${metric}`]! }] : []),
    ];
    const svg = await lineChartSvg({
      title: `${prefix}${label(metric)}`,
      x: epochs,
      xTitle: 'epoch',
      yTitle: label(metric),
      series,
      ...(epochs.length > 0 ? { marker: { at: epochs[best]!, label: `best epoch ${epochs[best]}` } } : {}),
      ...(overfitting !== null ? { shadeFrom: { at: epochs[overfitting]!, label: `overfitting from epoch ${epochs[overfitting]}` } } : {}),
    });
    const caption = series.map((s) => `${s.name} ${label(metric)}: ${formatNumber(s.values[s.values.length - 1] ?? NaN)} at the end, ${formatNumber(s.values[best] ?? NaN)} at the best epoch`).join('; ');
    figures.push(figure(`${prefix}${metric}`, svg, caption));
  }
  return `<div class="charts">${figures.join('\n')}</div>`;
}

/** The numbers of every epoch, the best one highlighted. */
export function epochTable(history: HistoryLike, analysis: HistoryAnalysis): string {
  const keys = Object.keys(history.history);
  const rows = analysis.epochs.map((e, i) => [String(e), ...keys.map((k) => formatNumber(history.history[k]![i] ?? NaN))]);
  return table(['epoch', ...keys], rows, analysis.epochs.length > 0 ? analysis.best : null);
}

export function highlights(history: HistoryLike, analysis: HistoryAnalysis): string {
  const { epochs, best, overfitting, monitor } = analysis;
  const at = (key: string, i: number): string => formatNumber(history.history[key]?.[i] ?? NaN);
  const last = epochs.length - 1;
  return cards([
    ['epochs', String(epochs.length)],
    ['best epoch', epochs.length > 0 ? String(epochs[best]) : '–', `lowest ${label(monitor)}: ${at(monitor, best)}`],
    ['overfitting starts', overfitting === null ? 'not seen' : `epoch ${epochs[overfitting]}`, overfitting === null ? (monitor === 'loss' ? 'no validation data to tell' : 'validation loss did not turn up for good') : 'validation loss rises while training loss falls'],
    ['final loss', at('loss', last), 'val_loss' in history.history ? `validation: ${at('val_loss', last)}` : undefined],
    ...analysis.metrics.filter((m) => m !== 'loss').map((m): [string, string, string?] => [`final ${label(m)}`, at(m, last), `val_${m}` in history.history ? `validation: ${at(`val_${m}`, last)}` : undefined]),
  ]);
}

export async function historyReport(history: HistoryLike & WithParams, options: HistoryReportOptions = {}): Promise<string> {
  const analysis = analyzeHistory(history);
  const settings = { ...fitSettings(history.params), ...(options.settings ?? {}) };
  const summary = options.model?.summary({ printFn: () => undefined });
  const body = [
    highlights(history, analysis),
    section('Training and validation curves', await historyCharts(history, analysis)),
    ...(summary ? [section('Model', `<pre>${escapeHtml(summary)}</pre>`)] : []),
    ...(Object.keys(settings).length > 0 ? [section('Settings', table(['setting', 'value'], Object.entries(settings).map(([k, v]) => [k, formatValue(v)])))] : []),
    section('Every epoch', epochTable(history, analysis)),
  ].join('\n');
  const title = options.title ?? 'Training report';
  return page(title, stamp(options.date), body);
}
