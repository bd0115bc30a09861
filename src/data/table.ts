/**
 * Rows of a table (a CSV, Parquet or Arrow file) as samples. Without a label a row is a record of its
 * columns, numbers and strings (`{ date: '2012-01-01', wind: 4.7 }`); with `label` it is `{ x, y }`: x a
 * float32 vector of the other selected columns, y the label column's value (or a vector of several).
 * Missing numbers are NaN, for the Imputer.
 */
import { Tensor } from '../tensor/tensor.js';
import { ValueError, describe } from '../util/errors.js';
import type { OnError } from './options.js';

export type ColumnType = 'number' | 'string';

/** A row without a label: its columns by name. */
export type TableRow = Record<string, number | string>;

/** A row with a label: features and label as tensors. */
export interface LabeledRow {
  x: Tensor;
  y: Tensor;
}

export interface TableOptions {
  /** The columns to keep, in this order (default: all). */
  select?: readonly string[];
  /** The label column (or columns): rows become `{ x, y }`. */
  label?: string | readonly string[];
  /** A damaged row: 'throw' (default) stops with an error naming the file and line; 'skip' leaves it out with a warning. */
  onError?: OnError;
}

/** Which columns go where, checked against the file's columns. */
export interface ColumnPlan {
  /** The kept columns' indices in the file's rows, and their names. */
  readonly kept: readonly number[];
  readonly names: readonly string[];
  /** With a label: indices into `kept` of the features and of the labels. */
  readonly labeled: { features: number[]; labels: number[] } | null;
}

export function planColumns(where: string, file: string, columns: readonly string[], options: TableOptions): ColumnPlan {
  const known = (name: unknown, option: string): number => {
    const i = typeof name === 'string' ? columns.indexOf(name) : -1;
    if (i < 0) throw new ValueError(`${where}: ${file} has no column ${describe(name)} (option '${option}'); its columns are ${columns.map((c) => JSON.stringify(c)).join(', ')}`);
    return i;
  };
  const duplicate = columns.find((c, i) => columns.indexOf(c) !== i);
  if (duplicate !== undefined) throw new ValueError(`${where}: ${file} names two columns ${JSON.stringify(duplicate)}; give distinct names with the option columnNames`);
  if (options.select !== undefined && !Array.isArray(options.select)) throw new ValueError(`${where}: option 'select' expected an array of column names, received ${describe(options.select)}`);
  const kept = options.select === undefined ? columns.map((_, i) => i) : options.select.map((n) => known(n, 'select'));
  const names = kept.map((i) => columns[i]!);
  if (options.label === undefined) return { kept, names, labeled: null };
  const labelNames = typeof options.label === 'string' ? [options.label] : options.label;
  if (!Array.isArray(labelNames) || labelNames.length === 0) throw new ValueError(`${where}: option 'label' expected a column name or names, received ${describe(options.label)}`);
  const labels = labelNames.map((n) => {
    known(n, 'label');
    const k = names.indexOf(n);
    if (k < 0) throw new ValueError(`${where}: the label column ${JSON.stringify(n)} is not among the selected columns ${names.map((c) => JSON.stringify(c)).join(', ')}`);
    return k;
  });
  const features = names.map((_, k) => k).filter((k) => !labels.includes(k));
  if (features.length === 0) throw new ValueError(`${where}: ${file} has no feature columns left beside the label`);
  return { kept, names, labeled: { features, labels } };
}

/** With a label every selected column must hold numbers: a string column is named with the fix. */
export function checkNumeric(where: string, file: string, plan: ColumnPlan, types: readonly ColumnType[]): void {
  if (plan.labeled === null) return;
  plan.names.forEach((name, k) => {
    if (types[k] === 'string') {
      const role = plan.labeled!.labels.includes(k) ? 'label' : 'feature';
      throw new ValueError(
        `${where}: ${file}: column ${JSON.stringify(name)} holds strings, but with 'label' every ${role} must be a number: leave it out with 'select', ` +
          `or read rows without 'label' and encode it in a map`,
      );
    }
  });
}

/** Builds a sample from the kept values of a row (numbers and strings, in the order of plan.names). */
export function rowMaker(plan: ColumnPlan): (values: readonly (number | string)[]) => TableRow | LabeledRow {
  const { names, labeled } = plan;
  if (labeled === null) {
    return (values) => {
      const row: TableRow = {};
      for (let k = 0; k < names.length; k++) row[names[k]!] = values[k]!;
      return row;
    };
  }
  const { features, labels } = labeled;
  return (values) => {
    const x = new Float32Array(features.length);
    for (let j = 0; j < features.length; j++) x[j] = values[features[j]!] as number;
    const y = new Float32Array(labels.length);
    for (let j = 0; j < labels.length; j++) y[j] = values[labels[j]!] as number;
    return { x: new Tensor(x, [features.length]), y: new Tensor(y, labels.length === 1 ? [] : [labels.length]) };
  };
}

/** A column's value as a sample holds it: numbers (bigints, booleans and dates as numbers), strings; missing numbers NaN. */
export function cellValue(v: unknown, type: ColumnType): number | string | undefined {
  if (type === 'string') return v === null || v === undefined ? '' : typeof v === 'string' ? v : String(v);
  if (typeof v === 'number') return v;
  if (v === null || v === undefined) return NaN;
  if (typeof v === 'bigint') return Number(v);
  if (typeof v === 'boolean') return v ? 1 : 0;
  if (v instanceof Date) return v.getTime();
  return undefined;
}

/**
 * Rows [start, end) of a batch of columns (one array per kept column, in plan order), in chunks of up to
 * 1024 samples.
 */
export function* columnarRows(
  columns: readonly ArrayLike<unknown>[],
  types: readonly ColumnType[],
  start: number,
  end: number,
  make: (values: readonly (number | string)[]) => TableRow | LabeledRow,
  bad: (row: number, column: number, value: unknown) => never,
): Generator<(TableRow | LabeledRow)[]> {
  const values = new Array<number | string>(columns.length);
  for (let from = start; from < end; from += 1024) {
    const to = Math.min(from + 1024, end);
    const out = new Array<TableRow | LabeledRow>(to - from);
    for (let r = from; r < to; r++) {
      for (let k = 0; k < columns.length; k++) {
        const raw = columns[k]![r];
        const v = typeof raw === 'number' && types[k] === 'number' ? raw : cellValue(raw, types[k]!);
        if (v === undefined) bad(r, k, raw);
        values[k] = v!;
      }
      out[r - from] = make(values);
    }
    yield out;
  }
}
