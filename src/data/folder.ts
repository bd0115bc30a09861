/**
 * A folder of files, one subfolder per class (Keras's `image_dataset_from_directory` and
 * `text_dataset_from_directory`): classes are the subfolders' names in alphanumeric order (or the
 * `classNames` given), files are taken from every level under a class folder in sorted order, and a
 * validation split is cut from one seeded permutation of all of them, so the training and validation
 * subsets of two calls with the same seed never overlap.
 */
import { Rng, getSeed } from '../util/random.js';
import { ValueError, describe } from '../util/errors.js';
import type { OnError } from './options.js';
import { checkOptions, oneOf, positiveInteger, warnSkipped } from './options.js';

/** A file of the folder: its path below the folder (`cats/a.png`, with '/' separators) and how to read it. */
export interface FolderFile<R> {
  readonly path: string;
  readonly read: R;
}

export type LabelMode = 'int' | 'categorical' | 'binary';

export interface FolderOptions {
  /** Which classes, in which order (default: every subfolder, in alphanumeric order); they must be subfolders. */
  classNames?: readonly string[];
  /** 'int' (default): an int32 class index; 'categorical': a float32 one-hot vector; 'binary': a float32 0 or 1 (two classes). */
  labelMode?: LabelMode;
  /** Samples per batch (default 32); null yields single samples. */
  batchSize?: number | null;
  /** A new order every epoch (default true). */
  shuffle?: boolean;
  /** The seed of the split and the shuffles (default: the one given to setSeed). */
  seed?: number;
  /** The fraction of the files set apart for validation (with `subset`). */
  validationSplit?: number;
  /** Which part: 'training', 'validation', or 'both' (a pair). */
  subset?: 'training' | 'validation' | 'both';
  /** An unreadable file or an empty class folder: 'throw' (default) stops with an error naming it; 'skip' leaves it out with a warning. */
  onError?: OnError;
}

export const FOLDER_OPTIONS = ['classNames', 'labelMode', 'batchSize', 'shuffle', 'seed', 'validationSplit', 'subset', 'onError'];

export interface FolderIndex<R> {
  classNames: string[];
  /** The files of each requested part with their class indices. */
  parts: { files: FolderFile<R>[]; labels: number[] }[];
  /** The seed of the split, for the shuffles. */
  seed: number;
}

export interface CheckedFolderOptions {
  labelMode: LabelMode;
  batchSize: number | null;
  shuffle: boolean;
  onError: OnError;
}

/** Checks the common options; returns them with their defaults. */
export function checkFolderOptions(where: string, options: FolderOptions, known: readonly string[]): CheckedFolderOptions {
  checkOptions(where, options, known);
  const labelMode = options.labelMode === undefined ? 'int' : oneOf(where, 'labelMode', options.labelMode, ['int', 'categorical', 'binary'] as const);
  const batchSize = options.batchSize === undefined ? 32 : options.batchSize === null ? null : positiveInteger(where, 'batchSize', options.batchSize);
  if (options.shuffle !== undefined && typeof options.shuffle !== 'boolean') throw new ValueError(`${where}: option 'shuffle' expected a boolean, received ${describe(options.shuffle)}`);
  const onError = options.onError === undefined ? 'throw' : oneOf(where, 'onError', options.onError, ['throw', 'skip'] as const);
  return { labelMode, batchSize, shuffle: options.shuffle ?? true, onError };
}

/**
 * Sorts the files into classes and cuts the requested parts. `files` are every file below the folder;
 * `accept` says which are data (by extension), `folders` every subfolder of the top level (so an empty
 * class folder is seen).
 */
