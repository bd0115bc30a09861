/**
 * The cache stages. The first complete pass reads the upstream and keeps every sample, in memory or in a
 * file; later passes, and with a file later processes, read the kept samples instead. The upstream is
 * always read as epoch 0, whichever epoch fills the cache, so a resumed run sees the same cached data as
 * the run it continues (shuffle after cache for a new order every epoch).
 *
 * A cache file is written to a temporary name, flushed and renamed when the pass completes, so a file
 * under the cache's name is always whole; an abandoned pass leaves nothing behind.
 */
import { LayerwiseError, ValueError, describe } from '../util/errors.js';
import type { PlainSample } from './sample.js';
import { fromPlain, toPlain } from './sample.js';
import type { Run, Source } from './source.js';
import { chunksOf } from './source.js';

const CHUNK = 64;

function fillRun(run: Run): Run {
  return { key: [], seeds: run.seeds };
}

export function memoryCacheSource<T>(up: Source<T>): Source<T> {
  let kept: T[] | null = null;
  return {
    size: up.size,
    seeded: up.seeded,
    async *open(run, skip) {
      if (kept === null) {
        const filling: T[] = [];
        for await (const chunk of chunksOf(up.open(fillRun(run), 0))) {
          for (const s of chunk) filling.push(s);
          const from = Math.max(0, skip - (filling.length - chunk.length));
          if (from < chunk.length) yield from > 0 ? chunk.slice(from) : chunk;
        }
        kept ??= filling;
        return undefined;
      }
      const all = kept;
      for (let start = skip; start < all.length; start += CHUNK) yield all.slice(start, start + CHUNK);
      return undefined;
    },
  };
}

/** Node's modules, fetched when a file cache is used, so that the browser bundle imports nothing from Node. */
function node(where: string) {
  if (typeof process !== 'object' || typeof process.getBuiltinModule !== 'function') {
    throw new ValueError(`${where}: a file cache needs Node (>= 20.16); in a browser use cache() in memory`);
  }
  return {
    fs: process.getBuiltinModule('node:fs'),
    path: process.getBuiltinModule('node:path'),
    v8: process.getBuiltinModule('node:v8'),
  };
}

const MAGIC = 'layerwise dataset cache 1\n';
const END = 0xffffffff;

/** The header line: the format, and the serializer's version (another Node may not read the records). */
function header(v8: ReturnType<typeof node>['v8']): Buffer {
  return Buffer.from(`${MAGIC}${JSON.stringify({ v8: v8.cachedDataVersionTag() })}\n`);
}

export function fileCacheSource<T>(up: Source<T>, file: string, where: string): Source<T> {
  if (typeof file !== 'string' || file === '') throw new ValueError(`${where}: option 'file' expected a file path, received ${describe(file)}`);
  const { fs, v8 } = node(where);
  return {
    size: up.size,
    seeded: up.seeded,
    open(run, skip) {
      if (fs.existsSync(file)) {
        const expected = header(v8);
        const start = Buffer.alloc(expected.length);
        const fd = fs.openSync(file, 'r');
        try {
          fs.readSync(fd, start, 0, start.length, 0);
        } finally {
          fs.closeSync(fd);
        }
        if (start.equals(expected)) return readCache<T>(file, expected.length, skip, where);
        if (!start.subarray(0, MAGIC.length).equals(Buffer.from(MAGIC))) {
          throw new LayerwiseError(`${where}: ${file} is not a dataset cache file: remove it or choose another cache file`);
        }
        console.warn(`layerwise: ${where}: ${file} was written by another version of Node; it is written again`);
      }
      return writeCache(up.open(fillRun(run), 0), file, skip, where);
    },
  };
}

async function* writeCache<T>(chunks: AsyncIterator<T[], undefined>, file: string, skip: number, where: string): AsyncGenerator<T[], undefined> {
  const { fs, path, v8 } = node(where);
  const temp = path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`);
  const fd = fs.openSync(temp, 'w');
  let complete = false;
  try {
    fs.writeSync(fd, header(v8));
    let seen = 0;
    for await (const chunk of chunksOf(chunks)) {
      const parts: Buffer[] = [];
      for (const s of chunk) {
        const body = v8.serialize(toPlain(where, s));
        const length = Buffer.alloc(4);
        length.writeUInt32LE(body.length);
        parts.push(length, body);
      }
      fs.writeSync(fd, Buffer.concat(parts));
      seen += chunk.length;
      const from = Math.max(0, skip - (seen - chunk.length));
      if (from < chunk.length) yield from > 0 ? chunk.slice(from) : chunk;
    }
    const end = Buffer.alloc(4);
    end.writeUInt32LE(END);
    fs.writeSync(fd, end);
    fs.fsyncSync(fd);
    complete = true;
  } finally {
    fs.closeSync(fd);
    if (complete) fs.renameSync(temp, file);
    else fs.rmSync(temp, { force: true });
  }
  return undefined;
}

async function* readCache<T>(file: string, offset: number, skip: number, where: string): AsyncGenerator<T[], undefined> {
  const { fs, v8 } = node(where);
  const handle = await fs.promises.open(file, 'r');
  const damaged = (what: string) => new LayerwiseError(`${where}: cache file ${file} is damaged (${what}): remove it and the next pass writes it again`);
  try {
    let buffer = Buffer.alloc(0);
    let position = offset;
    let index = 0;
    let ended = false;
    const block = Buffer.alloc(1 << 20);
    for (;;) {
      const { bytesRead } = await handle.read(block, 0, block.length, position);
      position += bytesRead;
      buffer = buffer.length === 0 ? Buffer.from(block.subarray(0, bytesRead)) : Buffer.concat([buffer, block.subarray(0, bytesRead)]);
      const out: T[] = [];
      let at = 0;
      while (buffer.length - at >= 4) {
        const length = buffer.readUInt32LE(at);
        if (length === END) {
          ended = true;
          at += 4;
          break;
        }
        if (buffer.length - at - 4 < length) break;
        if (index >= skip) {
          let plain: PlainSample;
          try {
            plain = v8.deserialize(buffer.subarray(at + 4, at + 4 + length)) as PlainSample;
          } catch (e) {
            throw damaged(`sample ${index} cannot be read: ${e instanceof Error ? e.message : String(e)}`);
          }
          out.push(fromPlain(plain) as T);
        }
        index++;
        at += 4 + length;
      }
      buffer = buffer.subarray(at);
      if (out.length > 0) yield out;
      if (ended) {
        if (position - buffer.length !== (await handle.stat()).size) throw damaged('it has bytes after its end mark');
        return undefined;
      }
      if (bytesRead === 0) throw damaged(`it ends after ${index} samples without its end mark: it was cut short`);
    }
  } finally {
    await handle.close();
  }
}
