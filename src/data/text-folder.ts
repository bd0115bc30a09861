/**
 * A folder of text files, one subfolder per class, as a Dataset of `{ x, y }` (after Keras's
 * `text_dataset_from_directory`): x the text of a .txt file (UTF-8), y its label. Batches hold x as an
 * array of strings, which is what `TextVectorizer.adapt` and `transform` take:
 *
 *   const train = textDatasetFromDirectory('aclImdb/train', { batchSize: 32 });
 *   const vectorizer = new TextVectorizer({ maxTokens: 20000, outputMode: 'multiHot' });
 *   const texts: string[] = [];
 *   for await (const batch of train) texts.push(...batch.x);
 *   vectorizer.adapt(texts);
 *   const vectors = train.map((b) => ({ x: vectorizer.transform(b.x), y: b.y }));
 */
import type { Tensor } from '../tensor/tensor.js';
import { ValueError } from '../util/errors.js';
import { Dataset } from './dataset.js';
import type { FolderFile, FolderOptions } from './folder.js';
import { FOLDER_OPTIONS, checkFolderOptions, indexFolder } from './folder.js';
import { labelOf } from './image-folder.js';
import { positiveInteger, warnSkipped } from './options.js';

export interface TextFolderOptions extends FolderOptions {
  /** Keep at most this many characters of each text (default: all). */
  maxLength?: number;
}

/** One labelled text. */
export interface LabeledText {
  x: string;
  y: Tensor;
}

/** A batch of labelled texts. */
export interface LabeledTexts {
  x: string[];
  y: Tensor;
}

const OPTIONS = [...FOLDER_OPTIONS, 'maxLength'];

/** The labelled texts of a listed folder, read by `read`: one Dataset, or a pair for subset 'both'. */
export function textFolderDatasets<R>(where: string, root: string, files: readonly FolderFile<R>[], folders: readonly string[], read: (r: R) => Promise<Uint8Array>, options: TextFolderOptions): Dataset<LabeledText | LabeledTexts>[] {
  const common = checkFolderOptions(where, options, OPTIONS);
  const maxLength = options.maxLength === undefined ? null : positiveInteger(where, 'maxLength', options.maxLength);
  const index = indexFolder(where, root, files, folders, (p) => p.toLowerCase().endsWith('.txt'), 'text (.txt)', options);
  const classes = index.classNames.length;
  const decoder = new TextDecoder('utf-8', { fatal: true });
  return index.parts.map((part, p) => {
    const items = part.files.map((file, i) => ({ file, label: part.labels[i]! }));
    let ds = Dataset.from(items);
    if (common.shuffle) ds = ds.shuffle(Math.max(1, items.length), { seed: (index.seed + p) >>> 0 });
    const texts = ds.map(async ({ file, label }): Promise<LabeledText | null> => {
      let text: string;
      try {
        text = decoder.decode(await read(file.read));
      } catch (e) {
        const message = `${file.path} in ${root} cannot be read as UTF-8 text: ${e instanceof Error ? e.message : String(e)}`;
        if (common.onError === 'skip') {
          warnSkipped(where, message);
          return null;
        }
        throw new ValueError(`${where}: ${message} (pass onError: 'skip' to leave such files out)`);
      }
      return { x: maxLength === null ? text : text.slice(0, maxLength), y: labelOf(label, classes, common.labelMode) };
    }, { parallel: 8 });
    const kept = (common.onError === 'skip' ? texts.filter((s) => s !== null) : texts) as Dataset<LabeledText>;
    return common.batchSize === null ? kept : kept.batch(common.batchSize);
  });
}