export function indexFolder<R>(where: string, root: string, files: readonly FolderFile<R>[], folders: readonly string[], accept: (path: string) => boolean, kind: string, options: FolderOptions): FolderIndex<R> {
  const byClass = new Map<string, FolderFile<R>[]>();
  const others = new Map<string, string[]>();
  for (const name of folders) byClass.set(name, []);
  for (const f of files) {
    const slash = f.path.indexOf('/');
    if (slash < 0) continue; // files at the top level belong to no class
    const cls = f.path.slice(0, slash);
    if (!byClass.has(cls)) byClass.set(cls, []);
    if (accept(f.path)) byClass.get(cls)!.push(f);
    else others.set(cls, [...(others.get(cls) ?? []), f.path]);
  }
  const found = [...byClass.keys()].sort(compareNames);
  let classNames = found;
  if (options.classNames !== undefined) {
    if (!Array.isArray(options.classNames) || options.classNames.some((c) => typeof c !== 'string')) {
      throw new ValueError(`${where}: option 'classNames' expected an array of subfolder names, received ${describe(options.classNames)}`);
    }
    const missing = options.classNames.filter((c) => !byClass.has(c));
    if (missing.length > 0) throw new ValueError(`${where}: option 'classNames' names ${missing.map((c) => JSON.stringify(c)).join(', ')}, which ${root} does not hold as subfolders (it holds ${found.map((c) => JSON.stringify(c)).join(', ') || 'none'})`);
    classNames = [...options.classNames];
  }
  if (classNames.length === 0) throw new ValueError(`${where}: ${root} holds no subfolders: put the files of each class in a subfolder named after it`);
  if (options.labelMode === 'binary' && classNames.length !== 2) {
    throw new ValueError(`${where}: labelMode 'binary' needs exactly 2 classes, but ${root} holds ${classNames.length} (${classNames.join(', ')}); use 'int' or 'categorical'`);
  }
  const all: FolderFile<R>[] = [];
  const labels: number[] = [];
  classNames.forEach((cls, label) => {
    const list = byClass.get(cls)!.sort((a, b) => compareNames(a.path, b.path));
    if (list.length === 0) {
      const other = others.get(cls) ?? [];
      const what = `class folder ${JSON.stringify(cls)} of ${root} holds no ${kind} files${other.length > 0 ? ` (it holds ${other.length} other files, e.g. ${other[0]})` : ''}`;
      if (options.onError === 'skip') warnSkipped(where, `${what}; the class keeps its label ${label}`);
      else throw new ValueError(`${where}: ${what}: remove the folder, or pass onError: 'skip' to keep the class without samples`);
    }
    for (const f of list) {
      all.push(f);
      labels.push(label);
    }
  });
  if (all.length === 0) throw new ValueError(`${where}: ${root} holds no ${kind} files in its class folders`);

  const split = options.validationSplit;
  const subset = options.subset;
  let seed = options.seed;
  if (seed !== undefined && (typeof seed !== 'number' || !Number.isFinite(seed))) throw new ValueError(`${where}: option 'seed' expected a finite number, received ${describe(seed)}`);
  if (split !== undefined || subset !== undefined) {
    if (typeof split !== 'number' || !(split > 0 && split < 1)) throw new ValueError(`${where}: option 'validationSplit' expected a number between 0 and 1 (with 'subset'), received ${describe(split)}`);
    oneOf(where, 'subset', subset, ['training', 'validation', 'both'] as const);
    // Two calls (training, then validation) must cut the same permutation, or the parts would overlap.
    seed ??= getSeed() ?? undefined;
    if (seed === undefined && subset !== 'both') {
      throw new ValueError(`${where}: a validation split taken by two calls needs the same seed in both: pass the option 'seed' (or call setSeed first), or use subset: 'both'`);
    }
  }
  seed ??= getSeed() ?? Math.floor(Math.random() * 2 ** 32);
  const order = new Rng(seed).permutation(all.length);
  const shuffledFiles = Array.from(order, (i) => all[i]!);
  const shuffledLabels = Array.from(order, (i) => labels[i]!);
  const cut = (from: number, to: number) => ({ files: shuffledFiles.slice(from, to), labels: shuffledLabels.slice(from, to) });
  if (split === undefined) return { classNames, parts: [{ files: all, labels }], seed };
  const validation = Math.floor(split * all.length);
  const training = all.length - validation;
  if (validation === 0 || training === 0) {
    throw new ValueError(`${where}: validationSplit ${split} of ${all.length} files leaves ${validation === 0 ? 'no validation' : 'no training'} files`);
  }
  const parts = subset === 'training' ? [cut(0, training)] : subset === 'validation' ? [cut(training, all.length)] : [cut(0, training), cut(training, all.length)];
  return { classNames, parts, seed };
}

/** Alphanumeric order, as Python's sorted() gives for the names Keras lists. */
function compareNames(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
