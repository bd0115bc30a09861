/**
 * The losses Keras adds beyond the cross-entropies and squared errors. Golden values come from
 * PyTorch 1.13 in float64 following Keras 3's documented formulas (the script is in the comment below),
 * and from the examples in Keras's docstrings where it gives one. Gradients are checked by finite
 * differences in test/loss-gradients.test.ts.
 *
 *     import torch; torch.set_default_dtype(torch.float64); F = torch.nn.functional; eps = 1e-7
 *     mape: (100 * ((t - p).abs() / t.abs().clamp(min=eps))).mean(-1)
 *     msle: ((torch.log1p(p.clamp(min=eps)) - torch.log1p(t.clamp(min=eps)))**2).mean(-1)
 *     logcosh: torch.log(torch.cosh(p - t)).mean(-1);  cosine: -F.cosine_similarity(t, p, dim=-1)
 *     kld: F.kl_div(p.clamp(eps, 1).log(), t.clamp(eps, 1), reduction='none').sum(-1)
 *     poisson: F.poisson_nll_loss(p, t, log_input=False, full=False, eps=eps, reduction='none').mean(-1)
 *     hinge: (1 - t * p).clamp(min=0).mean(-1);  squared hinge: ((1 - t * p).clamp(min=0)**2).mean(-1)
 *     categorical hinge: ((((1 - t) * p).max(-1).values - (t * p).sum(-1)) + 1).clamp(min=0)
 *     binary focal: bce = F.binary_cross_entropy(_with_logits); pt = y p + (1 - y)(1 - p); ((1 - pt)**g * bce).mean(-1)
 *     categorical focal: out = (p / p.sum(-1)).clamp(eps, 1 - eps); (-y * out.log() * alpha * (1 - out)**g).sum(-1)
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import '../ops/tensor-methods.js';
import { tensor } from '../tensor/creation.js';
import type { Tensor } from '../tensor/tensor.js';
import { binaryFocalCrossentropy, categoricalFocalCrossentropy, BinaryFocalCrossentropy, CategoricalFocalCrossentropy } from './focal.js';
import { categoricalHinge, hinge, squaredHinge } from './hinge.js';
import { BinaryCrossentropy, CategoricalCrossentropy, Huber } from './loss.js';
import { binaryCrossentropy, categoricalCrossentropy } from './losses.js';
import { getLoss, lossFromConfig, lossToConfig } from './lookup.js';
import { klDivergence, poisson, KLDivergence } from './probabilistic.js';
import { computeLoss } from './reduction.js';
import { cosineSimilarity, logCosh, meanAbsolutePercentageError, meanSquaredLogarithmicError } from './regression.js';

const f64 = (v: number[][]): Tensor => tensor(v, { dtype: 'float64' });

function close(actual: Tensor | number, expected: number[], tolerance = 1e-12): void {
  const values = typeof actual === 'number' ? [actual] : (actual.toArray() as number[]);
  assert.equal(values.length, expected.length);
  values.forEach((v, i) => assert.ok(Math.abs(v - expected[i]!) <= tolerance * Math.max(1, Math.abs(expected[i]!)), `value ${i}: ${v}, expected ${expected[i]}`));
}

const regT = f64([[1.5, 0.2, 3.0], [0.7, 2.5, 0.05]]);
const regP = f64([[1.2, 0.5, 2.0], [1.1, 2.4, 0.3]]);
const distT = f64([[0.2, 0.3, 0.5], [0.0, 1.0, 0.0]]);
const distP = f64([[0.1, 0.6, 0.3], [0.25, 0.7, 0.05]]);
const scores = f64([[0.3, -1.2, 2.0], [-0.4, 0.8, 0.1]]);

describe('regression losses (PyTorch float64 goldens)', () => {
  test('mean absolute percentage error, and Keras example 6.111111', () => {
    close(meanAbsolutePercentageError(regT, regP), [67.7777777777778, 187.047619047619]);
    close(meanAbsolutePercentageError(tensor([[100, 200, 300]]), tensor([[90, 210, 310]])), [6.111111], 1e-6);
    // A zero target divides by 1e-7 instead of 0, as Keras does.
    close(meanAbsolutePercentageError(f64([[0]]), f64([[1e-9]])), [1], 1e-9);
  });
  test('mean squared logarithmic error; negative values count as 1e-7', () => {
    close(meanSquaredLogarithmicError(regT, regP), [0.0496317967249511, 0.0303685688928533]);
    close(meanSquaredLogarithmicError(f64([[-5]]), f64([[0]])), [0], 1e-12);
  });
  test('log-cosh, finite for errors whose cosh overflows', () => {
    close(logCosh(regT, regP), [0.174154123444969, 0.0379583259432135]);
    close(logCosh(f64([[0]]), f64([[1000]])), [1000 - Math.LN2], 1e-12);
  });
  test('cosine similarity: minus the cosine, 0 against a zero vector', () => {
    close(cosineSimilarity(regT, f64([[1.2, -0.5, 2.0], [-1.1, 2.4, 0.3]])), [-0.960699624631697, -0.760208400641685]);
    close(cosineSimilarity(f64([[0, 0]]), f64([[1, 2]])), [0]);
    close(cosineSimilarity(f64([[3, 4]]), f64([[6, 8]])), [-1]);
  });
});

describe('probabilistic losses', () => {
  test('KL divergence, both sides clipped to [1e-7, 1]', () => {
    close(klDivergence(distT, distP), [0.186098093827001, 0.356672158522266]);
    close(klDivergence(distT, distT), [0, 0], 1e-12);
  });
  test('Poisson', () => {
    close(poisson(f64([[0, 2, 5], [1, 1, 3]]), f64([[0.5, 1.8, 4.0], [1.2, 0.9, 2.5]])), [-0.602348457171599, 0.591388816265658]);
  });
});

describe('hinge losses', () => {
  test('hinge and squared hinge; 0/1 labels are read as -1/1', () => {
    const pm = f64([[1, -1, 1], [-1, 1, -1]]);
    close(hinge(pm, scores), [0.233333333333333, 0.633333333333333]);
    close(squaredHinge(pm, scores), [0.163333333333333, 0.536666666666667]);
    close(hinge(pm.add(1).div(2), scores), [0.233333333333333, 0.633333333333333]);
  });
  test('categorical hinge: best other score minus the true score plus 1', () => {
    close(categoricalHinge(f64([[0, 0, 1], [1, 0, 0]]), scores), [0, 2.2]);
  });
});

describe('focal cross-entropies (Keras docstring examples)', () => {
  const y = f64([[0, 1], [0, 0]]);
  const logits = f64([[-18.6, 0.51], [2.94, -12.8]]);
  test('binary, from logits: gamma 2 and 3, with and without class balancing', () => {
    close(binaryFocalCrossentropy(y, logits, { fromLogits: true }), [0.0331030455952281, 1.3493211060689], 1e-9);
    close(binaryFocalCrossentropy(y, logits, { fromLogits: true, applyClassBalancing: true }), [0.00827576139880703, 1.01199082955168], 1e-9);
    close(binaryFocalCrossentropy(y, logits, { fromLogits: true, gamma: 3 }), [0.012420048382706, 1.28156997539069], 1e-9);
    const balanced = new BinaryFocalCrossentropy({ fromLogits: true, gamma: 3, applyClassBalancing: true });
    close(computeLoss(balanced, y, logits).item(), [0.482], 1e-3);
    close(computeLoss(new BinaryFocalCrossentropy({ fromLogits: true, gamma: 3 }), y, logits, tensor([0.8, 0.2])).item(), [0.133], 2e-3);
  });
  test('binary on probabilities [0.330, 0.206]; label smoothing; gamma 0 is binary cross-entropy', () => {
    const p = f64([[0.6, 0.4], [0.4, 0.6]]);
    close(binaryFocalCrossentropy(y, p), [0.329864663474696, 0.205798381638627]);
    close(binaryFocalCrossentropy(y, p, { labelSmoothing: 0.2 }), [0.294600355965707, 0.195931200252528]);
    close(binaryFocalCrossentropy(y, p, { gamma: 0 }), binaryCrossentropy(y, p).toArray() as number[]);
  });
  test('categorical: Keras example [3.2058e-05, 0.46627] (mean 0.23315); logits with smoothing', () => {
    const yc = f64([[0, 1, 0], [0, 0, 1]]);
    close(categoricalFocalCrossentropy(yc, f64([[0.05, 0.95, 0], [0.1, 0.8, 0.1]])), [3.20583089922192e-05, 0.466273481331294]);
    close(computeLoss(new CategoricalFocalCrossentropy(), yc, f64([[0.05, 0.95, 0], [0.1, 0.8, 0.1]])).item(), [0.23315276], 1e-7);
    const options = { fromLogits: true, gamma: 1.5, labelSmoothing: 0.3, alpha: 0.5 };
    close(categoricalFocalCrossentropy(yc, f64([[2, -1, 0.5], [0.1, 0.2, 3]]), options), [1.28761299916293, 0.274705359628675]);
  });
  test('gamma 0 and alpha 1 give categorical cross-entropy', () => {
    const yc = f64([[0, 1, 0]]), p = f64([[0.2, 0.5, 0.3]]);
    close(categoricalFocalCrossentropy(yc, p, { gamma: 0, alpha: 1 }), categoricalCrossentropy(yc, p).toArray() as number[]);
  });
});

describe('label smoothing on the cross-entropies', () => {
  test('binary: targets y (1 - s) + s / 2', () => {
    const s = 0.2, p = 0.7;
    const expected = -((1 - s / 2) * Math.log(p) + (s / 2) * Math.log(1 - p));
    close(binaryCrossentropy(f64([[1]]), f64([[p]]), { labelSmoothing: s }), [expected]);
  });
  test('categorical through the class, by hand', () => {
    const loss = new CategoricalCrossentropy({ labelSmoothing: 0.3 });
    const expected = -((0.7 + 0.1) * Math.log(0.7) + 0.1 * Math.log(0.2) + 0.1 * Math.log(0.1));
    close(loss.perSample(f64([[1, 0, 0]]), f64([[0.7, 0.2, 0.1]])), [expected]);
  });
});

describe('names, options and the saved form', () => {
  test("Keras's names, camelCase, aliases and class names", () => {
    const cases: [string, string][] = [
      ['kl_divergence', 'kl_divergence'], ['kld', 'kl_divergence'], ['KLD', 'kl_divergence'], ['kullback_leibler_divergence', 'kl_divergence'],
      ['KLDivergence', 'kl_divergence'], ['poisson', 'poisson'], ['cosine_similarity', 'cosine_similarity'], ['cosineProximity', 'cosine_similarity'],
      ['hinge', 'hinge'], ['squared_hinge', 'squared_hinge'], ['categoricalHinge', 'categorical_hinge'], ['log_cosh', 'log_cosh'], ['logcosh', 'log_cosh'],
      ['msle', 'mean_squared_logarithmic_error'], ['mean_squared_logarithmic_error', 'mean_squared_logarithmic_error'],
      ['mape', 'mean_absolute_percentage_error'], ['MeanAbsolutePercentageError', 'mean_absolute_percentage_error'],
      ['binary_focal_crossentropy', 'binary_focal_crossentropy'], ['categoricalFocalCrossentropy', 'categorical_focal_crossentropy'],
      ['bce', 'binary_crossentropy'], ['huber_loss', 'huber'],
    ];
    for (const [id, name] of cases) assert.equal(getLoss(id).name, name, id);
    assert.throws(() => getLoss('kl_divergense'), /did you mean 'klDivergence'\?/);
  });

  test('unknown and bad options are refused, naming the class', () => {
    assert.throws(() => new BinaryFocalCrossentropy({ gama: 2 } as object), /BinaryFocalCrossentropy: unknown option 'gama' \(did you mean 'gamma'\?\)/);
    assert.throws(() => new BinaryFocalCrossentropy({ alpha: 1.5 }), /BinaryFocalCrossentropy: option 'alpha' expected a number in \[0, 1\], received 1\.5/);
    assert.throws(() => new CategoricalFocalCrossentropy({ gamma: -1 }), /option 'gamma' expected a non-negative number/);
    assert.throws(() => new KLDivergence({ fromLogits: true } as object), /KLDivergence: unknown option 'fromLogits'; known options: none/);
    assert.throws(() => klDivergence(f64([[1, 0]]), f64([[0.5, 0.3, 0.2]])), /klDivergence: labels of shape \[1, 2\] do not match predictions of shape \[1, 3\]/);
  });

  test('the saved form: a name TensorFlow.js reads for default options, Keras config otherwise; both read back', () => {
    assert.equal(lossToConfig(getLoss('kld')), 'kullback_leibler_divergence');
    assert.equal(lossToConfig(getLoss('log_cosh')), 'logcosh');
    assert.equal(lossToConfig(getLoss('cosine_similarity')), 'cosine_proximity');
    assert.equal(lossToConfig(getLoss('mape')), 'mean_absolute_percentage_error');
    assert.equal(lossToConfig(new CategoricalCrossentropy()), 'categorical_crossentropy');
    assert.equal(lossToConfig(getLoss((t: Tensor, p: Tensor) => t.sub(p))), null);
    const focal = new BinaryFocalCrossentropy({ gamma: 3, applyClassBalancing: true, fromLogits: true });
    const saved = lossToConfig(focal);
    assert.deepEqual(saved, {
      class_name: 'BinaryFocalCrossentropy',
      config: { name: 'binary_focal_crossentropy', reduction: 'sum_over_batch_size', gamma: 3, from_logits: true, label_smoothing: 0, apply_class_balancing: true, alpha: 0.25 },
    });
    const back = lossFromConfig(JSON.parse(JSON.stringify(saved)), 'trainingConfig.loss');
    assert.ok(back instanceof BinaryFocalCrossentropy);
    assert.deepEqual(back.options, focal.options);
    assert.deepEqual(lossToConfig(new BinaryCrossentropy({ labelSmoothing: 0.1 })), {
      class_name: 'BinaryCrossentropy', config: { name: 'binary_crossentropy', reduction: 'sum_over_batch_size', from_logits: false, label_smoothing: 0.1 },
    });
    assert.equal(lossFromConfig('kullback_leibler_divergence', 'loss').name, 'kl_divergence');
    // As Keras 3 writes it, with its extra keys.
    const keras = { module: 'keras.losses', class_name: 'Huber', config: { name: 'huber_loss', reduction: 'sum_over_batch_size', delta: 2, dtype: null }, registered_name: null };
    const huber = lossFromConfig(keras, 'loss');
    assert.ok(huber instanceof Huber && huber.options.delta === 2);
    assert.throws(() => lossFromConfig({ class_name: 'Huber', config: { reduction: 'sum' } }, 'model.json: trainingConfig.loss'), /trainingConfig\.loss\.config\.reduction expected "sum_over_batch_size"/);
    assert.throws(() => lossFromConfig({ class_name: 'Huber', config: { delta: -1 } }, 'model.json: trainingConfig.loss'), /model\.json: trainingConfig\.loss: Huber: option 'delta' expected a positive number, received -1/);
    assert.throws(() => lossFromConfig({ class_name: 'Dice', config: {} }, 'loss'), /loss\.class_name expected a loss class/);
  });
});
