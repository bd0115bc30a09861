/**
 * Finite-difference gradient checking in float64: the analytic gradient of L = sum(f(x) * R) (R a fixed
 * random projection, so non-scalar ops are covered) against central differences.
 */
import assert from 'node:assert/strict';
import { Rng } from '../src/util/random.js';
import { storage, Tensor } from '../src/tensor/tensor.js';
import { valueAndGrad } from '../src/tensor/tape.js';
import { mul, sum } from '../src/ops/index.js';
import { tensor } from '../src/tensor/creation.js';

const rng = new Rng(1234);

/** A float64 tensor of uniform values in [low, high), kept at least `gap` away from each of `kinks`. */
export function rand(shape: number[], options: { low?: number; high?: number; kinks?: number[]; gap?: number } = {}): Tensor {
  const { low = -2, high = 2, kinks = [], gap = 0.05 } = options;
  const n = shape.reduce((a, b) => a * b, 1);
  const data = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let v: number;
    do v = rng.uniform(low, high);
    while (kinks.some((k) => Math.abs(v - k) < gap));
    data[i] = v;
  }
  return tensor(data, { shape, dtype: 'float64' });
}

export interface CheckOptions {
  /** Check along `directions` random directions instead of every coordinate (for big inputs). */
  directions?: number;
  step?: number;
  tolerance?: number;
}

export function checkGradients(f: (...xs: Tensor[]) => Tensor, inputs: Tensor[], options: CheckOptions = {}): void {
  const { step = 1e-5, tolerance = 1e-6 } = options;
  for (const x of inputs) assert.equal(x.dtype, 'float64', 'gradient checks run in float64');
  const probe = f(...inputs);
  const projection = rand([...probe.shape], { low: -1, high: 1 });
  const loss = (...xs: Tensor[]): Tensor => sum(mul(f(...xs), projection));
  const { grads } = valueAndGrad(loss)(...inputs);
  const evalAt = (i: number, delta: Float64Array): number => {
    const shifted = inputs.map((x, j) => {
      if (j !== i) return x;
      const d = (storage(x) as Float64Array).slice();
      for (let p = 0; p < d.length; p++) d[p]! += delta[p]!;
      return new Tensor(d, x.shape);
    });
    return loss(...shifted).item();
  };
  inputs.forEach((x, i) => {
    const analytic = storage(grads[i]!) as Float64Array;
    assert.deepEqual(grads[i]!.shape, x.shape, `gradient ${i} has the input's shape`);
    const n = x.size;
    const directions: Float64Array[] = [];
    if (options.directions) {
      for (let d = 0; d < options.directions; d++) directions.push(storage(rand([n], { low: -1, high: 1 })) as Float64Array);
    } else {
      for (let p = 0; p < n; p++) {
        const e = new Float64Array(n);
        e[p] = 1;
        directions.push(e);
      }
    }
    for (const dir of directions) {
      const plus = dir.map((v) => v * step);
      const minus = dir.map((v) => -v * step);
      const numeric = (evalAt(i, plus) - evalAt(i, minus)) / (2 * step);
      let exact = 0;
      for (let p = 0; p < n; p++) exact += analytic[p]! * dir[p]!;
      const scale = Math.max(1, Math.abs(numeric), Math.abs(exact));
      assert.ok(
        Math.abs(numeric - exact) <= tolerance * scale,
        `input ${i}: analytic ${exact} vs numeric ${numeric} (direction ${options.directions ? 'random' : `e${dir.indexOf(1)}`})`,
      );
    }
  });
}
