/**
 * A reusable chain of preprocessing steps: fit learns each step on the output of the previous ones,
 * transform applies them in order. A Pipeline is itself a Transformer, so it can be cloned unfitted for
 * each fold of a cross-validation.
 */
import type { Tensor } from '../tensor/tensor.js';
import { checkArg, is } from '../util/checks.js';
import { Transformer } from './transformer.js';

export class Pipeline extends Transformer {
  readonly steps: readonly Transformer[];

  constructor(steps: readonly Transformer[]) {
    super();
    this.steps = checkArg('Pipeline', 'steps', steps, is.arrayOf(is.instanceOf(Transformer, 'a preprocessing step (a Transformer)'), {
      minLength: 1,
      name: 'a non-empty array of preprocessing steps (Transformers)',
    }));
  }

  clone(): Pipeline {
    return new Pipeline(this.steps.map((s) => s.clone()));
  }

  override get stateless(): boolean {
    return this.steps.every((s) => s.stateless);
  }

  protected override get checksFeatureCount(): boolean {
    return false;
  }

  protected learn(x: Tensor): void {
    let data = x;
    this.steps.forEach((step, i) => {
      step.fit(data);
      if (i < this.steps.length - 1) data = step.transform(data);
    });
  }

  protected apply(x: Tensor): Tensor {
    return this.steps.reduce((data, step) => step.transform(data), x);
  }
}
