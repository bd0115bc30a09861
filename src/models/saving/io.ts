/**
 * Where models go and come from: a path (a folder or a model.json, Node only) or an IO handler with
 * `save` / `load` (TensorFlow.js's handlers fit: `tf.io.fromMemory`, `tf.io.browserDownloads`...).
 * Paths are opened by files.ts, which the Node entry (src/index.ts) provides, so browsers carry none of it.
 */
import { ValueError, describe } from '../../util/errors.js';
import type { FileOptions } from './files.js';
import type { IOHandler, ModelArtifacts } from './format.js';

/** A folder path, a model.json path, or an IO handler. */
export type ModelLocation = string | IOHandler;

/** Opens a path as an IO handler; `where` names the caller in errors. */
export type PathOpener = (path: string, options: FileOptions, where: string) => IOHandler;

let openPath: PathOpener | null = null;

/** How paths are saved to and loaded from (src/index.ts gives Node's files; without it only IO handlers work). */
export function openPathsWith(opener: PathOpener | null): void {
  openPath = opener;
}

function handlerFor(location: ModelLocation, where: string, options: FileOptions = {}): IOHandler {
  if (typeof location === 'string' && location !== '') {
    if (!openPath) throw new ValueError(`${where}: file paths work in Node (20.16 or newer); elsewhere pass an IO handler such as TensorFlow.js's tf.io.browserDownloads()`);
    return openPath(location, options, where);
  }
  if (typeof location === 'object' && location !== null && (typeof location.save === 'function' || typeof location.load === 'function')) return location;
  throw new ValueError(`${where}: expected a path or an IO handler (an object with save or load), received ${describe(location)}`);
}

export async function saveArtifacts(location: ModelLocation, artifacts: ModelArtifacts, where: string, options: FileOptions = {}): Promise<void> {
  const handler = handlerFor(location, where, options);
  if (typeof handler.save !== 'function') throw new ValueError(`${where}: the IO handler has no save method`);
  await handler.save(artifacts);
}

export async function loadArtifacts(location: ModelLocation, where: string): Promise<ModelArtifacts> {
  const handler = handlerFor(location, where);
  if (typeof handler.load !== 'function') throw new ValueError(`${where}: the IO handler has no load method`);
  return handler.load();
}
