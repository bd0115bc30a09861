/**
 * Image warps: one projective transform per image of an NHWC batch (TensorFlow's
 * ImageProjectiveTransformV3, on which Keras's resizing and augmentation layers stand). Differentiable
 * with respect to the images; the transforms are data.
 */
import type { FillMode, Interpolation } from '../backend/kernel-table.js';
import { FILL_MODES, INTERPOLATIONS } from '../backend/kernel-table.js';
import type { TensorLike } from '../tensor/creation.js';
import type { Tensor } from '../tensor/tensor.js';
import { ShapeError, ValueError, describe, fmtShape } from '../util/errors.js';
import type { DeviceArray } from '../backend/device-array.js';
import type { FloatArray } from '../util/dtype.js';
import { castTo, empty, fdata, floatOperand, hostFdata, k, op } from './define-op.js';

export interface ImageTransformOptions {
  /** 'bilinear' (default) or 'nearest'. */
  interpolation?: Interpolation;
  /** What is read outside the image: 'constant' (default, fillValue), 'reflect', 'wrap' or 'nearest'. */
  fillMode?: FillMode;
  /** The value read outside the image with fillMode 'constant' (default 0). */
  fillValue?: number;
  /** [height, width] of the output (default: the input's). */
  outputSize?: readonly [number, number];
}

/**
 * Warps each image of `images` ([batch, height, width, channels]) by its row of `transforms`
 * ([batch, 8] or [1, 8] for all): output pixel (x, y) reads the input at ((a0 x + a1 y + a2) / k,
 * (b0 x + b1 y + b2) / k), k = c0 x + c1 y + 1, for the row [a0, a1, a2, b0, b1, b2, c0, c1].
 */
export function imageTransform(images: TensorLike, transforms: TensorLike, options: ImageTransformOptions = {}): Tensor {
  const where = 'imageTransform';
  const x = floatOperand(where, 'images', images);
  if (x.rank !== 4) throw new ShapeError(`${where}: argument 'images' expected rank 4 [batch, height, width, channels], received shape ${fmtShape(x.shape)}`);
  const [batch, inH, inW, channels] = x.shape as [number, number, number, number];
  let t = floatOperand(where, 'transforms', transforms);
  if (t.dtype !== x.dtype) t = castTo(t, x.dtype);
  if (t.rank !== 2 || t.shape[1] !== 8 || (t.shape[0] !== batch && t.shape[0] !== 1)) {
    throw new ShapeError(`${where}: argument 'transforms' expected shape [${batch}, 8] or [1, 8], received ${fmtShape(t.shape)}`);
  }
  const { interpolation = 'bilinear', fillMode = 'constant', fillValue = 0, outputSize = [inH, inW] } = options;
  if (!INTERPOLATIONS.includes(interpolation)) throw new ValueError(`${where}: option 'interpolation' expected one of ${INTERPOLATIONS.join(', ')}, received ${describe(interpolation)}`);
  if (!FILL_MODES.includes(fillMode)) throw new ValueError(`${where}: option 'fillMode' expected one of ${FILL_MODES.join(', ')}, received ${describe(fillMode)}`);
  if (typeof fillValue !== 'number' || !Number.isFinite(fillValue)) throw new ValueError(`${where}: option 'fillValue' expected a finite number, received ${describe(fillValue)}`);
  if (!Array.isArray(outputSize) || outputSize.length !== 2 || !outputSize.every((d) => Number.isInteger(d) && d >= 0)) {
    throw new ValueError(`${where}: option 'outputSize' expected [height, width] of non-negative integers, received ${describe(outputSize)}`);
  }
  const [outH, outW] = outputSize;
  let rows: FloatArray | DeviceArray = fdata(t);
  if (t.shape[0] === 1 && batch !== 1) {
    const one = hostFdata(where, t);
    const all = one instanceof Float64Array ? new Float64Array(batch * 8) : new Float32Array(batch * 8);
    for (let b = 0; b < batch; b++) all.set(one.subarray(0, 8), b * 8);
    rows = all;
  }
  const image = { batch, inH, inW, channels, outH, outW };
  return op(
    'imageTransform',
    [x],
    () => {
      const { t: out } = empty(x.dtype, [batch, outH, outW, channels]);
      k(x).imageTransform({ x: fdata(x), transforms: rows, out: fdata(out), image, interpolation, fillMode, fillValue });
      return out;
    },
    (dy) => [
      () => {
        const { t: dx } = empty(x.dtype, x.shape);
        k(x).imageTransformGrad({ dy: fdata(dy), transforms: rows, dx: fdata(dx), image, interpolation, fillMode });
        return dx;
      },
    ],
  );
}
