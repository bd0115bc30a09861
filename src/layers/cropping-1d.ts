/** Cropping1D: steps cut from the start and end of [batch, steps, channels] inputs. */
import { slice } from '../ops/index.js';
import type { Tensor } from '../tensor/tensor.js';
import type { SpecFor } from '../util/checks.js';
import { optionsSpec } from '../util/checks.js';
import { ShapeError } from '../util/errors.js';
import type { LayerConfig, LayerOptions } from './base-layer.js';
import { LAYER_OPTIONS, preLabel } from './layer-options.js';
import type { ConfigReader } from './config.js';
import type { Edges } from './edges-1d.js';
import { bothEdges, edges, readEdges } from './edges-1d.js';
import { Layer } from './layer.js';
import type { LayerShape } from './layer-shape.js';
import { fmtLayerShape } from './layer-shape.js';
import { checkSteps } from './steps.js';

export interface Cropping1DOptions extends LayerOptions {
  /** Steps cut at each end, or [start, end] (default 1). */
  cropping?: Edges;
}

const OPTIONS = optionsSpec({ ...LAYER_OPTIONS, cropping: edges.optional() } satisfies SpecFor<Cropping1DOptions>);

export class Cropping1D extends Layer {
  /** [start, end]. */
  readonly cropping: [number, number];

  constructor(options: Cropping1DOptions = {}) {
    const o = OPTIONS.parse(preLabel('Cropping1D', options), options);
    super(options);
    this.cropping = bothEdges(o.cropping ?? 1);
  }

  override build(inputShape: LayerShape): void {
    this.computeOutputShape(inputShape);
    this.inputSpec = { rank: 3 };
  }

  call(x: Tensor): Tensor {
    const [, steps] = this.computeOutputShape(x.shape) as [number, number, number];
    return slice(x, [0, this.cropping[0], 0], [-1, steps, -1]);
  }

  override computeOutputShape(inputShape: LayerShape): LayerShape {
    checkSteps(this.label, inputShape);
    const steps = inputShape[1] ?? null;
    const [start, end] = this.cropping;
    if (steps !== null && start + end >= steps) {
      throw new ShapeError(`${this.label}: option 'cropping' [${start}, ${end}] leaves no step of an input of shape ${fmtLayerShape(inputShape)}`);
    }
    return [inputShape[0] ?? null, steps === null ? null : steps - start - end, inputShape[2] ?? null];
  }

  override getConfig(): LayerConfig {
    return { cropping: [...this.cropping], ...super.getConfig() };
  }

  static fromConfig(c: ConfigReader): Cropping1D {
    return new Cropping1D({ ...c.base(), cropping: readEdges(c, 'cropping', 1) });
  }
}
