/**
 * The report of a hyperparameter search: the trials ranked by their objective (mean ± std over their
 * folds), the objective against each numeric hyperparameter, the trials' table, and the validation
 * curves of the best trial's folds.
 */
import type { ParamValue, SearchResult } from '../search.js';
import { foldCurves } from './cross-validation-report.js';
import { pointChartSvg } from './charts.js';
import { cards, figure, formatNumber, formatValue, page, section, stamp, table } from './html.js';

export interface SearchReportOptions {
  title?: string;
  /** The search's settings (space, validation, epochs...), shown as a table. */
  settings?: Readonly<Record<string, unknown>>;
  date?: Date;
}

const label = (name: string): string => name.replace(/_/g, ' ');

function describeParams(params: Readonly<Record<string, ParamValue>>): string {
  return Object.entries(params).map(([k, v]) => `${k} ${formatValue(v)}`).join(', ');
}

async function searchCharts<P extends Readonly<Record<string, ParamValue>>>(result: SearchResult<P>): Promise<string> {
  const { trials, objective, direction } = result;
  const score = (t: (typeof trials)[number]) => t.scores[objective] ?? NaN;
  const spread = (t: (typeof trials)[number]) => t.std[objective] ?? 0;
  const figures = [
    figure(
      `${objective} by rank`,
      await pointChartSvg({
        title: `${label(objective)} of every trial, best first`,
        xTitle: 'rank',
        yTitle: label(objective),
        xScale: 'ordinal',
        points: trials.map((t) => ({ x: t.rank, y: score(t), low: score(t) - spread(t), high: score(t) + spread(t) })),
      }),
      `${trials.length} trials ranked by ${label(objective)} (${direction === 'min' ? 'lower' : 'higher'} is better); bars span ± one standard deviation over the folds`,
    ),
  ];
  const numeric = Object.keys(result.best.params).filter((k) => trials.every((t) => typeof t.params[k] === 'number') && new Set(trials.map((t) => t.params[k])).size > 1);
  for (const name of numeric) {
    const values = trials.map((t) => t.params[name] as number);
    const log = Math.min(...values) > 0 && Math.max(...values) / Math.min(...values) >= 10;
    figures.push(figure(
      `${objective} by ${name}`,
      await pointChartSvg({
        title: `${label(objective)} by ${name}`,
        xTitle: `${name}${log ? ' (log scale)' : ''}`,
        yTitle: label(objective),
        xScale: log ? 'log' : 'linear',
        points: trials.map((t) => ({ x: t.params[name] as number, y: score(t) })),
      }),
      `each trial's ${label(objective)} against its ${name}`,
    ));
  }
  return `<div class="charts">${figures.join('\n')}</div>`;
}

function trialTable<P extends Readonly<Record<string, ParamValue>>>(result: SearchResult<P>): string {
  const names = Object.keys(result.best.params);
  const scores = Object.keys(result.best.scores);
  // Failed trials (ranked last) say why in a column of their own.
  const failed = result.trials.some((t) => t.error !== undefined);
  const rows = result.trials.map((t) => [
    String(t.rank),
    ...names.map((n) => formatValue(t.params[n])),
    ...scores.map((s) => (t.error !== undefined ? '–' : `${formatNumber(t.scores[s] ?? NaN)} ± ${formatNumber(t.std[s] ?? NaN)}`)),
    ...(failed ? [t.error ?? ''] : []),
  ]);
  return table(['rank', ...names, ...scores, ...(failed ? ['error'] : [])], rows, 0);
}

export async function searchReport<P extends Readonly<Record<string, ParamValue>>>(result: SearchResult<P>, options: SearchReportOptions = {}): Promise<string> {
  const { best, objective } = result;
  const settings = options.settings ?? {};
  const body = [
    cards([
      ['trials', String(result.trials.length), `${best.folds.length} fold${best.folds.length === 1 ? '' : 's'} each`],
      [`best ${label(objective)}`, formatNumber(best.scores[objective] ?? NaN), `± ${formatNumber(best.std[objective] ?? NaN)}, ${result.direction === 'min' ? 'lowest' : 'highest'} of all trials`],
      ['best hyperparameters', describeParams(best.params)],
    ]),
    section('Trials', await searchCharts(result)),
    section('Every trial', trialTable(result)),
    section('The best trial, fold by fold', await foldCurves(best.folds)),
    ...(Object.keys(settings).length > 0 ? [section('Settings', table(['setting', 'value'], Object.entries(settings).map(([k, v]) => [k, formatValue(v)])))] : []),
  ].join('\n');
  return page(options.title ?? 'Hyperparameter search report', stamp(options.date), body);
}
