/**
 * The cosine and polynomial schedules against Keras 3's formulas (keras/src/optimizers/schedules/
 * learning_rate_schedule.py), evaluated at several steps by an independent float64 implementation in
 * Python (the numbers below), and the saved form of every schedule.
 *
 *     def cosine(step, lr0, ds, alpha=0.0, wt=None, ws=0):
 *         if wt is None: s = min(step, ds); return lr0 * ((1 - alpha) * 0.5 * (1 + math.cos(math.pi * s / ds)) + alpha)
 *         s = min(step, ds + ws)
 *         if s < ws: return (wt - lr0) * s / ws + lr0
 *         return wt * ((1 - alpha) * 0.5 * (1 + math.cos(math.pi * (s - ws) / ds)) + alpha)
 *     def restarts(step, lr0, fds, t_mul=2.0, m_mul=1.0, alpha=0.0):
 *         f = step / fds
 *         if t_mul == 1.0: i = math.floor(f); f -= i
 *         else: i = math.floor(math.log(1 - f * (1 - t_mul)) / math.log(t_mul)); f = (f - (1 - t_mul**i) / (1 - t_mul)) / t_mul**i
 *         return lr0 * ((1 - alpha) * 0.5 * m_mul**i * (1 + math.cos(math.pi * f)) + alpha)
 *     def poly(step, lr0, ds, end=1e-4, power=1.0, cycle=False):
 *         if cycle: ds = ds * (1.0 if step == 0 else math.ceil(step / ds))
 *         else: step = min(step, ds)
 *         return (lr0 - end) * (1 - step / ds) ** power + end
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { CosineDecay, CosineDecayRestarts } from './cosine-decay.js';
import { PolynomialDecay } from './polynomial-decay.js';
import { learningRateFromConfig, learningRateToConfig } from './schedule-config.js';
import type { LearningRateSchedule } from './schedules.js';
import { ExponentialDecay, InverseTimeDecay, PiecewiseConstantDecay } from './schedules.js';

function values(schedule: LearningRateSchedule, steps: number[], expected: number[]): void {
  steps.forEach((step, i) => {
    const v = schedule.at(step);
    assert.ok(Math.abs(v - expected[i]!) <= 1e-15, `${schedule.name} at step ${step}: ${v}, expected ${expected[i]}`);
  });
}

const STEPS = [0, 1, 5, 10, 37, 100, 150, 1000];
const RESTART_STEPS = [0, 5, 10, 15, 29, 30, 31, 69, 70, 100];

describe('cosine schedules', () => {
  test('CosineDecay, and with alpha 0.2', () => {
    values(new CosineDecay({ initialLearningRate: 0.1, decaySteps: 100 }), STEPS, [0.1, 0.09997532801828658, 0.0993844170297569, 0.09755282581475769, 0.06985739453173903, 0, 0, 0]);
    values(new CosineDecay({ initialLearningRate: 0.1, decaySteps: 100, alpha: 0.2 }), STEPS,
      [0.1, 0.09998026241462928, 0.09950753362380552, 0.09804226065180616, 0.07588591562539122, 0.020000000000000004, 0.020000000000000004, 0.020000000000000004]);
  });

  test('CosineDecay with a warmup from 0 to 0.5 over 10 steps, alpha 0.1', () => {
    values(new CosineDecay({ initialLearningRate: 0, decaySteps: 100, alpha: 0.1, warmupTarget: 0.5, warmupSteps: 10 }), STEPS,
      [0, 0.05, 0.25, 0.5, 0.42379516969782166, 0.06101228383359046, 0.05, 0.05]);
  });

  test('CosineDecayRestarts: periods 10, 20, 40 (tMul 2); and tMul 1, mMul 0.5, alpha 0.1', () => {
    values(new CosineDecayRestarts({ initialLearningRate: 0.1, firstDecaySteps: 10 }), RESTART_STEPS,
      [0.1, 0.05, 0.1, 0.08535533905932738, 0.0006155829702431171, 0.1, 0.0998458666866564, 0.0001541333133436018, 0.1, 0.0691341716182545]);
    values(new CosineDecayRestarts({ initialLearningRate: 0.1, firstDecaySteps: 10, tMul: 1, mMul: 0.5, alpha: 0.1 }), RESTART_STEPS,
      [0.1, 0.05500000000000001, 0.05500000000000001, 0.0325, 0.010550614191679526, 0.021250000000000005, 0.020974692904160243, 0.010034413386979971, 0.010703125, 0.010087890625000002]);
  });

  test('bad options are named', () => {
    assert.throws(() => new CosineDecay({ initialLearningRate: 0.1, decaySteps: 0 }), /CosineDecay: option 'decaySteps' expected a positive number, received 0/);
    assert.throws(() => new CosineDecay({ initialLearningRate: 0.1, decaySteps: 10, warmupSteps: 5 }), /option 'warmupSteps' needs 'warmupTarget'/);
    assert.throws(() => new CosineDecay({ initialLearningRate: 0.1, decaySteps: 10, warmup: 5 } as never), /CosineDecay: unknown option 'warmup'; known options: initialLearningRate, decaySteps, alpha, warmupTarget, warmupSteps/);
    assert.throws(() => new CosineDecayRestarts({ initialLearningRate: 0.1, firstDecaySteps: 10, tMul: 0 }), /option 'tMul' expected a positive number/);
  });
});

describe('PolynomialDecay', () => {
  test('linear to 0.0001; squared to 0.01; cycling with power 0.5', () => {
    values(new PolynomialDecay({ initialLearningRate: 0.1, decaySteps: 100 }), STEPS, [0.1, 0.099001, 0.095005, 0.09001, 0.06303700000000001, 0.0001, 0.0001, 0.0001]);
    values(new PolynomialDecay({ initialLearningRate: 0.1, decaySteps: 100, endLearningRate: 0.01, power: 2 }), STEPS, [0.1, 0.098209, 0.091225, 0.0829, 0.04572100000000001, 0.01, 0.01, 0.01]);
    values(new PolynomialDecay({ initialLearningRate: 0.1, decaySteps: 100, endLearningRate: 0.01, power: 0.5, cycle: true }), STEPS,
      [0.1, 0.09954886933959581, 0.09772114910328067, 0.09538149682454625, 0.08143528539874395, 0.01, 0.05500000000000001, 0.01]);
  });
});

describe('saved form', () => {
  const schedules: LearningRateSchedule[] = [
    new ExponentialDecay({ initialLearningRate: 0.1, decaySteps: 10, decayRate: 0.5, staircase: true }),
    new InverseTimeDecay({ initialLearningRate: 0.1, decaySteps: 10, decayRate: 0.5 }),
    new PiecewiseConstantDecay([100, 200], [1, 0.5, 0.1]),
    new CosineDecay({ initialLearningRate: 0, decaySteps: 100, alpha: 0.1, warmupTarget: 0.5, warmupSteps: 10 }),
    new CosineDecay({ initialLearningRate: 0.1, decaySteps: 100 }),
    new CosineDecayRestarts({ initialLearningRate: 0.1, firstDecaySteps: 10, mMul: 0.9 }),
    new PolynomialDecay({ initialLearningRate: 0.1, decaySteps: 100, cycle: true }),
  ];

  test("Keras's { class_name, config } with snake_case keys, read back to the same values", () => {
    assert.deepEqual(learningRateToConfig(schedules[3]!, 0), {
      class_name: 'CosineDecay',
      config: { initial_learning_rate: 0, decay_steps: 100, alpha: 0.1, warmup_target: 0.5, warmup_steps: 10, name: 'CosineDecay' },
    });
    assert.deepEqual((learningRateToConfig(schedules[4]!, 0) as { config: Record<string, unknown> }).config['warmup_target'], null);
    for (const s of schedules) {
      const back = learningRateFromConfig(JSON.parse(JSON.stringify(learningRateToConfig(s, 0))), 'optimizer_config.config.learning_rate') as LearningRateSchedule;
      assert.equal(back.constructor, s.constructor);
      for (const step of [0, 3, 17, 150, 999]) assert.equal(back.at(step), s.at(step), `${s.name} at ${step}`);
    }
  });

  test('a schedule of your own is written as its value at the current step; numbers stay numbers', () => {
    const custom: LearningRateSchedule = { name: 'halving', at: (step) => 0.1 / 2 ** step };
    assert.equal(learningRateToConfig(custom, 3), 0.0125);
    assert.equal(learningRateToConfig(0.01, 3), 0.01);
    assert.equal(learningRateFromConfig(0.01, 'lr'), 0.01);
  });

  test('a config Keras 3 wrote (with module and registered_name) reads; bad ones are named', () => {
    const keras = { module: 'keras.optimizers.schedules', class_name: 'PolynomialDecay', config: { initial_learning_rate: 0.1, decay_steps: 100, end_learning_rate: 0.0001, power: 1.0, cycle: false, name: 'PolynomialDecay' }, registered_name: null };
    assert.ok(Math.abs((learningRateFromConfig(keras, 'lr') as LearningRateSchedule).at(50) - 0.05005) < 1e-15);
    assert.throws(() => learningRateFromConfig({ class_name: 'OneCycle', config: {} }, 'model.json: lr'), /model\.json: lr\.class_name expected one of "ExponentialDecay"/);
    assert.throws(() => learningRateFromConfig({ class_name: 'CosineDecay', config: { initial_learning_rate: 0.1 } }, 'model.json: lr'), /model\.json: lr: CosineDecay: option 'decaySteps' expected a positive number, received undefined/);
    assert.throws(() => learningRateFromConfig('fast', 'lr'), /lr expected a number or a schedule/);
  });
});
