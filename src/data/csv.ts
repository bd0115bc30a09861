/**
 * csvDataset in Node: a CSV or TSV file by path or file: URL, streamed (never held whole), plain or
 * gzip-compressed (recognised by its first bytes, inflated by zlib); or any source csv-web.ts reads (an
 * http(s) URL fetched every pass, a Blob or File, a Response, a ReadableStream). Parsing, column types and
 * labels are csv-core.ts's, with csv-parse's Node build.
 *
 *   const rows = csvDataset('weather.csv');                           // { date: '2012-01-01', wind: 4.7, ... }
 *   const train = csvDataset('houses.csv.gz', { label: 'price' });    // { x: Tensor [features], y: Tensor [] }
 *   const remote = csvDataset('https://example.com/data.csv');
 */
import { createReadStream, openSync, readSync, closeSync, statSync } from 'node:fs';
import { basename } from 'node:path';
import { pipeline } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { createGunzip } from 'node:zlib';
import { parse } from 'csv-parse';
import { ValueError, describe } from '../util/errors.js';
import type { CsvInput, CsvOptions, CsvParserFactory } from './csv-core.js';
import { checkCsvOptions, csvRows } from './csv-core.js';
import type { CsvSource } from './csv-web.js';
import { urlInput, webInput } from './csv-web.js';
import type { Dataset } from './dataset.js';
import type { LabeledRow, TableRow } from './table.js';

export type { CsvOptions } from './csv-core.js';

const nodeParser: CsvParserFactory = (options) => parse(options);

/**
 * The rows of a CSV or TSV as a Dataset: records of their columns, or `{ x, y }` tensors with `label`.
 * `source` is a file path, a file: URL, an http(s): URL (a string or a URL, fetched every pass), a Blob
 * or File (read every pass), or a Response or ReadableStream of bytes (read once: `.cache()` it for epochs).
 */
export function csvDataset(source: CsvSource, options: CsvOptions & { label: string | readonly string[] }): Dataset<LabeledRow>;
export function csvDataset(source: CsvSource, options?: CsvOptions): Dataset<TableRow>;
export function csvDataset(source: CsvSource, options: CsvOptions = {}): Dataset<TableRow | LabeledRow> {
  const where = 'csvDataset';
  checkCsvOptions(where, options);
  let input: CsvInput | null;
  if (typeof source === 'string' && /^https?:\/\//i.test(source)) input = urlInput(where, new URL(source));
  else if (typeof source === 'string' && /^file:/i.test(source)) input = fileInput(where, fileURLToPath(source));
  else if (typeof source === 'string' && source !== '') input = fileInput(where, source);
  else if (source instanceof URL && source.protocol === 'file:') input = fileInput(where, fileURLToPath(source));
  else input = webInput(where, source);
  if (input === null) {
    throw new ValueError(
      `${where}: argument 'source' expected a file path, a file: or http(s): URL, a Blob or File, a Response or a ReadableStream of bytes, received ${describe(source)}`,
    );
  }
  return csvRows(where, input, nodeParser, options);
}

function fileInput(where: string, path: string): CsvInput {
  const stat = statSync(path, { throwIfNoEntry: false });
  if (!stat?.isFile()) throw new ValueError(`${where}: ${path} ${stat ? 'is not a file' : 'does not exist'}`);
  return {
    name: basename(path),
    path,
    open() {
      const file = createReadStream(path);
      // pipeline destroys the file when the gunzip stream is closed early or fails.
      const bytes = isGzip(path) ? pipeline(file, createGunzip(), () => undefined) : file;
      return bytes[Symbol.asyncIterator]();
    },
  };
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
