/**
 * Which code a worker may run. Anyone who can write to the queue can post a task, so a worker imports a
 * task's modules only from the folders it was started with (--allow): the module's real path (symbolic
 * links followed, '..' resolved) must lie inside the real path of one of them. The folder's modules may
 * import whatever they like: allow only folders of code you trust.
 *
 * A module travels as its path relative to the caller's working directory (when it lies inside it) and as
 * its absolute URL: a worker started in the same project folder on another machine finds it by the first,
 * a worker on the same file system by the second.
 */
import { realpathSync, statSync } from 'node:fs';
import { isAbsolute, relative, resolve, sep } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { ValueError } from '../util/errors.js';
import type { ModuleExport } from './module-export.js';

/** A module export as a task carries it. */
export interface SentExport {
  /** The URL the caller gave. */
  url: string;
  /** Its path relative to the caller's working directory, with '/' separators; null outside it or for other URLs. */
  relative: string | null;
  name: string;
}

export function sendExport(ref: ModuleExport, cwd = process.cwd()): SentExport {
  let rel: string | null = null;
  if (ref.module.startsWith('file:')) {
    const path = fileURLToPath(ref.module);
    const r = relative(cwd, path);
    if (r !== '' && !r.startsWith('..') && !isAbsolute(r)) rel = r.split(sep).join('/');
  }
  return { url: ref.module, relative: rel, name: ref.name };
}

/** Real paths of the allowed folders; each must exist and be a folder. */
export function allowedFolders(where: string, folders: readonly string[], cwd = process.cwd()): string[] {
  if (!Array.isArray(folders) || folders.length === 0) {
    throw new ValueError(`${where}: option 'allow' expected at least one folder whose modules tasks may import (--allow ./models), received none`);
  }
  return folders.map((folder) => {
    const path = resolve(cwd, folder);
    let real: string;
    try {
      real = realpathSync(path);
    } catch {
      throw new ValueError(`${where}: allowed folder '${folder}' does not exist (resolved to ${path})`);
    }
    if (!statSync(real).isDirectory()) throw new ValueError(`${where}: allowed folder '${folder}' is not a folder (${real})`);
    return real;
  });
}

/**
 * The file URL to import for a sent export, or an error that says why the worker will not import it.
 * Returns the real path's URL, so what is imported is what was checked.
 */
export function resolveAllowed(sent: SentExport, allowed: readonly string[], cwd = process.cwd()): { url: string } | { refused: string } {
  const candidates: string[] = [];
  if (sent.relative !== null) candidates.push(resolve(cwd, sent.relative));
  if (sent.url.startsWith('file:')) candidates.push(fileURLToPath(sent.url));
  if (candidates.length === 0) return { refused: `module ${sent.url} is not a file, and a worker imports only files under its allowed folders (${allowed.join(', ')})` };
  for (const path of candidates) {
    let real: string;
    try {
      real = realpathSync(path);
    } catch {
      continue;
    }
    if (allowed.some((root) => real === root || real.startsWith(root.endsWith(sep) ? root : root + sep))) return { url: pathToFileURL(real).href };
    return { refused: `module ${sent.relative ?? sent.url} (${real}) is outside the folders this worker may import from (${allowed.join(', ')}): start the worker with --allow for its folder` };
  }
  return {
    refused: `module ${sent.relative ?? sent.url} was not found on this worker (looked for ${candidates.join(' and ')}): start the worker in the project's folder, with the same files as the caller`,
  };
}
