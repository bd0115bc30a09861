/**
 * The Node modules that writing files needs (saving, logs), fetched when a path is used rather than imported, so the
 * modules a browser bundle takes for training never name `node:fs`. In a browser, paths are refused
 * with the alternative: an IO handler.
 */
import type * as Fs from 'node:fs';
import type * as Os from 'node:os';
import type * as Path from 'node:path';
import { ValueError } from './errors.js';

export interface NodeHost {
  fs: typeof Fs;
  path: typeof Path;
  os: typeof Os;
  pid: number;
}

/** Node's modules; elsewhere an error naming `where` and what to do instead (`elsewhere`). */
export function nodeHost(where: string, elsewhere = "pass an IO handler such as TensorFlow.js's tf.io.browserDownloads()"): NodeHost {
  const host = (globalThis as { process?: { getBuiltinModule?: (id: string) => unknown; pid?: number } }).process;
  if (typeof host?.getBuiltinModule !== 'function') {
    throw new ValueError(`${where}: file paths work in Node (20.16 or newer); elsewhere ${elsewhere}`);
  }
  const get = host.getBuiltinModule.bind(host);
  return { fs: get('node:fs') as typeof Fs, path: get('node:path') as typeof Path, os: get('node:os') as typeof Os, pid: host.pid ?? 0 };
}
