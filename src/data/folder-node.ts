/** Node only: lists a folder of class subfolders for the folder loaders (files below it, symbolic links not followed into). */
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { ValueError } from '../util/errors.js';
import type { FolderFile } from './folder.js';

export function listFolder(where: string, directory: string): { files: FolderFile<string>[]; folders: string[] } {
  const stat = statSync(directory, { throwIfNoEntry: false });
  if (!stat?.isDirectory()) throw new ValueError(`${where}: ${directory} ${stat ? 'is not a directory' : 'does not exist'}`);
  const files: FolderFile<string>[] = [];
  const folders: string[] = [];
  const walk = (dir: string, rel: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      if (entry.name.startsWith('.')) continue;
      const path = rel === '' ? entry.name : `${rel}/${entry.name}`;
      if (entry.isDirectory()) {
        if (rel === '') folders.push(entry.name);
        walk(join(dir, entry.name), path);
      } else if (entry.isFile()) {
        files.push({ path, read: join(dir, entry.name) });
      }
    }
  };
  walk(directory, '');
  return { files, folders };
}
