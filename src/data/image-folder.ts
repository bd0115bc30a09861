/**
 * A folder of images, one subfolder per class, as a Dataset of `{ x, y }` (after Keras's
 * `image_dataset_from_directory`): x a float32 [height, width, channels] tensor of values 0–255 (rescale
 * in the model), y the label. PNG, JPEG, GIF, BMP and WebP files are read; other files are ignored.
 *
 * Decoding is a function of the platform behind one interface: in Node, sharp (image-folder-node.ts); in
 * a browser, the page's own decoders (createImageBitmap, then an OffscreenCanvas for the pixels), from
 * the files of an `<input type="file" webkitdirectory>`. Both resize the same way (the whole image to the
 * size asked, or its centre at the size's aspect ratio with `cropToAspectRatio`) and compute grayscale
 * from the RGB values with the weights of tf.image.rgb_to_grayscale, so a decoded image without resizing
 * has the same values on both.
 */
import { Tensor } from '../tensor/tensor.js';
import { ValueError, describe } from '../util/errors.js';
import { Dataset } from './dataset.js';
import type { FolderFile, FolderOptions } from './folder.js';
import { FOLDER_OPTIONS, checkFolderOptions, indexFolder } from './folder.js';
import { oneOf, positiveInteger, warnSkipped } from './options.js';
import { scalarOf } from './sample.js';

export type Interpolation = 'bilinear' | 'nearest' | 'bicubic' | 'lanczos3';

export interface ImageFolderOptions extends FolderOptions {
  /** [height, width] every image is resized to (default [256, 256]). */
  imageSize?: readonly [number, number];
  /** 'rgb' (default, 3 channels), 'grayscale' (1) or 'rgba' (4). */
  colorMode?: 'rgb' | 'grayscale' | 'rgba';
  /** How images are resized (default 'bilinear'). */
  interpolation?: Interpolation;
  /** Resize the largest centred crop with the target's aspect ratio, instead of stretching the whole image (default false). */
  cropToAspectRatio?: boolean;
  /**
   * Images decoded at once (default: two batches' worth, 64 without batches). Decoders work off the main
   * thread, and a decode is taken only between two training steps, so a few in flight leave the decoding
   * threads idle while a step runs; two batches let the next batch decode during the step.
   */
  parallel?: number;
}

/** One labelled image. */
export interface LabeledImage {
  x: Tensor;
  y: Tensor;
}

/** What a decoder is asked for. */
export interface ImageSpec {
  height: number;
  width: number;
  /** RGBA (4) when the caller wants alpha, else RGB (3). */
  channels: 3 | 4;
  interpolation: Interpolation;
  cropToAspectRatio: boolean;
}

/** Decodes and resizes one file to height × width pixels of `spec.channels` interleaved bytes. */
export type ImageDecoder<R> = (read: R, spec: ImageSpec) => Promise<Uint8Array | Uint8ClampedArray>;

export const IMAGE_EXTENSIONS = ['.png', '.jpg', '.jpeg', '.gif', '.bmp', '.webp'];
const OPTIONS = [...FOLDER_OPTIONS, 'imageSize', 'colorMode', 'interpolation', 'cropToAspectRatio', 'parallel'];

export function isImagePath(path: string): boolean {
  const lower = path.toLowerCase();
  return IMAGE_EXTENSIONS.some((e) => lower.endsWith(e));
}

