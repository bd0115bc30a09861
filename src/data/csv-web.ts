/**
 * csvDataset in a browser, and the web sources it reads in Node too: a URL (fetched again every pass, so
 * epochs and repeat() work), a Blob or File (its stream() every pass), a Response or a ReadableStream of
 * bytes (readable once). gzip is recognised by its first bytes, whatever the name, and inflated by the
 * platform's DecompressionStream. The parser is csv-parse's browser build, loaded on the first pass.
 *
 *   const rows = csvDataset(input.files[0]);                       // an <input type="file">
 *   const train = csvDataset('data/houses.csv.gz', { label: 'price' });   // fetched from the page's server
 */
import { ValueError, describe } from '../util/errors.js';
import type { CsvInput, CsvOptions, CsvParserFactory } from './csv-core.js';
import { csvRows } from './csv-core.js';
import type { Dataset } from './dataset.js';
import type { LabeledRow, TableRow } from './table.js';

/** What csvDataset reads: a URL (in a browser a string is resolved against the page; in Node it may be a path), a Blob or File, a Response, a stream of bytes. */
export type CsvSource = string | URL | Blob | Response | ReadableStream<Uint8Array>;

const browserParser: CsvParserFactory = async (options) => {
  const { parse } = await import('csv-parse/browser/esm');
  const parser = parse(options);
  // Its stream polyfill predates destroy(), which the parser itself calls at the end of an empty text.
  if (typeof parser.destroy !== 'function') Object.defineProperty(parser, 'destroy', { value: () => parser, writable: true });
  return parser;
};

/**
 * The rows of a CSV or TSV as a Dataset: records of their columns, or `{ x, y }` tensors with `label`.
 * `source` is a URL (a string is resolved against the page; fetched every pass), a Blob or File (read
 * every pass), or a Response or ReadableStream of bytes (read once: `.cache()` it for epochs).
 */
export function csvDataset(source: CsvSource, options: CsvOptions & { label: string | readonly string[] }): Dataset<LabeledRow>;
export function csvDataset(source: CsvSource, options?: CsvOptions): Dataset<TableRow>;
export function csvDataset(source: CsvSource, options: CsvOptions = {}): Dataset<TableRow | LabeledRow> {
  const where = 'csvDataset';
  const input = typeof source === 'string' ? urlInput(where, pageUrl(where, source)) : webInput(where, source);
  if (input === null) {
    throw new ValueError(`${where}: argument 'source' expected a URL, a Blob or File, a Response or a ReadableStream of bytes, received ${describe(source)}`);
  }
  return csvRows(where, input, browserParser, options);
}

/** A string resolved as a link on the page would be (a worker's location, where there is no page). */
function pageUrl(where: string, text: string): URL {
  const base = (globalThis as { location?: { href: string } }).location?.href;
  try {
    return new URL(text, base);
  } catch {
    throw new ValueError(`${where}: argument 'source' expected a URL, received ${describe(text)}${base === undefined ? ' (there is no page to resolve it against)' : ''}`);
  }
}

/** A URL, Blob, File, Response or ReadableStream as an input; null for anything else. */
export function webInput(where: string, source: unknown): CsvInput | null {
  if (source instanceof URL) return urlInput(where, source);
  if (typeof Blob !== 'undefined' && source instanceof Blob) {
    const name = typeof File !== 'undefined' && source instanceof File ? source.name : '';
    return { name: name || 'the Blob', path: name, open: () => streamBytes(where, name || 'the Blob', source.stream()) };
  }
  if (typeof Response !== 'undefined' && source instanceof Response) {
    const name = source.url || 'the Response';
    if (source.bodyUsed) throw new ValueError(`${where}: the body of ${name} has already been read; pass the URL instead (it is fetched again every pass)`);
    return onceInput(where, name, pathOf(source.url), 'a Response', () => {
      if (source.body === null) return emptyBytes();
      return streamBytes(where, name, source.body);
    });
  }
  if (typeof ReadableStream !== 'undefined' && source instanceof ReadableStream) {
    if (source.locked) throw new ValueError(`${where}: the ReadableStream is locked (something else is reading it)`);
    return onceInput(where, 'the stream', '', 'a ReadableStream', () => streamBytes(where, 'the stream', source as ReadableStream<Uint8Array>));
  }
  return null;
}

