/** Add: the elementwise sum of inputs of one shape (residual connections). */
import { add } from '../ops/index.js';
import type { Tensor } from '../tensor/tensor.js';
import { ShapeError } from '../util/errors.js';
import type { ConfigReader } from './config.js';
import { MergeLayer } from './merge-layer.js';
import type { LayerShape } from './layer-shape.js';
import { fmtLayerShape } from './layer-shape.js';

export class Add extends MergeLayer {
  static fromConfig(c: ConfigReader): Add {
    return new Add(c.base());
  }

  call(inputs: readonly Tensor[]): Tensor {
    return inputs.slice(1).reduce((sum, x) => add(sum, x), inputs[0]!);
  }

  computeOutputShape(inputShapes: readonly LayerShape[]): LayerShape {
    const first = inputShapes[0]!;
    inputShapes.forEach((s, i) => {
      const same = s.length === first.length && s.every((d, j) => d === null || first[j] === null || d === first[j]);
      if (!same) throw new ShapeError(`${this.label}: input ${i} has shape ${fmtLayerShape(s)}, expected input 0's ${fmtLayerShape(first)}`);
    });
    return first.map((d, j) => d ?? inputShapes.find((s) => s[j] !== null)?.[j] ?? null);
  }
}
