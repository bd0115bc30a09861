/**
 * Map functions for the datasets' tests and benchmark, exported from a module so worker threads can import
 * them by URL (functions cannot be sent to a worker).
 */
import { randomUniform } from '../tensor/creation.js';
import { Tensor, storage } from '../tensor/tensor.js';
import { ValueError } from '../util/errors.js';

/** x -> { x: x * 2 + 1, y: the sum of x }: checkable by hand. */
export function affine(sample: { x: Tensor }): { x: Tensor; y: number } {
  const src = storage(sample.x);
  const out = new Float32Array(src.length);
  let sum = 0;
  for (let i = 0; i < src.length; i++) {
    out[i] = src[i]! * 2 + 1;
    sum += src[i]!;
  }
  return { x: new Tensor(out, sample.x.shape), y: sum };
}

/** Adds noise from the library's generator: the same per sample whichever worker runs it. */
export function noisy(x: Tensor): Tensor {
  const noise = storage(randomUniform(x.shape));
  const src = storage(x);
  const out = new Float32Array(src.length);
  for (let i = 0; i < src.length; i++) out[i] = src[i]! + noise[i]!;
  return new Tensor(out, x.shape);
}

/** Fails on a sample whose first value is negative. */
export function failOnNegative(x: Tensor): Tensor {
  if (storage(x)[0]! < 0) throw new ValueError(`negative value ${storage(x)[0]}`);
  return x;
}

/**
 * A CPU-heavy map: `rounds` passes of a small recurrence over every value (about rounds × size × 3 flops),
 * standing in for decoding or augmentation in the benchmark.
 */
export function heavy(x: Tensor, rounds = 200): Tensor {
  const src = storage(x);
  const out = new Float32Array(src.length);
  for (let i = 0; i < src.length; i++) {
    let v = src[i]!;
    for (let r = 0; r < rounds; r++) v = Math.sin(v * 1.0001 + r) * 0.5 + v * 0.5;
    out[i] = v;
  }
  return new Tensor(out, x.shape);
}

/** Not a function: worker maps must refuse it. */
export const notAFunction = 42;
