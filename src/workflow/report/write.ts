/** Writing a report to disk (Node): the folder is created, and the file replaced whole. */
import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';

export function writeReport(path: string, html: string): string {
  const file = resolve(path);
  mkdirSync(dirname(file), { recursive: true });
  // A half-written report would open as a broken page; the rename swaps in the complete one.
  const temporary = `${file}.${process.pid}.tmp`;
  writeFileSync(temporary, html, 'utf8');
  renameSync(temporary, file);
  return file;
}
