/**
 * What the preprocessing and augmentation layers share: their options specs (the layer's own options
 * beside the ones every layer has), images of rank 3 or 4, the projective transforms of resizing and
 * cropping, and Keras's two spellings of option values.
 */
import * as ops from '../ops/index.js';
import type { Tensor } from '../tensor/tensor.js';
import type { Spec } from '../util/checks.js';
import { is, optionsSpec } from '../util/checks.js';
import { ShapeError } from '../util/errors.js';
import type { LayerShape } from './layer-shape.js';
import { fmtLayerShape } from './layer-shape.js';

/** The options every layer has; BaseLayer checks them. */
const BASE = {
  name: is.unknown, inputShape: is.unknown, dtype: is.unknown, trainable: is.unknown, activityRegularizer: is.unknown,
};

/** An options spec of a layer: its own options, and the ones BaseLayer reads (so unknown keys are errors). */
export function layerSpec<S extends Spec>(spec: S) {
  return optionsSpec({ ...BASE, ...spec });
}

/** snake_case (as Keras and saved files write it) to camelCase. */
export function camelCase(s: string): string {
  return s.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());
}

/** camelCase to snake_case, for configs. */
export function snakeCase(s: string): string {
  return s.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
}

/** One of `values`, also accepted in its snake_case (Keras) spelling. */
export function oneOfKeras<const V extends string>(values: readonly V[]) {
  const snake = values.map(snakeCase);
  return is.oneOf([...values, ...snake.filter((s) => !(values as readonly string[]).includes(s))]).to((v) => camelCase(v) as V);
}

/** Checks an image input: [height, width, channels] or [batch, height, width, channels]. */
export function checkImageShape(label: string, shape: LayerShape): void {
  if (shape.length !== 3 && shape.length !== 4) {
    throw new ShapeError(`${label}: expected images of rank 4 [batch, height, width, channels] or rank 3 [height, width, channels], received shape ${fmtLayerShape(shape)}`);
  }
}

/** Runs `f` on float images of rank 4; a single image (rank 3) gets a batch axis and loses it again. */
export function onImages(label: string, x: Tensor, f: (images: Tensor) => Tensor): Tensor {
  checkImageShape(label, x.shape);
  const images = x.dtype === 'float32' || x.dtype === 'float64' ? x : ops.cast(x, 'float32');
  return x.rank === 3 ? ops.squeeze(f(ops.expandDims(images, 0)), [0]) : f(images);
}

/** Height and width of an image shape of rank 3 or 4. */
export function imageSize(shape: readonly number[]): [number, number] {
  return [shape[shape.length - 3]!, shape[shape.length - 2]!];
}

/** The same shape with another height and width. */
export function withImageSize(shape: LayerShape, height: number, width: number): LayerShape {
  const out = [...shape];
  out[out.length - 3] = height;
  out[out.length - 2] = width;
  return out;
}

/**
 * The largest window of an inH x inW image with the aspect ratio of height x width, centred (Keras's
 * crop_to_aspect_ratio): [top, left, cropHeight, cropWidth].
 */
export function aspectRatioCrop(inH: number, inW: number, height: number, width: number): [number, number, number, number] {
  const cropH = Math.min(inH, Math.trunc((inW * height) / width));
  const cropW = Math.min(inW, Math.trunc((inH * width) / height));
  return [Math.trunc((inH - cropH) / 2), Math.trunc((inW - cropW) / 2), cropH, cropW];
}

/**
 * The transform that resizes the window [top, left, cropH, cropW] of an image to outH x outW with half-pixel
 * centres (TensorFlow 2's resize, which Keras uses): output pixel centre (x + 0.5) reads the input at
 * left + (x + 0.5) * cropW / outW - 0.5.
 */
export function resizeTransform(window: readonly [number, number, number, number], outH: number, outW: number): number[] {
  const [top, left, cropH, cropW] = window;
  const sy = cropH / outH, sx = cropW / outW;
  return [sx, 0, left + 0.5 * sx - 0.5, 0, sy, top + 0.5 * sy - 0.5, 0, 0];
}

/** Resizes images of rank 4 to height x width (from the window, the whole image by default). */
export function resizeImages(
  images: Tensor, height: number, width: number, options: { interpolation: 'bilinear' | 'nearest'; cropToAspectRatio: boolean },
): Tensor {
  const [inH, inW] = imageSize(images.shape);
  if (inH === height && inW === width) return images;
  const window = options.cropToAspectRatio ? aspectRatioCrop(inH, inW, height, width) : ([0, 0, inH, inW] as const);
  // Coordinates past the edge (half a pixel at most) read the edge pixel, as TensorFlow's resize clamps them.
  return ops.imageTransform(images, [resizeTransform(window, height, width)], { interpolation: options.interpolation, fillMode: 'nearest', outputSize: [height, width] });
}
