/**
 * Crash-safe file replacement: the new content goes to a temporary file in the same folder, is flushed
 * to the disk (fsync), and is renamed over the old file, which POSIX makes atomic. A process killed at any
 * moment leaves either the old file or the new one, never a mix; the folder is flushed too, so the
 * rename itself survives a power cut.
 */
import { ValueError } from './errors.js';
import type { NodeHost } from './node-host.js';

/** Temporary files are named `<name>.<pid>.tmp`; a kill can leave one behind, and the next write of that folder may remove it. */
export const TEMPORARY_SUFFIX = /\.\d+\.tmp$/;

export function writeFileAtomic(host: NodeHost, file: string, data: Uint8Array | string): void {
  const { fs } = host;
  const temporary = `${file}.${host.pid}.tmp`;
  const fd = fs.openSync(temporary, 'w');
  try {
    const bytes = typeof data === 'string' ? new TextEncoder().encode(data) : data;
    let written = 0;
    while (written < bytes.byteLength) written += fs.writeSync(fd, bytes, written, bytes.byteLength - written);
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
  fs.renameSync(temporary, file);
}

/** Flushes a folder's entries (the renames in it); where the platform cannot, the renames are still atomic. */
export function syncFolder(host: NodeHost, folder: string): void {
  let fd: number | null = null;
  try {
    fd = host.fs.openSync(folder, 'r');
    host.fs.fsyncSync(fd);
  } catch {
    // Windows cannot open a folder for fsync.
  } finally {
    if (fd !== null) host.fs.closeSync(fd);
  }
}

function code(error: unknown): string | undefined {
  return (error as { code?: string }).code;
}

/**
 * Creates `folder` and its missing parents, one level at a time. Node's own `mkdir -p` loops forever
 * where the system answers ENOENT to every attempt (under /proc); here each level is tried once, and a
 * failure, or a file standing where a folder should be, is a ValueError naming `where` and the path.
 */
export function makeFolder(host: NodeHost, folder: string, where: string): void {
  const { fs, path } = host;
  const missing: string[] = [];
  for (let at = path.resolve(folder); ; ) {
    let isFolder: boolean;
    try {
      isFolder = fs.statSync(at).isDirectory();
    } catch (error) {
      if (code(error) !== 'ENOENT' && code(error) !== 'ENOTDIR') throw new ValueError(`${where}: cannot create the folder ${folder}: ${(error as Error).message}`);
      missing.push(at);
      const parent = path.dirname(at);
      if (parent === at) break;
      at = parent;
      continue;
    }
    if (!isFolder) {
      throw new ValueError(
        at === path.resolve(folder)
          ? `${where}: ${folder} is a file, not a folder: a model is saved as a folder (model.json and its weights); give a folder's path, or a path ending in .json to name model.json itself`
          : `${where}: cannot create the folder ${folder}: ${at} is a file`,
      );
    }
    break;
  }
  for (const dir of missing.reverse()) {
    try {
      fs.mkdirSync(dir);
    } catch (error) {
      if (code(error) === 'EEXIST' && fs.statSync(dir).isDirectory()) continue;
      throw new ValueError(`${where}: cannot create the folder ${dir} (${(error as Error).message})`);
    }
  }
}
