/**
 * Upsampling by integer factors, NHWC / NDHWC like Keras. Nearest repeats every pixel (a broadcast);
 * bilinear interpolates with half-pixel centers, as Keras's UpSampling2D (tf.image.resize) and PyTorch's
 * `interpolate(..., align_corners=False)` do. TensorFlow.js's UpSampling2D uses the older rule without
 * half-pixel centers, so its bilinear outputs differ from Keras's.
 */
import { tuple } from '../util/conv-geometry.js';
import { ShapeError, ValueError, describe, fmtShape } from '../util/errors.js';
import type { TensorLike } from '../tensor/creation.js';
import { tensor } from '../tensor/creation.js';
import type { Tensor } from '../tensor/tensor.js';
import type { UpSamplingInfo } from '../backend/kernels.js';
import { empty, fdata, floatOperand, k, op } from './define-op.js';
import { add, mul, sub } from './elementwise.js';
import { broadcastTo, gather, reshape } from './shape.js';

export type UpSamplingInterpolation = 'nearest' | 'bilinear';

export interface UpSampling2dOptions {
  /** 'nearest' (default) or 'bilinear'. */
  interpolation?: UpSamplingInterpolation;
}

function spatial(where: string, x: TensorLike, rank: 4 | 5): Tensor {
  const t = floatOperand(where, 'x', x);
  if (t.rank !== rank) {
    const layout = rank === 4 ? '[batch, height, width, channels]' : '[batch, depth, height, width, channels]';
    throw new ShapeError(`${where}: argument 'x' expected rank ${rank} ${layout}, received shape ${fmtShape(t.shape)}`);
  }
  return t;
}

/** Each of the spatial axes 1..factors.length repeated factors[i] times, element by element. */
function repeatNearest(t: Tensor, factors: readonly number[]): Tensor {
  const spatialDims = t.shape.slice(1, -1);
  const split = [t.shape[0]!, ...spatialDims.flatMap((d) => [d, 1]), t.shape[t.rank - 1]!];
  const spread = [t.shape[0]!, ...spatialDims.flatMap((d, i) => [d, factors[i]!]), t.shape[t.rank - 1]!];
  const out = [t.shape[0]!, ...spatialDims.map((d, i) => d * factors[i]!), t.shape[t.rank - 1]!];
  return reshape(broadcastTo(reshape(t, split), spread), out);
}

/** Linear interpolation along `axis` to `factor` times its size, with half-pixel centers. */
function interpolateAxis(t: Tensor, axis: number, factor: number): Tensor {
  const n = t.shape[axis]!;
  const size = n * factor;
  const lower: number[] = [], upper: number[] = [], weight: number[] = [];
  for (let o = 0; o < size; o++) {
    const source = (o + 0.5) / factor - 0.5;
    const below = Math.floor(source);
    lower.push(Math.max(below, 0));
    upper.push(Math.min(Math.ceil(source), n - 1));
    weight.push(source - below);
  }
  const a = gather(t, lower, axis), b = gather(t, upper, axis);
  const w = tensor(weight, { shape: t.shape.map((d, i) => (i === axis ? size : 1)), dtype: t.dtype });
  return add(a, mul(sub(b, a), w));
}

/** x [batch, h, w, c] -> [batch, h * size[0], w * size[1], c], on the upsampling kernels. */
export function upSampling2d(x: TensorLike, size: number | readonly [number, number], options: UpSampling2dOptions = {}): Tensor {
  const where = 'upSampling2d';
  const t = spatial(where, x, 4);
  const [factorH, factorW] = tuple(where, 'size', size, 2) as [number, number];
  const interpolation = options.interpolation ?? 'nearest';
  if (interpolation !== 'nearest' && interpolation !== 'bilinear') {
    throw new ValueError(`${where}: option 'interpolation' expected "nearest" or "bilinear", received ${describe(interpolation)}`);
  }
  const [batch, inH, inW, channels] = t.shape as [number, number, number, number];
  const u: UpSamplingInfo = { batch, inH, inW, channels, factorH, factorW };
  return op(
    where,
    [t],
    () => {
      const { t: out } = empty(t.dtype, [batch, inH * factorH, inW * factorW, channels]);
      k(t).upSampling2d({ x: fdata(t), out: fdata(out), upSampling: u, interpolation });
      return out;
    },
    (dy) => [
      () => {
        const { t: dx } = empty(t.dtype, t.shape);
        k(t).upSampling2dGrad({ dy: fdata(dy), dx: fdata(dx), upSampling: u, interpolation });
        return dx;
      },
    ],
  );
}

/** upSampling2d composed of a broadcast (nearest) or gathers and an interpolation per axis: the oracle the kernels are tested against. */
export function upSampling2dComposed(x: TensorLike, size: number | readonly [number, number], options: UpSampling2dOptions = {}): Tensor {
  const where = 'upSampling2d';
  const t = spatial(where, x, 4);
  const [sh, sw] = tuple(where, 'size', size, 2) as [number, number];
  const interpolation = options.interpolation ?? 'nearest';
  switch (interpolation) {
    case 'nearest':
      return repeatNearest(t, [sh, sw]);
    case 'bilinear':
      return interpolateAxis(interpolateAxis(t, 1, sh), 2, sw);
    default:
      interpolation satisfies never;
      throw new ValueError(`${where}: option 'interpolation' expected "nearest" or "bilinear", received ${describe(interpolation)}`);
  }
}

/** x [batch, d, h, w, c] -> [batch, d * size[0], h * size[1], w * size[2], c], repeating values (Keras's UpSampling3D). */
export function upSampling3d(x: TensorLike, size: number | readonly [number, number, number]): Tensor {
  const where = 'upSampling3d';
  return repeatNearest(spatial(where, x, 5), tuple(where, 'size', size, 3));
}
