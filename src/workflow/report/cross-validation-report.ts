/**
 * The report of a cross-validation: every fold's scores with their mean ± std, and the validation curves
 * of every fold with their per-epoch mean, the seed's way of choosing the number of epochs from K-fold
 * runs (its best epoch and where overfitting starts are marked on the mean).
 */
import type { CrossValidation, FoldResult } from '../cross-validate.js';
import type { HistoryLike } from './analysis.js';
import { analyzeHistory, historyOf } from './analysis.js';
import { lineChartSvg, pointChartSvg } from './charts.js';
import { cards, escapeHtml, figure, formatNumber, formatValue, page, section, stamp, table } from './html.js';

export interface CrossValidationReportOptions {
  title?: string;
  /** The model of one fold (they share an architecture); its summary goes into the report. */
  model?: { summary(options: { printFn?: (text: string) => void }): string };
  /** The run's settings (folds, epochs, data...), shown as a table. */
  settings?: Readonly<Record<string, unknown>>;
  date?: Date;
}

/** `3` for the third fold, `2.3` for the third fold of the second repeat. */
export function foldLabel(f: FoldResult, repeated: boolean): string {
  return repeated ? `${f.repeat + 1}.${f.fold + 1}` : String(f.fold + 1);
}

const label = (metric: string): string => metric.replace(/_/g, ' ');

/** The per-epoch mean over folds (folds that stopped early count while they ran). */
function meanCurve(curves: readonly (readonly number[])[]): number[] {
  const length = Math.max(0, ...curves.map((c) => c.length));
  return Array.from({ length }, (_, i) => {
    const values = curves.map((c) => c[i]).filter((v): v is number => v !== undefined && Number.isFinite(v));
    return values.length > 0 ? values.reduce((a, b) => a + b, 0) / values.length : NaN;
  });
}

/** Each fold's validation curve and their mean, one chart per metric; best epoch and overfitting of the mean marked. */
export async function foldCurves(folds: readonly FoldResult[], title = ''): Promise<string> {
  const repeated = folds.some((f) => f.repeat > 0);
  const keys = [...new Set(folds.flatMap((f) => Object.keys(f.history)))];
  const mean: Record<string, number[]> = Object.fromEntries(keys.map((k) => [k, meanCurve(folds.map((f) => f.history[k] ?? []))]));
  const meanHistory: HistoryLike = historyOf(mean);
  const analysis = analyzeHistory(meanHistory);
  const { epochs, best, overfitting } = analysis;
  const figures: string[] = [];
  for (const metric of analysis.metrics) {
    const key = `val_${metric}` in mean ? `val_${metric}` : metric;
    const series = [
      ...folds.map((f) => ({ name: `fold ${foldLabel(f, repeated)}`, values: f.history[key] ?? [] })),
      { name: 'mean of folds', values: mean[key]! },
    ];
    const svg = await lineChartSvg({
      title: `${title}${label(key)} per epoch`,
      x: epochs,
      xTitle: 'epoch',
      yTitle: label(key),
      series,
      ...(epochs.length > 0 ? { marker: { at: epochs[best]!, label: `best epoch ${epochs[best]} (mean)` } } : {}),
      ...(overfitting !== null ? { shadeFrom: { at: epochs[overfitting]!, label: `overfitting from epoch ${epochs[overfitting]}` } } : {}),
    });
    const end = mean[key]![mean[key]!.length - 1] ?? NaN;
    figures.push(figure(`${title}${key} per epoch`, svg, `mean ${label(key)} over ${folds.length} folds: ${formatNumber(mean[key]![best] ?? NaN)} at epoch ${epochs[best]}, ${formatNumber(end)} at the end`));
  }
  return `<div class="charts">${figures.join('\n')}</div>`;
}

/** One chart per score: a point per fold, the mean as a line with its ± std band. */
async function scoreCharts(cv: CrossValidation): Promise<string> {
  const repeated = cv.folds.some((f) => f.repeat > 0);
  const figures: string[] = [];
  for (const [score, mean] of Object.entries(cv.mean)) {
    const std = cv.std[score] ?? 0;
    const svg = await pointChartSvg({
      title: `${label(score)} of every fold`,
      xTitle: repeated ? 'repeat.fold' : 'fold',
      yTitle: label(score),
      xScale: 'ordinal',
      points: cv.folds.map((f) => ({ x: foldLabel(f, repeated), y: f.scores[score] ?? NaN })),
      mean: { value: mean, std, label: `mean ${formatNumber(mean)} ± ${formatNumber(std)}` },
    });
    figures.push(figure(`${score} of every fold`, svg, `${label(score)}: mean ${formatNumber(mean)}, standard deviation ${formatNumber(std)} over ${cv.folds.length} folds`));
  }
  return `<div class="charts">${figures.join('\n')}</div>`;
}

/** Every fold's sizes and scores, then the mean ± std. */
export function foldTable(folds: readonly FoldResult[], mean: Readonly<Record<string, number>>, std: Readonly<Record<string, number>>): string {
  const repeated = folds.some((f) => f.repeat > 0);
  const scores = Object.keys(mean);
  const rows = folds.map((f) => [foldLabel(f, repeated), String(f.trainSize), String(f.testSize), ...scores.map((k) => formatNumber(f.scores[k] ?? NaN))]);
  rows.push(['mean ± std', '', '', ...scores.map((k) => `${formatNumber(mean[k]!)} ± ${formatNumber(std[k] ?? NaN)}`)]);
  return table([repeated ? 'repeat.fold' : 'fold', 'train', 'held out', ...scores], rows);
}

export async function crossValidationReport(cv: CrossValidation, options: CrossValidationReportOptions = {}): Promise<string> {
  const repeats = new Set(cv.folds.map((f) => f.repeat)).size;
  const summary = options.model?.summary({ printFn: () => undefined });
  const settings = options.settings ?? {};
  const body = [
    cards([
      ['folds', String(cv.folds.length / repeats), repeats > 1 ? `${repeats} repeats, ${cv.folds.length} runs` : undefined],
      ...Object.entries(cv.mean).map(([k, m]): [string, string, string] => [`mean ${label(k)}`, formatNumber(m), `± ${formatNumber(cv.std[k] ?? NaN)} (std over folds)`]),
    ]),
    section('Scores of every fold', await scoreCharts(cv)),
    section('Validation curves of every fold', await foldCurves(cv.folds)),
    section('Folds', foldTable(cv.folds, cv.mean, cv.std)),
    ...(summary ? [section('Model', `<pre>${escapeHtml(summary)}</pre>`)] : []),
    ...(Object.keys(settings).length > 0 ? [section('Settings', table(['setting', 'value'], Object.entries(settings).map(([k, v]) => [k, formatValue(v)])))] : []),
  ].join('\n');
  const title = options.title ?? 'Cross-validation report';
  return page(title, stamp(options.date), body);
}
