/**
 * The Node modules that file saving needs, fetched when a path is used rather than imported, so the
 * modules a browser bundle takes for training never name `node:fs`. In a browser, paths are refused
 * with the alternative: an IO handler.
 */
import type * as Fs from 'node:fs';
import type * as Path from 'node:path';
import { ValueError } from '../../util/errors.js';

export interface NodeHost {
  fs: typeof Fs;
  path: typeof Path;
  pid: number;
}

export function nodeHost(where: string): NodeHost {
  const host = (globalThis as { process?: { getBuiltinModule?: (id: string) => unknown; pid?: number } }).process;
  if (typeof host?.getBuiltinModule !== 'function') {
    throw new ValueError(`${where}: file paths work in Node (20.16 or newer); elsewhere pass an IO handler such as TensorFlow.js's tf.io.browserDownloads()`);
  }
  return { fs: host.getBuiltinModule('node:fs') as typeof Fs, path: host.getBuiltinModule('node:path') as typeof Path, pid: host.pid ?? 0 };
}
