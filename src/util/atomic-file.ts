/**
 * Crash-safe file replacement: the new content goes to a temporary file in the same folder, is flushed
 * to the disk (fsync), and is renamed over the old file, which POSIX makes atomic. A process killed at any
 * moment leaves either the old file or the new one, never a mix; the folder is flushed too, so the
 * rename itself survives a power cut.
 */
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
