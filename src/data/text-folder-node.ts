/** Node only: textDatasetFromDirectory over a directory on disk. See text-folder.ts for the samples and the options. */
import { readFile } from 'node:fs/promises';
import { ValueError, describe } from '../util/errors.js';
import type { Dataset } from './dataset.js';
import { listFolder } from './folder-node.js';
import type { LabeledText, LabeledTexts, TextFolderOptions } from './text-folder.js';
import { textFolderDatasets } from './text-folder.js';

type Part<O> = O extends { batchSize: null } ? Dataset<LabeledText> : Dataset<LabeledTexts>;

/**
 * The .txt files of a folder with one subfolder per class, as `{ x: text, y: label }`; batched by 32
 * unless `batchSize` says otherwise (null: single samples), with x an array of strings per batch.
 */
export function textDatasetFromDirectory<O extends TextFolderOptions & { subset: 'both' }>(directory: string, options: O): [Part<O>, Part<O>];
export function textDatasetFromDirectory<O extends TextFolderOptions>(directory: string, options?: O): Part<O>;
export function textDatasetFromDirectory(directory: string, options: TextFolderOptions = {}): Dataset<LabeledText | LabeledTexts> | Dataset<LabeledText | LabeledTexts>[] {
  const where = 'textDatasetFromDirectory';
  if (typeof directory !== 'string') throw new ValueError(`${where}: argument 'directory' expected a directory path, received ${describe(directory)}`);
  const folder = listFolder(where, directory);
  const parts = textFolderDatasets(where, directory, folder.files, folder.folders, (path: string) => readFile(path), options);
  return options.subset === 'both' ? [parts[0]!, parts[1]!] : parts[0]!;
}
