/**
 * A small convolutional network trained with raw ops, for the backend's end-to-end tests: conv 3x3
 * (8 filters, bias and relu fused), max-pool 2, dense 10, log-softmax cross-entropy, RMSprop. Inputs and
 * weights come from the seeded generator, so every backend starts from the same numbers.
 */
import { conv2d, linear, logSoftmax, maxPool2d, mean, mul, neg, reshape, sum } from '../../ops/index.js';
import { RMSprop } from '../../optimizers/index.js';
import { randomNormal, randomUniform, tensor, zeros } from '../../tensor/creation.js';
import { variableGrads } from '../../tensor/tape.js';
import type { Tensor } from '../../tensor/tensor.js';
import { Variable } from '../../tensor/variable.js';
import { setSeed } from '../../util/random.js';

export interface TinyConvnet {
  weights: Variable[];
  /** One training step on the fixed batch; returns the loss. */
  step(): number;
}

export function tinyConvnet(seed: number, batch = 16): TinyConvnet {
  setSeed(seed);
  const x = randomUniform([batch, 14, 14, 1]);
  const labels = new Float32Array(batch * 10);
  for (let i = 0; i < batch; i++) labels[i * 10 + (i % 10)] = 1;
  const y = tensor(labels, { shape: [batch, 10] });
  const filter = new Variable(randomNormal([3, 3, 1, 8], { stddev: 0.3 }));
  const convBias = new Variable(zeros([8]));
  const kernel = new Variable(randomNormal([6 * 6 * 8, 10], { stddev: 0.1 }));
  const bias = new Variable(zeros([10]));
  const optimizer = new RMSprop({ learningRate: 0.01 });
  const loss = (): Tensor => {
    const h = maxPool2d(conv2d(x, filter, { bias: convBias, activation: 'relu' }));
    const logits = linear(reshape(h, [batch, 6 * 6 * 8]), kernel, { bias });
    return mean(neg(sum(mul(y, logSoftmax(logits)), -1)));
  };
  return {
    weights: [filter, convBias, kernel, bias],
    step() {
      const { value, grads } = variableGrads(loss);
      optimizer.applyGradients(grads);
      return value.item();
    },
  };
}
