/**
 * Dot: the dot product of two inputs along one axis of each, per sample (Keras's batch_dot): [batch, n]
 * and [batch, n] give [batch, 1]; [batch, m, n] and [batch, n, k] with axes [2, 1] give [batch, m, k].
 * With `normalize`, both inputs are first L2-normalized along their axes, so the result is the cosine
 * similarity.
 */
import { matmul, maximum, mul, reshape, rsqrt, square, sum, transpose } from '../ops/index.js';
import type { Tensor } from '../tensor/tensor.js';
import type { SpecFor } from '../util/checks.js';
import { is, optionsSpec } from '../util/checks.js';
import { ShapeError, ValueError } from '../util/errors.js';
import { sizeOf } from '../util/shape.js';
import type { LayerConfig, LayerOptions } from './base-layer.js';
import type { ConfigReader } from './config.js';
import { LAYER_OPTIONS } from './layer-options.js';
import { MergeLayer } from './merge-layer.js';
import type { LayerShape } from './layer-shape.js';
import { fmtLayerShape } from './layer-shape.js';

export interface DotOptions extends LayerOptions {
  /** The axis of both inputs, or one for each; axis 0 (the batch) is not allowed. */
  axes: number | readonly [number, number];
  /** L2-normalize both inputs along their axes first (default false). */
  normalize?: boolean;
}

const OPTIONS = optionsSpec({
  ...LAYER_OPTIONS,
  axes: is.integer.or(is.arrayOf(is.integer, { length: 2 }).to((a): readonly [number, number] => [a[0]!, a[1]!])),
  normalize: is.boolean.optional(),
} satisfies SpecFor<DotOptions>);

/** Keras's l2_normalize epsilon: squared norms are floored at it. */
const EPSILON = 1e-12;

export class Dot extends MergeLayer {
  readonly axes: readonly [number, number];
  readonly normalize: boolean;

  constructor(options: DotOptions) {
    super(options);
    const o = OPTIONS.parse(this.label, options);
    this.axes = typeof o.axes === 'number' ? [o.axes, o.axes] : o.axes;
    this.normalize = o.normalize ?? false;
  }

  /** The two axes resolved against the inputs' ranks. */
  #resolve(shapes: readonly LayerShape[]): [number, number] {
    if (shapes.length !== 2) throw new ValueError(`${this.label}: takes exactly two inputs, received ${shapes.length}`);
    return shapes.map((s, i) => {
      const a = this.axes[i]! < 0 ? s.length + this.axes[i]! : this.axes[i]!;
      if (a <= 0 || a >= s.length) throw new ShapeError(`${this.label}: axis ${this.axes[i]} is not a feature axis of input ${i} with shape ${fmtLayerShape(s)}`);
      return a;
    }) as [number, number];
  }

  call(inputs: readonly Tensor[]): Tensor {
    const [ax, ay] = this.#resolve(inputs.map((t) => t.shape));
    let [x, y] = inputs as [Tensor, Tensor];
    if (this.normalize) [x, y] = [l2Normalize(x, ax), l2Normalize(y, ay)];
    const batch = x.shape[0]!;
    const restX = x.shape.filter((_, i) => i !== 0 && i !== ax);
    const restY = y.shape.filter((_, i) => i !== 0 && i !== ay);
    const xm = reshape(transpose(x, [0, ...x.shape.map((_, i) => i).filter((i) => i !== 0 && i !== ax), ax]), [batch, sizeOf(restX), x.shape[ax]!]);
    const ym = reshape(transpose(y, [0, ay, ...y.shape.map((_, i) => i).filter((i) => i !== 0 && i !== ay)]), [batch, y.shape[ay]!, sizeOf(restY)]);
    const rest = [...restX, ...restY];
    return reshape(matmul(xm, ym), [batch, ...(rest.length === 0 ? [1] : rest)]);
  }

  computeOutputShape(inputShapes: readonly LayerShape[]): LayerShape {
    const [ax, ay] = this.#resolve(inputShapes);
    const [sx, sy] = inputShapes as [LayerShape, LayerShape];
    if (sx[ax] !== null && sy[ay] !== null && sx[ax] !== sy[ay]) {
      throw new ShapeError(`${this.label}: input 0 has ${sx[ax]} values along axis ${ax} but input 1 has ${sy[ay]} along axis ${ay} (shapes ${fmtLayerShape(sx)} and ${fmtLayerShape(sy)})`);
    }
    const rest = [...sx.filter((_, i) => i !== 0 && i !== ax), ...sy.filter((_, i) => i !== 0 && i !== ay)];
    return [sx[0] ?? null, ...(rest.length === 0 ? [1] : rest)];
  }

  override getConfig(): LayerConfig {
    return { axes: this.axes[0] === this.axes[1] ? this.axes[0] : [...this.axes], normalize: this.normalize, ...super.getConfig() };
  }

  static fromConfig(c: ConfigReader): Dot {
    return new Dot({ ...c.base(), axes: c.intOrPair('axes'), normalize: c.boolean('normalize', false) });
  }
}

function l2Normalize(x: Tensor, axis: number): Tensor {
  return mul(x, rsqrt(maximum(sum(square(x), axis, { keepDims: true }), EPSILON)));
}
