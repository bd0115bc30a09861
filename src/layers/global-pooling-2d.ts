/** The shape rule shared by the global pooling layers: [batch, h, w, c] -> [batch, c]. */
import { Layer, checkInputSpec } from './layer.js';
import type { LayerShape } from './symbolic-tensor.js';

export abstract class GlobalPooling2D extends Layer {
  override build(): void {
    this.inputSpec = { rank: 4 };
  }

  override computeOutputShape(inputShape: LayerShape): LayerShape {
    checkInputSpec(this.label, { rank: 4 }, inputShape);
    return [inputShape[0] ?? null, inputShape[3] ?? null];
  }
}
