/** Concatenate: joins inputs along an axis (the last by default); the other dimensions must agree. */
import { concat } from '../ops/index.js';
import { ones } from '../tensor/creation.js';
import type { Tensor } from '../tensor/tensor.js';
import { ShapeError, ValueError, describe } from '../util/errors.js';
import type { LayerConfig, LayerOptions } from './base-layer.js';
import type { ConfigReader } from './config.js';
import { MergeLayer } from './merge-layer.js';
import type { LayerShape } from './layer-shape.js';
import { fmtLayerShape } from './layer-shape.js';

export interface ConcatenateOptions extends LayerOptions {
  axis?: number;
}

export class Concatenate extends MergeLayer {
  readonly axis: number;

  constructor(options: ConcatenateOptions = {}) {
    super(options);
    this.axis = options.axis ?? -1;
    if (!Number.isInteger(this.axis)) throw new ValueError(`${this.label}: option 'axis' expected an integer, received ${describe(options.axis)}`);
  }

  override getConfig(): LayerConfig {
    return { axis: this.axis, ...super.getConfig() };
  }

  static fromConfig(c: ConfigReader): Concatenate {
    return new Concatenate({ ...c.base(), axis: c.integer('axis', -1) });
  }

  call(inputs: readonly Tensor[]): Tensor {
    return concat(inputs, this.axis);
  }

  /** Joined along a timestep axis, the masks join too (all-true for an input without one); along features, they combine. */
  override computeMask(inputs: readonly Tensor[], masks: readonly (Tensor | null)[]): Tensor | null {
    const rank = inputs[0]!.rank;
    const axis = this.axis < 0 ? rank + this.axis : this.axis;
    const maskRank = masks.find((m) => m !== null)?.rank;
    if (maskRank === undefined || axis >= maskRank) return super.computeMask(inputs, masks);
    return concat(masks.map((m, i) => m ?? ones(inputs[i]!.shape.slice(0, maskRank), 'bool')), axis);
  }

  computeOutputShape(inputShapes: readonly LayerShape[]): LayerShape {
    const first = inputShapes[0]!;
    const axis = this.axis < 0 ? first.length + this.axis : this.axis;
    if (axis <= 0 || axis >= first.length) {
      throw new ShapeError(`${this.label}: axis ${this.axis} is not a feature axis of inputs of shape ${fmtLayerShape(first)}`);
    }
    inputShapes.forEach((s, i) => {
      const ok = s.length === first.length && s.every((d, j) => j === axis || d === null || first[j] === null || d === first[j]);
      if (!ok) throw new ShapeError(`${this.label}: input ${i} has shape ${fmtLayerShape(s)}, which does not match input 0's ${fmtLayerShape(first)} outside axis ${this.axis}`);
    });
    const sizes = inputShapes.map((s) => s[axis]);
    const joined = sizes.every((d): d is number => d !== null && d !== undefined) ? sizes.reduce((a, b) => a + b, 0) : null;
    return first.map((d, j) => (j === axis ? joined : d));
  }
}
