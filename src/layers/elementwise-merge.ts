/**
 * The base of the elementwise merge layers (Subtract, Multiply, Average, Maximum, Minimum): inputs of one
 * rank whose sizes agree or are 1 (broadcast, as Keras allows), combined value by value.
 */
import { logicalAnd } from '../ops/index.js';
import type { Tensor } from '../tensor/tensor.js';
import type { SpecFor } from '../util/checks.js';
import { optionsSpec } from '../util/checks.js';
import { ShapeError } from '../util/errors.js';
import type { LayerOptions } from './base-layer.js';
import type { ConfigReader } from './config.js';
import { LAYER_OPTIONS } from './layer-options.js';
import { MergeLayer } from './merge-layer.js';
import type { LayerShape } from './layer-shape.js';
import { fmtLayerShape } from './layer-shape.js';

const OPTIONS = optionsSpec({ ...LAYER_OPTIONS } satisfies SpecFor<LayerOptions>);

export abstract class ElementwiseMerge extends MergeLayer {
  constructor(options: LayerOptions = {}) {
    super(options);
    OPTIONS.parse(this.label, options);
    this.supportsMasking = true;
  }

  /** A value counts where it counts in every input that has a mask (Keras's merge layers). */
  override computeMask(_inputs: readonly Tensor[], masks: readonly (Tensor | null)[]): Tensor | null {
    const given = masks.filter((m): m is Tensor => m !== null);
    return given.length === 0 ? null : given.slice(1).reduce((all, m) => logicalAnd(all, m), given[0]!);
  }

  /** Combines two values; the layer folds it over its inputs from the first. */
  protected abstract combine(a: Tensor, b: Tensor): Tensor;

  call(inputs: readonly Tensor[]): Tensor {
    return inputs.slice(1).reduce((acc, x) => this.combine(acc, x), inputs[0]!);
  }

  computeOutputShape(inputShapes: readonly LayerShape[]): LayerShape {
    const first = inputShapes[0]!;
    return inputShapes.slice(1).reduce<LayerShape>((shape, s, i) => {
      if (s.length !== shape.length) {
        throw new ShapeError(`${this.label}: input ${i + 1} has shape ${fmtLayerShape(s)}, expected the rank of input 0's ${fmtLayerShape(first)}`);
      }
      return shape.map((d, j) => {
        const e = s[j]!;
        if (d === null || e === null) return d === 1 ? e : e === 1 ? d : (d ?? e);
        if (d !== e && d !== 1 && e !== 1) {
          throw new ShapeError(`${this.label}: input ${i + 1} has shape ${fmtLayerShape(s)}, which does not match input 0's ${fmtLayerShape(first)} (sizes must agree or be 1)`);
        }
        return Math.max(d, e);
      });
    }, first);
  }

  /** The fromConfig of every elementwise merge layer. */
  static fromConfig<T extends ElementwiseMerge>(this: new (options: LayerOptions) => T, c: ConfigReader): T {
    return new this(c.base());
  }
}
