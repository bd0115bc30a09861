/**
 * Charts as standalone SVG, drawn by Vega-Lite and rendered by Vega in Node without a browser or a DOM
 * (the `none` renderer writes SVG text). Data is inlined, so nothing is fetched. Vega is imported on the
 * first chart, so programs that make no report do not pay for loading it.
 */
import type { TopLevelSpec } from 'vega-lite';

export interface ChartSeries {
  name: string;
  /** One value per x (null or NaN leaves a gap). */
  values: readonly (number | null)[];
}

export interface LineChartOptions {
  title: string;
  x: readonly number[];
  xTitle: string;
  yTitle: string;
  series: readonly ChartSeries[];
  /** A dashed vertical line with a label (the best epoch). */
  marker?: { at: number; label: string };
  /** A shaded span from this x to the last, with a label (where overfitting starts). */
  shadeFrom?: { at: number; label: string };
}

const PALETTE = ['#1f77b4', '#ff7f0e', '#2ca02c', '#d62728', '#9467bd', '#8c564b', '#e377c2', '#7f7f7f'];

export async function lineChartSvg(options: LineChartOptions): Promise<string> {
  const { x, series } = options;
  const rows = series.flatMap((s) => x.map((xi, i) => ({ x: xi, series: s.name, value: Number.isFinite(s.values[i]) ? s.values[i] : null })));
  const layers: TopLevelSpec[] = [];
  if (options.shadeFrom) {
    const { at, label } = options.shadeFrom;
    layers.push({
      data: { values: [{ from: at, to: x[x.length - 1], label }] },
      layer: [
        { mark: { type: 'rect', color: '#d62728', opacity: 0.08 }, encoding: { x: { field: 'from', type: 'quantitative' }, x2: { field: 'to' } } },
        { mark: { type: 'text', align: 'left', baseline: 'top', dx: 4, dy: 4, color: '#b22222' }, encoding: { x: { field: 'from', type: 'quantitative' }, y: { value: 0 }, text: { field: 'label' } } },
      ],
    } as TopLevelSpec);
  }
  layers.push({
    data: { values: rows },
    mark: { type: 'line', point: { filled: true, size: 40 }, strokeWidth: 2 },
    encoding: {
      x: { field: 'x', type: 'quantitative', title: options.xTitle, axis: { tickMinStep: 1, format: 'd' }, scale: { nice: false } },
      y: { field: 'value', type: 'quantitative', title: options.yTitle, scale: { zero: false } },
      color: { field: 'series', type: 'nominal', title: null, sort: series.map((s) => s.name), scale: { range: PALETTE } },
    },
  } as TopLevelSpec);
  if (options.marker) {
    const { at, label } = options.marker;
    layers.push({
      data: { values: [{ at, label }] },
      layer: [
        { mark: { type: 'rule', strokeDash: [5, 4], color: '#2ca02c', strokeWidth: 1.5 }, encoding: { x: { field: 'at', type: 'quantitative' } } },
        { mark: { type: 'text', align: 'left', baseline: 'bottom', dx: 4, dy: -4, color: '#2ca02c' }, encoding: { x: { field: 'at', type: 'quantitative' }, y: { value: 200 }, text: { field: 'label' } } },
      ],
    } as TopLevelSpec);
  }
  return render({
    title: options.title,
    width: 520,
    height: 200,
    background: 'white',
    config: { font: 'system-ui, sans-serif', legend: { orient: 'top' } },
    layer: layers,
  } as TopLevelSpec);
}

/** A Vega-Lite spec to SVG text, in Node, without a browser. */
async function render(spec: TopLevelSpec): Promise<string> {
  const [vega, { compile }] = await Promise.all([import('vega'), import('vega-lite')]);
  const view = new vega.View(vega.parse(compile(spec).spec), { renderer: 'none' });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}

export interface ChartPoint {
  x: number | string;
  y: number;
  /** An error bar from low to high (mean ± std). */
  low?: number;
  high?: number;
}

export interface PointChartOptions {
  title: string;
  xTitle: string;
  yTitle: string;
  points: readonly ChartPoint[];
  /** Categories in order (folds, ranks), or numbers on a linear or log scale (a hyperparameter). */
  xScale: 'ordinal' | 'linear' | 'log';
  /** A horizontal line with a shaded band (the mean ± std over folds). */
  mean?: { value: number; std: number; label: string };
}

/** Points (one per fold or trial), with error bars and a mean line when given. */
export async function pointChartSvg(options: PointChartOptions): Promise<string> {
  const ordinal = options.xScale === 'ordinal';
  const x = {
    field: 'x', title: options.xTitle,
    ...(ordinal ? { type: 'ordinal', sort: null, axis: { labelAngle: 0 } } : { type: 'quantitative', scale: { type: options.xScale, zero: false, nice: false } }),
  };
  const y = { field: 'y', type: 'quantitative', title: options.yTitle, scale: { zero: false } };
  const data = { values: options.points.map((p) => ({ ...p, x: ordinal ? String(p.x) : p.x })) };
  const layers: TopLevelSpec[] = [];
  if (options.mean) {
    const { value, std, label } = options.mean;
    layers.push({
      data: { values: [{ value, low: value - std, high: value + std, label }] },
      layer: [
        { mark: { type: 'rect', color: PALETTE[0], opacity: 0.1 }, encoding: { y: { field: 'low', type: 'quantitative' }, y2: { field: 'high' } } },
        { mark: { type: 'rule', color: PALETTE[0], strokeDash: [5, 4] }, encoding: { y: { field: 'value', type: 'quantitative' } } },
        { mark: { type: 'text', align: 'right', baseline: 'bottom', dy: -3, color: PALETTE[0] }, encoding: { y: { field: 'value', type: 'quantitative' }, x: { value: 520 }, text: { field: 'label' } } },
      ],
    } as TopLevelSpec);
  }
  if (options.points.some((p) => p.low !== undefined)) {
    layers.push({ data, mark: { type: 'rule', color: '#888' }, encoding: { x, y: { field: 'low', type: 'quantitative' }, y2: { field: 'high' } } } as TopLevelSpec);
  }
  layers.push({ data, mark: { type: 'point', filled: true, size: 60, color: PALETTE[1], opacity: 1 }, encoding: { x, y } } as TopLevelSpec);
  return render({
    title: options.title,
    width: 520,
    height: 200,
    background: 'white',
    config: { font: 'system-ui, sans-serif' },
    layer: layers,
  } as TopLevelSpec);
}
