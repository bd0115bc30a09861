/**
 * csvDataset's platform-neutral part: a CSV or TSV text as a Dataset of rows, from any source of bytes
 * that can be opened once per pass (a file in Node; a URL, Blob, Response or web stream anywhere). The
 * parser is csv-parse's, handed in by the entry that knows the platform (Node's build, or its browser
 * build with its own stream polyfill); both are driven here with write() and read(), one chunk at a time,
 * so the text is never held whole. Column types come from `columnTypes` or from the first data row (a
 * number or a missing value: a number column; anything else: a string column); missing numbers ('', NA,
 * NaN, null...) are NaN, as the Imputer expects.
 */
import type { Options } from 'csv-parse';
import { ValueError, describe } from '../util/errors.js';
import { Dataset } from './dataset.js';
import { checkOptions, onErrorOption, warnSkipped } from './options.js';
import type { Source } from './source.js';
import { chunksOf, dropFirst } from './source.js';
import type { ColumnType, LabeledRow, TableOptions, TableRow } from './table.js';
import { checkNumeric, planColumns, rowMaker } from './table.js';

export interface CsvOptions extends TableOptions {
  /** The field separator (default ',' or, for names ending in .tsv or .tsv.gz, a tab). */
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

/** Where a CSV's bytes come from. */
export interface CsvInput {
  /** What messages call it: a file's name, a URL. */
  readonly name: string;
  /** The name whose ending (.tsv, .tsv.gz) picks the default delimiter. */
  readonly path: string;
  /** The bytes of one pass, decompressed; closing the iterator early releases the file or connection. */
  open(): AsyncIterator<Uint8Array, undefined>;
}

/** The part of csv-parse's parser (a Transform stream in Node and in its browser build) this file drives. */
export interface CsvParser {
  write(text: string): boolean;
  end(): unknown;
  read(): unknown;
  on(event: 'readable' | 'drain' | 'end' | 'error' | 'skip', listener: (error?: Error) => void): unknown;
  destroy(): unknown;
}

export type CsvParserFactory = (options: Options) => CsvParser | Promise<CsvParser>;

const OPTIONS = ['delimiter', 'header', 'columnNames', 'columnTypes', 'missingValues', 'select', 'label', 'onError'];
const MISSING = ['', 'NA', 'N/A', 'NaN', 'nan', 'null', 'NULL', '#N/A', '?'];

/** Checks the options before anything is read (unknown keys, a delimiter, a header or column names). */
export function checkCsvOptions(where: string, options: CsvOptions): void {
  checkOptions(where, options, OPTIONS);
  if (options.delimiter !== undefined && (typeof options.delimiter !== 'string' || options.delimiter.length === 0)) {
    throw new ValueError(`${where}: option 'delimiter' expected a non-empty string, received ${describe(options.delimiter)}`);
  }
  if (options.header === false && options.columnNames === undefined) throw new ValueError(`${where}: a file without a header needs the option 'columnNames'`);
}

/** The rows of a CSV input, parsed again on every pass. */
export function csvRows(where: string, input: CsvInput, makeParser: CsvParserFactory, options: CsvOptions): Dataset<TableRow | LabeledRow> {
  checkCsvOptions(where, options);
  const onError = onErrorOption(where, options.onError);
  const delimiter = options.delimiter ?? (/\.tsv(\.gz)?$/i.test(input.path) ? '\t' : ',');
  const header = options.header ?? true;
  const missing = new Set((options.missingValues ?? MISSING).map((m) => m.trim()));
  const file = input.name;

  const source: Source<TableRow | LabeledRow> = {
    size: null,
    seeded: [],
    open(_run, skip) {
      return dropFirst(rows(), skip);
    },
  };

  async function* rows(): AsyncGenerator<(TableRow | LabeledRow)[], undefined> {
    const bytes = input.open();
    let parser: CsvParser | null = null;
    let names: readonly string[] | null = header ? null : options.columnNames!;
    let convert: ((values: string[], line: number) => TableRow | LabeledRow | null) | null = null;
    try {
      const csvOptions: Options & { highWaterMark: number } = {
        delimiter,
        skip_empty_lines: true,
        skip_records_with_error: onError === 'skip',
        // The line a record ends on goes after its fields, for messages.
        on_record: (record, context) => {
          record.push(String(context.lines));
          return record;
        },
        // Records waiting to be read: the parser holds back the text after them.
        highWaterMark: 1024,
      };
      parser = await makeParser(csvOptions);
      parser.on('skip', (e) => warnSkipped(where, `a damaged row of ${file}: ${e?.message}`));
      for await (const chunk of chunksOf(parsedRecords(parser, bytes))) {
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
      parser?.destroy();
      await bytes.return?.();
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

/** The most bytes written to the parser at once. */
const PIECE_BYTES = 64 * 1024;

/**
 * The records of a parser fed with `bytes`, in chunks. One piece of bytes is written at a time, and the
 * next only once the parser has taken it (its 'drain'), so memory holds a piece and its records. The
 * bytes are decoded here (UTF-8, a leading byte-order mark dropped, a character split between chunks
 * kept whole) and written as text, which both builds of the parser accept.
 */
export async function* parsedRecords(parser: CsvParser, bytes: AsyncIterator<Uint8Array, undefined>): AsyncGenerator<string[][], undefined> {
  const decoder = new TextDecoder();
  let pending: Uint8Array = new Uint8Array(0);
  let failure: Error | null = null;
  let ended = false, inputDone = false, blocked = false;
  // Events only wake the loop; what it does next it reads from the flags and from read().
  let signalled = false;
  let wake: (() => void) | null = null;
  const signal = () => {
    signalled = true;
    wake?.();
  };
  parser.on('error', (e) => {
    failure ??= e ?? new Error('the parser failed');
    signal();
  });
  parser.on('end', () => {
    ended = true;
    signal();
  });
  parser.on('drain', () => {
    blocked = false;
    signal();
  });
  parser.on('readable', signal);
  for (;;) {
    signalled = false;
    const out: string[][] = [];
    for (let r = parser.read(); r !== null; r = parser.read()) out.push(r as string[]);
    if (out.length > 0) yield out;
    if (failure !== null) throw failure;
    if (ended) return undefined;
    if (out.length > 0) continue;
    if (!inputDone && !blocked) {
      if (pending.length === 0) {
        const next = await bytes.next();
        if (next.done) {
          inputDone = true;
          const rest = decoder.decode();
          if (rest.length > 0) parser.write(rest);
          parser.end();
          continue;
        }
        pending = next.value;
      }
      // A source may hand over everything at once (Node's Blob.stream() does): the parser would turn it
      // all into records before the first is read, so it gets a slice at a time.
      const piece = pending.subarray(0, PIECE_BYTES);
      pending = pending.subarray(piece.length);
      const text = decoder.decode(piece, { stream: true });
      if (text.length > 0) blocked = !parser.write(text);
      continue;
    }
    if (!signalled) await new Promise<void>((resolve) => (wake = resolve));
    wake = null;
  }
}