/** The labelled images of a listed folder, decoded by `decode`: one Dataset, or a pair for subset 'both'. */
export function imageFolderDatasets<R>(where: string, root: string, files: readonly FolderFile<R>[], folders: readonly string[], decode: ImageDecoder<R>, options: ImageFolderOptions): Dataset<LabeledImage>[] {
  const common = checkFolderOptions(where, options, OPTIONS);
  const size = options.imageSize ?? [256, 256];
  if (!Array.isArray(size) || size.length !== 2) throw new ValueError(`${where}: option 'imageSize' expected [height, width], received ${describe(size)}`);
  const [height, width] = [positiveInteger(where, 'imageSize[0]', size[0]), positiveInteger(where, 'imageSize[1]', size[1])];
  const colorMode = options.colorMode === undefined ? 'rgb' : oneOf(where, 'colorMode', options.colorMode, ['rgb', 'grayscale', 'rgba'] as const);
  const interpolation = options.interpolation === undefined ? 'bilinear' : oneOf(where, 'interpolation', options.interpolation, ['bilinear', 'nearest', 'bicubic', 'lanczos3'] as const);
  if (options.cropToAspectRatio !== undefined && typeof options.cropToAspectRatio !== 'boolean') {
    throw new ValueError(`${where}: option 'cropToAspectRatio' expected a boolean, received ${describe(options.cropToAspectRatio)}`);
  }
  const parallel = options.parallel === undefined ? 2 * (common.batchSize ?? 32) : positiveInteger(where, 'parallel', options.parallel);
  const index = indexFolder(where, root, files, folders, isImagePath, 'image', options);
  const spec: ImageSpec = { height, width, channels: colorMode === 'rgba' ? 4 : 3, interpolation, cropToAspectRatio: options.cropToAspectRatio ?? false };
  const classes = index.classNames.length;
  const channels = colorMode === 'rgba' ? 4 : colorMode === 'grayscale' ? 1 : 3;

  return index.parts.map((part, p) => {
    const items = part.files.map((file, i) => ({ file, label: part.labels[i]! }));
    let ds = Dataset.from(items);
    if (common.shuffle) ds = ds.shuffle(Math.max(1, items.length), { seed: (index.seed + p) >>> 0 });
    const decoded = ds.map(async ({ file, label }): Promise<LabeledImage | null> => {
      let pixels: Uint8Array | Uint8ClampedArray;
      try {
        pixels = await decode(file.read, spec);
      } catch (e) {
        const message = `${file.path} in ${root} cannot be decoded as an image: ${e instanceof Error ? e.message : String(e)}`;
        if (common.onError === 'skip') {
          warnSkipped(where, message);
          return null;
        }
        throw new ValueError(`${where}: ${message} (pass onError: 'skip' to leave such files out)`);
      }
      return { x: new Tensor(toChannels(pixels, spec.channels, channels), [height, width, channels]), y: labelOf(label, classes, common.labelMode) };
    }, { parallel });
    const kept = common.onError === 'skip' ? decoded.filter((s) => s !== null) : decoded;
    const samples = kept as Dataset<LabeledImage>;
    return common.batchSize === null ? samples : (samples.batch(common.batchSize) as Dataset<LabeledImage>);
  });
}

/** Float32 values 0–255 in the channels asked for; grayscale as tf.image.rgb_to_grayscale weighs RGB. */
function toChannels(pixels: Uint8Array | Uint8ClampedArray, from: 3 | 4, to: 1 | 3 | 4): Float32Array {
  const n = pixels.length / from;
  const out = new Float32Array(n * to);
  if (to === from) {
    for (let i = 0; i < out.length; i++) out[i] = pixels[i]!;
  } else if (to === 1) {
    for (let i = 0; i < n; i++) out[i] = 0.2989 * pixels[i * from]! + 0.587 * pixels[i * from + 1]! + 0.114 * pixels[i * from + 2]!;
  } else {
    for (let i = 0; i < n; i++) for (let c = 0; c < to; c++) out[i * to + c] = c < from ? pixels[i * from + c]! : 255;
  }
  return out;
}

export function labelOf(label: number, classes: number, mode: 'int' | 'categorical' | 'binary'): Tensor {
  switch (mode) {
    case 'int':
      return scalarOf(label, 'int32');
    case 'binary':
      return scalarOf(label, 'float32');
    case 'categorical': {
      const row = new Float32Array(classes);
      row[label] = 1;
      return new Tensor(row, [classes]);
    }
    default:
      return mode satisfies never;
  }
}

/** The browser's decoder: createImageBitmap resizes, an OffscreenCanvas gives the RGBA pixels. */
export const browserImageDecoder: ImageDecoder<Blob> = async (blob, spec) => {
  const quality = ({ nearest: 'pixelated', bilinear: 'low', bicubic: 'medium', lanczos3: 'high' } as const)[spec.interpolation];
  const options = { resizeWidth: spec.width, resizeHeight: spec.height, resizeQuality: quality, colorSpaceConversion: 'none', premultiplyAlpha: 'none' } as const;
  const g = browserApi();
  let bitmap: BrowserBitmap;
  if (spec.cropToAspectRatio) {
    const whole = await g.createImageBitmap(blob, { colorSpaceConversion: 'none', premultiplyAlpha: 'none' });
    const [sx, sy, sw, sh] = centredCrop(whole.width, whole.height, spec.width / spec.height);
    bitmap = await g.createImageBitmap(whole, sx, sy, sw, sh, options);
    whole.close();
  } else {
    bitmap = await g.createImageBitmap(blob, options);
  }
  const canvas = new g.OffscreenCanvas(spec.width, spec.height);
  const context = canvas.getContext('2d', { willReadFrequently: true });
  context.drawImage(bitmap, 0, 0);
  bitmap.close();
  const rgba = context.getImageData(0, 0, spec.width, spec.height).data;
  if (spec.channels === 4) return rgba;
  const rgb = new Uint8Array(spec.width * spec.height * 3);
  for (let i = 0, j = 0; i < rgb.length; i += 3, j += 4) {
    rgb[i] = rgba[j]!;
    rgb[i + 1] = rgba[j + 1]!;
    rgb[i + 2] = rgba[j + 2]!;
  }
  return rgb;
};

