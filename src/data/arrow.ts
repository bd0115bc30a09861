/**
 * Node only: an Arrow IPC file (or stream) as a Dataset of rows, read one record batch at a time with
 * apache-arrow, so memory holds one record batch, never the file. Rows are samples as table.ts makes
 * them: records of numbers and strings, or `{ x, y }` with a label. Integers (64-bit too), booleans,
 * dates and timestamps are numbers (timestamps in milliseconds), dictionary-encoded strings strings,
 * missing values NaN.
 *
 *   const flights = arrowDataset('flights-200k.arrow', { label: 'delay' });
 */
import { createReadStream, statSync } from 'node:fs';
import { basename } from 'node:path';
import { LayerwiseError, ValueError, describe } from '../util/errors.js';
import { Dataset } from './dataset.js';
import { checkOptions, onErrorOption } from './options.js';
import type { Source } from './source.js';
import { dropFirst } from './source.js';
import type { ColumnPlan, ColumnType, LabeledRow, TableOptions, TableRow } from './table.js';
import { checkNumeric, columnarRows, planColumns, rowMaker } from './table.js';

export type ArrowOptions = TableOptions;

const OPTIONS = ['select', 'label', 'onError'];

export function arrowDataset(path: string, options: ArrowOptions & { label: string | readonly string[] }): Dataset<LabeledRow>;
export function arrowDataset(path: string, options?: ArrowOptions): Dataset<TableRow>;
export function arrowDataset(path: string, options: ArrowOptions = {}): Dataset<TableRow | LabeledRow> {
  const where = 'arrowDataset';
  checkOptions(where, options, OPTIONS);
  if (typeof path !== 'string' || path === '') throw new ValueError(`${where}: argument 'path' expected a file path, received ${describe(path)}`);
  const stat = statSync(path, { throwIfNoEntry: false });
  if (!stat?.isFile()) throw new ValueError(`${where}: ${path} ${stat ? 'is not a file' : 'does not exist'}`);
  // A damaged record batch cannot be stepped over in an IPC stream: onError is accepted for the loaders' common options, and errors always stop.
  onErrorOption(where, options.onError);
  const file = basename(path);

  const source: Source<TableRow | LabeledRow> = {
    size: null,
    seeded: [],
    open(_run, skip) {
      return dropFirst(batches(), skip);
    },
  };

  async function* batches(): AsyncGenerator<(TableRow | LabeledRow)[], undefined> {
    const arrow = await import('apache-arrow');
    const stream = createReadStream(path);
    let plan: ColumnPlan | null = null;
    let types: ColumnType[] = [];
    let make: ((values: readonly (number | string)[]) => TableRow | LabeledRow) | null = null;
    let row = 0;
    try {
      const reader = await arrow.RecordBatchReader.from(stream);
      for await (const batch of reader) {
        if (plan === null) {
          const fields = batch.schema.fields;
          plan = planColumns(where, file, fields.map((f) => f.name), options);
          types = plan.kept.map((i) => {
            const type = fields[i]!.type;
            const t = arrow.DataType.isDictionary(type) ? type.dictionary : type;
            if (arrow.DataType.isUtf8(t) || arrow.DataType.isLargeUtf8(t)) return 'string';
            if (arrow.DataType.isInt(t) || arrow.DataType.isFloat(t) || arrow.DataType.isBool(t) || arrow.DataType.isDate(t) || arrow.DataType.isTimestamp(t)) return 'number';
            throw new ValueError(`${where}: ${file}: column ${JSON.stringify(fields[i]!.name)} has Arrow type ${String(type)}, which is neither a number nor a string; leave it out with 'select'`);
          });
          checkNumeric(where, file, plan, types);
          make = rowMaker(plan);
        }
        const columns = plan.kept.map((i, k) => columnValues(batch.getChildAt(i)!, types[k]!));
        const bad = (r: number, k: number, value: unknown): never => {
          throw new ValueError(`${where}: ${file} row ${row + r}, column ${JSON.stringify(plan!.names[k])}: ${describe(value)} cannot be read as a ${types[k]}`);
        };
        yield* columnarRows(columns, types, 0, batch.numRows, make!, bad);
        row += batch.numRows;
      }
    } catch (e) {
      if (e instanceof Error && e.message.startsWith(`${where}:`)) throw e;
      throw new LayerwiseError(`${where}: ${file} cannot be read as Arrow IPC after ${row} rows: ${e instanceof Error ? e.message : String(e)}`);
    } finally {
      stream.destroy();
    }
    return undefined;
  }

  return new Dataset(source);
}

/** A column's values: the typed array itself for numbers without nulls, else value by value. */
function columnValues(vector: { nullCount: number; length: number; toArray(): ArrayLike<unknown>; get(i: number): unknown }, type: ColumnType): ArrayLike<unknown> {
  if (type === 'number' && vector.nullCount === 0) {
    const values = vector.toArray();
    if (ArrayBuffer.isView(values) && !(values instanceof BigInt64Array) && !(values instanceof BigUint64Array)) return values;
  }
  const out = new Array<unknown>(vector.length);
  for (let i = 0; i < vector.length; i++) out[i] = vector.get(i);
  return out;
}
