/**
 * Seattle's daily weather 2012–2015 (`vega-datasets`'s seattle-weather.csv: precipitation, highest and
 * lowest temperature, wind) as windows of past days, each with the next day's highest temperature to
 * forecast. Inputs are standardized with statistics of the training period alone.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { parse } from 'csv-parse/sync';

export interface Day {
  date: string;
  precipitation: number;
  tempMax: number;
  tempMin: number;
  wind: number;
}

export const FEATURES = ['precipitation', 'tempMax', 'tempMin', 'wind'] as const;

/** The CSV inside the package (its exports name only the JavaScript entry, in build/ beside data/). */
export function seattlePath(): string {
  return join(dirname(createRequire(import.meta.url).resolve('vega-datasets')), '..', 'data', 'seattle-weather.csv');
}

export function readSeattle(csv = readFileSync(seattlePath(), 'utf8')): Day[] {
  const rows = parse(csv, { columns: true, skip_empty_lines: true }) as Record<string, string>[];
  return rows.map((r, i) => {
    const day = { date: r['date']!, precipitation: Number(r['precipitation']), tempMax: Number(r['temp_max']), tempMin: Number(r['temp_min']), wind: Number(r['wind']) };
    if (FEATURES.some((f) => !Number.isFinite(day[f]))) throw new Error(`seattle-weather.csv: row ${i + 2} (${day.date}) has a value that is not a number`);
    return day;
  });
}

/** Mean and standard deviation of each feature over some days (the training period). */
export function featureScaling(days: readonly Day[]): { mean: number[]; std: number[] } {
  const mean = FEATURES.map((f) => days.reduce((s, d) => s + d[f], 0) / days.length);
  const std = FEATURES.map((f, k) => Math.sqrt(days.reduce((s, d) => s + (d[f] - mean[k]!) ** 2, 0) / days.length) || 1);
  return { mean, std };
}

export interface Windows {
  /** [samples, window, features], standardized. */
  x: Float32Array;
  /** The next day's highest temperature (°C). */
  target: number[];
  /** The highest temperature of each window's last day (°C): the naive forecast. */
  yesterday: number[];
  /** The date forecast. */
  dates: string[];
}

/** A window of the `window` days before each day whose index is in [from, to), with that day's tempMax. */
export function makeWindows(days: readonly Day[], window: number, from: number, to: number, scaling: { mean: number[]; std: number[] }): Windows {
  const start = Math.max(from, window);
  const n = Math.max(0, to - start);
  const out: Windows = { x: new Float32Array(n * window * FEATURES.length), target: [], yesterday: [], dates: [] };
  for (let s = 0; s < n; s++) {
    const day = start + s;
    for (let t = 0; t < window; t++) {
      const d = days[day - window + t]!;
      FEATURES.forEach((f, k) => {
        out.x[(s * window + t) * FEATURES.length + k] = (d[f] - scaling.mean[k]!) / scaling.std[k]!;
      });
    }
    out.target.push(days[day]!.tempMax);
    out.yesterday.push(days[day - 1]!.tempMax);
    out.dates.push(days[day]!.date);
  }
  return out;
}