export function urlInput(where: string, url: URL): CsvInput {
  const href = url.href;
  return { name: href, path: url.pathname, open: () => fetched(where, href) };
}

function pathOf(url: string): string {
  try {
    return new URL(url).pathname;
  } catch {
    return '';
  }
}

/** A source that can be read once: the second pass says what to do instead of reading nothing. */
function onceInput(where: string, name: string, path: string, what: string, open: () => AsyncIterator<Uint8Array, undefined>): CsvInput {
  let opened = false;
  return {
    name,
    path,
    open() {
      if (opened) {
        return (async function* (): AsyncGenerator<Uint8Array, undefined> {
          throw new ValueError(
            `${where}: ${what} can be read only once, and this is a second pass over ${name}: pass a URL (fetched again every pass) or a Blob, ` +
              `or call .cache() on the Dataset to keep its rows`,
          );
        })();
      }
      opened = true;
      return open();
    },
  };
}

async function* emptyBytes(): AsyncGenerator<Uint8Array, undefined> {}

async function* fetched(where: string, url: string): AsyncGenerator<Uint8Array, undefined> {
  let response: Response;
  try {
    response = await fetch(url);
  } catch (e) {
    const cause = e instanceof Error && e.cause instanceof Error ? ` (${e.cause.message})` : '';
    throw new ValueError(`${where}: fetching ${url} failed: ${e instanceof Error ? e.message : String(e)}${cause}`);
  }
  if (!response.ok) {
    await response.body?.cancel();
    throw new ValueError(`${where}: fetching ${url} failed with HTTP status ${response.status}${response.statusText ? ` ${response.statusText}` : ''}`);
  }
  if (response.body !== null) yield* streamBytes(where, url, response.body);
}

/** The bytes of a web stream, inflated when they start with gzip's magic bytes (1f 8b). */
async function* streamBytes(where: string, name: string, stream: ReadableStream<Uint8Array>): AsyncGenerator<Uint8Array, undefined> {
  const reader = stream.getReader();
  let chunks: ReadableStreamDefaultReader<Uint8Array> = reader;
  // Errors of the source itself pass unchanged; any other error while inflating is the gzip data's.
  let sourceError: unknown = undefined;
  try {
    const head: Uint8Array[] = [];
    let length = 0, done = false;
    while (length < 2 && !done) {
      const r = await reader.read();
      if (r.done) done = true;
      else if (r.value.length > 0) (head.push(r.value), (length += r.value.length));
    }
    const first = head[0], second = head[0]?.length === 1 ? head[1]?.[0] : head[0]?.[1];
    if (first?.[0] !== 0x1f || second !== 0x8b) {
      yield* head;
      if (done) return undefined;
    } else {
      const compressed = new ReadableStream<Uint8Array>({
        start(controller) {
          for (const h of head) controller.enqueue(h);
          if (done) controller.close();
        },
        async pull(controller) {
          try {
            const r = await reader.read();
            if (r.done) controller.close();
            else controller.enqueue(r.value);
          } catch (e) {
            sourceError = e;
            controller.error(e);
          }
        },
        cancel: (reason) => reader.cancel(reason),
      });
      chunks = compressed.pipeThrough(new DecompressionStream('gzip')).getReader();
    }
    for (;;) {
      const r = await chunks.read();
      if (r.done) return undefined;
      yield r.value;
    }
  } catch (e) {
    if (chunks === reader || e === sourceError) throw e;
    throw new ValueError(`${where}: ${name} is not a whole gzip file (${e instanceof Error ? e.message : String(e)}): it is truncated or damaged`);
  } finally {
    await chunks.cancel().catch(() => undefined);
  }
}
