/**
 * Node only: a CSV or TSV file as a Dataset of rows, streamed (the file is never held whole), plain or
 * gzip-compressed (recognised by its first bytes). Parsing is csv-parse's: quoted fields, embedded
 * newlines, and errors that name the line. Column types come from `columnTypes` or from the first data
 * row (a number or a missing value: a number column; anything else: a string column); missing numbers
 * ('', NA, NaN, null...) are NaN, as the Imputer expects.
 *
 *   const rows = csvDataset('weather.csv');                           // { date: '2012-01-01', wind: 4.7, ... }
 *   const train = csvDataset('houses.csv.gz', { label: 'price' });    // { x: Tensor [features], y: Tensor [] }
 */
import { createReadStream, openSync, readSync, closeSync, statSync } from 'node:fs';
import { basename } from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream';
import { createGunzip } from 'node:zlib';
import type { Options } from 'csv-parse';
import { parse } from 'csv-parse';
import { ValueError, describe } from '../util/errors.js';
import { Dataset } from './dataset.js';
import { checkOptions, onErrorOption, warnSkipped } from './options.js';
import type { Source } from './source.js';
import { dropFirst } from './source.js';
import type { ColumnType, LabeledRow, TableOptions, TableRow } from './table.js';
import { checkNumeric, planColumns, rowMaker } from './table.js';

export interface CsvOptions extends TableOptions {
  /** The field separator (default ',' or, for .tsv files, a tab). */
  delimiter?: string;
  /** Whether the first line names the columns (default true). */
  header?: boolean;
  /** The columns' names: required without a header, else they replace the header's. */
  columnNames?: readonly string[];
  /** Column types by name; the others are inferred from the first data row. */
  columnTypes?: Readonly<Record<string, ColumnType>>;
  /** Values read as a missing number (NaN). Default: '', 'NA', 'N/A', 'NaN', 'nan', 'null', 'NULL', '#N/A', '?'. */
  missingValues?: readonly string[];
}

const OPTIONS = ['delimiter', 'header', 'columnNames', 'columnTypes', 'missingValues', 'select', 'label', 'onError'];
const MISSING = ['', 'NA', 'N/A', 'NaN', 'nan', 'null', 'NULL', '#N/A', '?'];

