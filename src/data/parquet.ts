/**
 * Node only: a Parquet file as a Dataset of rows, read one row group at a time (hyparquet, with the
 * decompressors of hyparquet-compressors: snappy, gzip, zstd, brotli, lz4), so memory holds one row group
 * of the selected columns, never the file. Rows are samples as table.ts makes them: records of numbers
 * and strings, or `{ x, y }` with a label. Integers (64-bit too) and booleans are numbers, timestamps
 * milliseconds since 1970, missing values NaN.
 *
 *   const flights = parquetDataset('flights-3m.parquet', { select: ['delay', 'distance'], label: 'delay' });
 */
import { closeSync, openSync, readSync, statSync } from 'node:fs';
import { basename } from 'node:path';
import type { FileMetaData } from 'hyparquet';
import { parquetMetadata } from 'hyparquet';
import { LayerwiseError, ValueError, describe } from '../util/errors.js';
import { Dataset } from './dataset.js';
import { checkOptions, onErrorOption, warnSkipped } from './options.js';
import type { Source } from './source.js';
import type { ColumnType, LabeledRow, TableOptions, TableRow } from './table.js';
import { checkNumeric, columnarRows, planColumns, rowMaker } from './table.js';

export type ParquetOptions = TableOptions;

const OPTIONS = ['select', 'label', 'onError'];

export function parquetDataset(path: string, options: ParquetOptions & { label: string | readonly string[] }): Dataset<LabeledRow>;
export function parquetDataset(path: string, options?: ParquetOptions): Dataset<TableRow>;
export function parquetDataset(path: string, options: ParquetOptions = {}): Dataset<TableRow | LabeledRow> {
  const where = 'parquetDataset';
  checkOptions(where, options, OPTIONS);
  if (typeof path !== 'string' || path === '') throw new ValueError(`${where}: argument 'path' expected a file path, received ${describe(path)}`);
  const stat = statSync(path, { throwIfNoEntry: false });
  if (!stat?.isFile()) throw new ValueError(`${where}: ${path} ${stat ? 'is not a file' : 'does not exist'}`);
  const onError = onErrorOption(where, options.onError);
  const file = basename(path);
  const metadata = readMetadata(path, where, file);
  const leaves = metadata.schema.slice(1);
  const nested = leaves.find((s) => (s.num_children ?? 0) > 0);
  if (nested) throw new ValueError(`${where}: ${file}: column ${JSON.stringify(nested.name)} is nested; only flat columns can be read`);
  const plan = planColumns(where, file, leaves.map((s) => s.name), options);
  const types: ColumnType[] = plan.kept.map((i) => (leaves[i]!.type === 'BYTE_ARRAY' || leaves[i]!.type === 'FIXED_LEN_BYTE_ARRAY' ? 'string' : 'number'));
  checkNumeric(where, file, plan, types);
  const make = rowMaker(plan);

  const source: Source<TableRow | LabeledRow> = {
    size: Number(metadata.num_rows),
    seeded: [],
    async *open(_run, skip) {
      const { asyncBufferFromFile, parquetRead } = await import('hyparquet');
      const { compressors } = await import('hyparquet-compressors');
      const buffer = await asyncBufferFromFile(path);
      let groupStart = 0;
      for (const [g, group] of metadata.row_groups.entries()) {
        const rows = Number(group.num_rows);
        const groupEnd = groupStart + rows;
        if (groupEnd <= skip) {
          groupStart = groupEnd;
          continue;
        }
        const chunks = new Map<string, { data: ArrayLike<unknown>; rowStart: number }[]>();
        try {
          await parquetRead({
            file: buffer,
            metadata,
            compressors,
            columns: plan.names as string[],
            rowStart: groupStart,
            rowEnd: groupEnd,
            utf8: true,
            parsers: {
              timestampFromMilliseconds: (v: bigint) => Number(v),
              timestampFromMicroseconds: (v: bigint) => Number(v) / 1e3,
              timestampFromNanoseconds: (v: bigint) => Number(v) / 1e6,
              dateFromDays: (days: number) => days * 86400000,
            },
            onChunk: (c) => {
              const list = chunks.get(c.columnName) ?? [];
              list.push({ data: c.columnData as ArrayLike<unknown>, rowStart: c.rowStart });
              chunks.set(c.columnName, list);
            },
          });
        } catch (e) {
          const message = `row group ${g} of ${file} (rows ${groupStart}..${groupEnd - 1}) cannot be read: ${e instanceof Error ? e.message : String(e)}`;
          if (onError === 'skip') {
            warnSkipped(where, message);
            groupStart = groupEnd;
            continue;
          }
          throw new LayerwiseError(`${where}: ${message}`);
        }
        const columns = plan.names.map((name) => columnOfGroup(chunks.get(name) ?? [], groupStart, rows, where, file, name));
        chunks.clear();
        const bad = (row: number, k: number, value: unknown): never => {
          throw new ValueError(`${where}: ${file} row ${groupStart + row}, column ${JSON.stringify(plan.names[k])}: ${describe(value)} cannot be read as a ${types[k]}`);
        };
        yield* columnarRows(columns, types, Math.max(0, skip - groupStart), rows, make, bad);
        groupStart = groupEnd;
      }
      return undefined;
    },
  };
  return new Dataset(source);
}

/** The footer: the file's schema and row groups, read without reading the data. */
function readMetadata(path: string, where: string, file: string): FileMetaData {
  const fd = openSync(path, 'r');
  try {
    const { size } = statSync(path);
    const tail = Buffer.alloc(8);
    if (size < 12 || readSync(fd, tail, 0, 8, size - 8) !== 8 || tail.toString('latin1', 4) !== 'PAR1') {
      throw new ValueError(`${where}: ${file} is not a Parquet file (it does not end with the PAR1 mark${size < 12 ? `; it holds only ${size} bytes` : ''})`);
    }
    const length = tail.readUInt32LE(0);
    if (length + 12 > size) throw new ValueError(`${where}: ${file} is damaged: its footer claims ${length} bytes, more than the file holds`);
    const footer = Buffer.alloc(length + 8);
    readSync(fd, footer, 0, length + 8, size - length - 8);
    try {
      return parquetMetadata(footer.buffer.slice(footer.byteOffset, footer.byteOffset + footer.length));
    } catch (e) {
      throw new ValueError(`${where}: ${file} is damaged: its footer cannot be read (${e instanceof Error ? e.message : String(e)})`);
    }
  } finally {
    closeSync(fd);
  }
}

/** One column of a row group, indexed from the group's first row, from the chunks hyparquet parsed. */
function columnOfGroup(chunks: readonly { data: ArrayLike<unknown>; rowStart: number }[], groupStart: number, rows: number, where: string, file: string, name: string): ArrayLike<unknown> {
  if (chunks.length === 1 && chunks[0]!.rowStart === groupStart && chunks[0]!.data.length >= rows) return chunks[0]!.data;
  const out = new Array<unknown>(rows);
  let filled = 0;
  for (const c of chunks) {
    for (let i = 0; i < c.data.length; i++) {
      const r = c.rowStart + i - groupStart;
      if (r >= 0 && r < rows) {
        out[r] = c.data[i];
        filled++;
      }
    }
  }
  if (filled < rows) throw new LayerwiseError(`${where}: ${file}: column ${JSON.stringify(name)} holds ${filled} values for a row group of ${rows} rows: the file is damaged`);
  return out;
}
