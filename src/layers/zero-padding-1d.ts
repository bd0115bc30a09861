/** ZeroPadding1D: zero steps added at the start and end of [batch, steps, channels] inputs. */
import { pad } from '../ops/index.js';
import type { Tensor } from '../tensor/tensor.js';
import type { SpecFor } from '../util/checks.js';
import { optionsSpec } from '../util/checks.js';
import type { LayerConfig, LayerOptions } from './base-layer.js';
import { LAYER_OPTIONS, preLabel } from './layer-options.js';
import type { ConfigReader } from './config.js';
import type { Edges } from './edges-1d.js';
import { bothEdges, edges, readEdges } from './edges-1d.js';
import { Layer } from './layer.js';
import type { LayerShape } from './layer-shape.js';
import { checkSteps } from './steps.js';

export interface ZeroPadding1DOptions extends LayerOptions {
  /** Steps added at each end, or [start, end] (default 1). */
  padding?: Edges;
}

const OPTIONS = optionsSpec({ ...LAYER_OPTIONS, padding: edges.optional() } satisfies SpecFor<ZeroPadding1DOptions>);

export class ZeroPadding1D extends Layer {
  /** [start, end]. */
  readonly padding: [number, number];

  constructor(options: ZeroPadding1DOptions = {}) {
    const o = OPTIONS.parse(preLabel('ZeroPadding1D', options), options);
    super(options);
    this.padding = bothEdges(o.padding ?? 1);
  }

  override build(inputShape: LayerShape): void {
    checkSteps(this.label, inputShape);
    this.inputSpec = { rank: 3 };
  }

  call(x: Tensor): Tensor {
    checkSteps(this.label, x.shape);
    return pad(x, [[0, 0], this.padding, [0, 0]]);
  }

  override computeOutputShape(inputShape: LayerShape): LayerShape {
    checkSteps(this.label, inputShape);
    const steps = inputShape[1] ?? null;
    return [inputShape[0] ?? null, steps === null ? null : steps + this.padding[0] + this.padding[1], inputShape[2] ?? null];
  }

  override getConfig(): LayerConfig {
    return { padding: [...this.padding], ...super.getConfig() };
  }

  static fromConfig(c: ConfigReader): ZeroPadding1D {
    return new ZeroPadding1D({ ...c.base(), padding: readEdges(c, 'padding', 1) });
  }
}