export function csvDataset(path: string, options: CsvOptions & { label: string | readonly string[] }): Dataset<LabeledRow>;
export function csvDataset(path: string, options?: CsvOptions): Dataset<TableRow>;
export function csvDataset(path: string, options: CsvOptions = {}): Dataset<TableRow | LabeledRow> {
  const where = 'csvDataset';
  checkOptions(where, options, OPTIONS);
  if (typeof path !== 'string' || path === '') throw new ValueError(`${where}: argument 'path' expected a file path, received ${describe(path)}`);
  const stat = statSync(path, { throwIfNoEntry: false });
  if (!stat?.isFile()) throw new ValueError(`${where}: ${path} ${stat ? 'is not a file' : 'does not exist'}`);
  const onError = onErrorOption(where, options.onError);
  const delimiter = options.delimiter ?? (/\.tsv(\.gz)?$/i.test(path) ? '\t' : ',');
  if (typeof delimiter !== 'string' || delimiter.length === 0) throw new ValueError(`${where}: option 'delimiter' expected a non-empty string, received ${describe(delimiter)}`);
  const header = options.header ?? true;
  if (!header && options.columnNames === undefined) throw new ValueError(`${where}: a file without a header needs the option 'columnNames'`);
  const missing = new Set((options.missingValues ?? MISSING).map((m) => m.trim()));
  const file = basename(path);

  const source: Source<TableRow | LabeledRow> = {
    size: null,
    seeded: [],
    open(_run, skip) {
      return dropFirst(rows(), skip);
    },
  };

  async function* rows(): AsyncGenerator<(TableRow | LabeledRow)[], undefined> {
    const csvOptions: Options & { highWaterMark: number } = {
      delimiter,
      skip_empty_lines: true,
      skip_records_with_error: onError === 'skip',
      // The line a record ends on goes after its fields, for messages.
      on_record: (record, context) => {
        record.push(String(context.lines));
        return record;
      },
      highWaterMark: 1024,
    };
    const parser = parse(csvOptions);
    parser.on('skip', (e: Error) => warnSkipped(where, `a damaged row of ${file}: ${e.message}`));
    const input = createReadStream(path);
    const finished = new Promise<Error | null>((resolve) => {
      const done = (e: Error | null | undefined) => resolve(e ?? null);
      if (isGzip(path)) pipeline(input, createGunzip(), parser, done);
      else pipeline(input, parser, done);
    });

    let names: readonly string[] | null = header ? null : options.columnNames!;
    let convert: ((values: string[], line: number) => TableRow | LabeledRow | null) | null = null;
    try {
      for await (const chunk of objectChunks<string[]>(parser, finished)) {
        const out: (TableRow | LabeledRow)[] = [];
        for (const record of chunk) {
          const line = Number(record.pop());
          if (names === null) {
            names = options.columnNames ?? record.map((v) => v.trim());
            if (options.columnNames !== undefined && options.columnNames.length !== record.length) {
              throw new ValueError(`${where}: option 'columnNames' names ${options.columnNames.length} columns, but the header of ${file} has ${record.length}`);
            }
            continue;
          }
          convert ??= converter(names, record);
          const sample = convert(record, line);
          if (sample !== null) out.push(sample);
        }
        if (out.length > 0) yield out;
      }
    } catch (e) {
      throw named(e);
    } finally {
      parser.destroy();
      input.destroy();
    }
    if (names === null) throw new ValueError(`${where}: ${file} is empty (not even a header)`);
    return undefined;
  }

  function named(e: unknown): Error {
    if (!(e instanceof Error) || e.message.startsWith(`${where}:`)) return e as Error;
    const code = (e as { code?: string }).code;
    if (code === 'Z_BUF_ERROR' || code === 'Z_DATA_ERROR') return new ValueError(`${where}: ${file} is not a whole gzip file (${e.message}): it is truncated or damaged`);
    return new ValueError(`${where}: ${file}: ${e.message}`);
  }

  /** The function that turns a record into a sample, with the column types fixed by the first data row. */
  function converter(names: readonly string[], first: readonly string[]) {
    const plan = planColumns(where, file, names, options);
    const declared = options.columnTypes ?? {};
    for (const [name, type] of Object.entries(declared)) {
      if (!names.includes(name)) throw new ValueError(`${where}: option 'columnTypes' names ${JSON.stringify(name)}, which is not a column of ${file} (${names.map((c) => JSON.stringify(c)).join(', ')})`);
      if (type !== 'number' && type !== 'string') throw new ValueError(`${where}: option 'columnTypes' expected "number" or "string" for ${JSON.stringify(name)}, received ${describe(type)}`);
    }
    const types: ColumnType[] = plan.kept.map((i) => {
      const name = names[i]!;
      if (declared[name] !== undefined) return declared[name];
      const v = (first[i] ?? '').trim();
      return missing.has(v) || !Number.isNaN(Number(v)) ? 'number' : 'string';
    });
    checkNumeric(where, file, plan, types);
    const make = rowMaker(plan);
    const values = new Array<number | string>(plan.kept.length);
    return (record: readonly string[], line: number): TableRow | LabeledRow | null => {
      for (let k = 0; k < plan.kept.length; k++) {
        const raw = record[plan.kept[k]!]!;
        if (types[k] === 'string') {
          values[k] = raw;
          continue;
        }
        const trimmed = raw.trim();
        const v = missing.has(trimmed) ? NaN : Number(trimmed);
        if (Number.isNaN(v) && !missing.has(trimmed)) {
          const message = `${file} line ${line}, column ${JSON.stringify(plan.names[k])}: ${describe(raw)} is not a number`;
          if (onError === 'skip') {
            warnSkipped(where, `a row: ${message}`);
            return null;
          }
          throw new ValueError(
            `${where}: ${message} (the column holds numbers${declared[plan.names[k]!] ? '' : ', as its first value showed'}; ` +
              `declare it with columnTypes: { ${JSON.stringify(plan.names[k])}: 'string' }, or pass onError: 'skip' to leave such rows out)`,
          );
        }
        values[k] = v;
      }
      return make(values);
    };
  }

  return new Dataset(source);
}

/** gzip files start with 1f 8b, whatever their name. */
function isGzip(path: string): boolean {
  const fd = openSync(path, 'r');
  try {
    const magic = Buffer.alloc(2);
    return readSync(fd, magic, 0, 2, 0) === 2 && magic[0] === 0x1f && magic[1] === 0x8b;
  } finally {
    closeSync(fd);
  }
}

/**
 * The objects an object-mode stream has ready, as chunks, until it ends. `finished` settles when its
 * pipeline does (with the error that stopped it, if one did): a stream destroyed by an error upstream ends
 * with that error, never as if the data had ended there.
 */
export async function* objectChunks<T>(stream: Readable, finished: Promise<Error | null>): AsyncGenerator<T[], undefined> {
  let settled: { error: Error | null } | null = null;
  void finished.then((error) => (settled = { error }));
  for (;;) {
    const chunk: T[] = [];
    for (let r = stream.read() as T | null; r !== null; r = stream.read() as T | null) chunk.push(r);
    if (chunk.length > 0) yield chunk;
    if (stream.readableEnded || stream.destroyed || settled !== null) {
      const error = await finished;
      if (error) throw error;
      if (stream.readableLength > 0) continue;
      return undefined;
    }
    await new Promise<void>((resolve) => {
      const settle = () => {
        stream.off('readable', settle);
        stream.off('end', settle);
        stream.off('close', settle);
        resolve();
      };
      stream.on('readable', settle);
      stream.on('end', settle);
      stream.on('close', settle);
      void finished.then(settle);
    });
  }
}