function browserApi(): BrowserImageApi {
  const g: object = globalThis;
  if (!('createImageBitmap' in g) || !('OffscreenCanvas' in g)) {
    throw new ValueError(`imageDatasetFromDirectory: this platform has no createImageBitmap and OffscreenCanvas to decode images with (in Node, images are decoded by sharp)`);
  }
  return g as BrowserImageApi;
}

/** The largest centred crop of a width × height image with aspect ratio `aspect` (width / height). */
export function centredCrop(width: number, height: number, aspect: number): [number, number, number, number] {
  let cw = width, ch = Math.round(width / aspect);
  if (ch > height) [cw, ch] = [Math.round(height * aspect), height];
  return [Math.floor((width - cw) / 2), Math.floor((height - ch) / 2), cw, ch];
}

// The few DOM types the browser decoder needs (the library compiles without the DOM's).
interface BrowserBitmap {
  readonly width: number;
  readonly height: number;
  close(): void;
}
interface BrowserImageApi {
  createImageBitmap(source: Blob | BrowserBitmap, options?: object): Promise<BrowserBitmap>;
  createImageBitmap(source: BrowserBitmap, sx: number, sy: number, sw: number, sh: number, options?: object): Promise<BrowserBitmap>;
  OffscreenCanvas: new (width: number, height: number) => {
    getContext(kind: '2d', options?: object): {
      drawImage(image: BrowserBitmap, x: number, y: number): void;
      getImageData(x: number, y: number, w: number, h: number): { data: Uint8ClampedArray };
    };
  };
}

/** A file picked in a browser: `<input type="file" webkitdirectory>` gives each its path below the folder picked. */
export interface PickedFile extends Blob {
  readonly name: string;
  readonly webkitRelativePath: string;
}

/**
 * Lists picked files as a folder: paths below the picked folder (its own name, the first part of each
 * webkitRelativePath, is dropped), and the class folders they imply.
 */
export function pickedFolder(where: string, files: Iterable<PickedFile>): { root: string; files: FolderFile<Blob>[]; folders: string[] } {
  const list = [...files];
  const out: FolderFile<Blob>[] = [];
  const folders = new Set<string>();
  let root = 'the folder picked';
  for (const f of list) {
    const rel = typeof f.webkitRelativePath === 'string' ? f.webkitRelativePath : '';
    if (rel === '') throw new ValueError(`${where}: file ${describe(f.name)} has no folder path: give the files of <input type="file" webkitdirectory>, which carry webkitRelativePath`);
    const parts = rel.split('/');
    root = parts[0] ?? root;
    const path = parts.slice(1).join('/');
    if (parts.length > 2) folders.add(parts[1]!);
    out.push({ path, read: f });
  }
  return { root, files: out, folders: [...folders] };
}

/**
 * In a browser: the images of a folder the user picked (`input.files` of an `<input type="file"
 * webkitdirectory>`), one subfolder per class, decoded by the browser. In Node, the same function also
 * takes a directory path (see the Node entry).
 */
export function imageDatasetFromDirectory(files: Iterable<PickedFile>, options: ImageFolderOptions & { subset: 'both' }): [Dataset<LabeledImage>, Dataset<LabeledImage>];
export function imageDatasetFromDirectory(files: Iterable<PickedFile>, options?: ImageFolderOptions): Dataset<LabeledImage>;
export function imageDatasetFromDirectory(files: Iterable<PickedFile>, options: ImageFolderOptions = {}): Dataset<LabeledImage> | [Dataset<LabeledImage>, Dataset<LabeledImage>] {
  const where = 'imageDatasetFromDirectory';
  if (typeof files === 'string') throw new ValueError(`${where}: a directory path needs Node; in a browser give the files of <input type="file" webkitdirectory>`);
  if (typeof files !== 'object' || files === null || !(Symbol.iterator in files)) throw new ValueError(`${where}: argument 'files' expected the files of <input type="file" webkitdirectory>, received ${describe(files)}`);
  const folder = pickedFolder(where, files);
  const parts = imageFolderDatasets(where, folder.root, folder.files, folder.folders, browserImageDecoder, options);
  return options.subset === 'both' ? [parts[0]!, parts[1]!] : parts[0]!;
}
