/**
 * Recurrent layers written out in plain numbers, for tests: the equations of Keras's SimpleRNN, LSTM and
 * GRU cells (both GRU forms) and of its masked time loop, in float64 loops over arrays, sharing nothing
 * with the layers' own code, so that the layers' numbers can be checked against them.
 */

export type Matrix = number[][];

export type ReferenceKind = 'simpleRNN' | 'lstm' | 'gru' | 'gruResetAfter';

export interface ReferenceWeights {
  kernel: Matrix;
  recurrentKernel: Matrix;
  /** [G * units], or [2][3 * units] for gruResetAfter; zeros when absent. */
  bias?: number[] | Matrix;
}

export interface ReferenceOptions {
  activation?: (v: number) => number;
  recurrentActivation?: (v: number) => number;
  goBackwards?: boolean;
  returnSequences?: boolean;
  zeroOutputForMask?: boolean;
  /** [batch][timesteps] booleans. */
  mask?: boolean[][];
  /** Per state, [batch][units]. */
  initialState?: Matrix[];
}

export const sigmoid = (v: number): number => 1 / (1 + Math.exp(-v));

/** row @ m: m has as many rows as row has entries. */
function times(row: readonly number[], m: Matrix): number[] {
  const out = new Array<number>(m[0]!.length).fill(0);
  row.forEach((r, i) => m[i]!.forEach((v, j) => (out[j]! += r * v)));
  return out;
}

function plus(a: readonly number[], b: readonly number[]): number[] {
  return a.map((v, i) => v + b[i]!);
}

function step(kind: ReferenceKind, w: ReferenceWeights, x: readonly number[], states: number[][], o: Required<Pick<ReferenceOptions, 'activation' | 'recurrentActivation'>>): number[][] {
  const units = w.recurrentKernel.length;
  const act = o.activation, rec = o.recurrentActivation;
  const h = states[0]!;
  const part = (v: readonly number[], k: number) => v.slice(k * units, (k + 1) * units);
  if (kind === 'gruResetAfter') {
    const [bi, br] = (w.bias as Matrix | undefined) ?? [new Array(3 * units).fill(0), new Array(3 * units).fill(0)];
    const xz = plus(times(x, w.kernel), bi!);
    const inner = plus(times(h, w.recurrentKernel), br!);
    const z = plus(part(xz, 0), part(inner, 0)).map(rec);
    const r = plus(part(xz, 1), part(inner, 1)).map(rec);
    const hh = part(xz, 2).map((v, j) => act(v + r[j]! * part(inner, 2)[j]!));
    return [h.map((v, j) => z[j]! * v + (1 - z[j]!) * hh[j]!)];
  }
  const bias = (w.bias as number[] | undefined) ?? new Array(w.kernel[0]!.length).fill(0);
  const xz = plus(times(x, w.kernel), bias);
  if (kind === 'simpleRNN') return [plus(xz, times(h, w.recurrentKernel)).map(act)];
  if (kind === 'lstm') {
    const zz = plus(xz, times(h, w.recurrentKernel));
    const [i, f, g, out] = [0, 1, 2, 3].map((k) => part(zz, k));
    const c = states[1]!.map((cv, j) => rec(f![j]!) * cv + rec(i![j]!) * act(g![j]!));
    return [c.map((cv, j) => rec(out![j]!) * act(cv)), c];
  }
  // GRU, reset before the recurrent product (TensorFlow.js's form).
  const recZ = w.recurrentKernel.map((row) => row.slice(0, units));
  const recR = w.recurrentKernel.map((row) => row.slice(units, 2 * units));
  const recH = w.recurrentKernel.map((row) => row.slice(2 * units));
  const z = plus(part(xz, 0), times(h, recZ)).map(rec);
  const r = plus(part(xz, 1), times(h, recR)).map(rec);
  const hh = plus(part(xz, 2), times(h.map((v, j) => v * r[j]!), recH)).map(act);
  return [h.map((v, j) => z[j]! * v + (1 - z[j]!) * hh[j]!)];
}

/**
 * Runs a layer over x [batch][timesteps][features] as Keras does: masked steps keep the states and
 * repeat the last output (zeros before any, or always with zeroOutputForMask). Returns the output
 * (sequence or last) and the final states.
 */
export function referenceRNN(kind: ReferenceKind, w: ReferenceWeights, x: number[][][], options: ReferenceOptions = {}): { output: number[][] | number[][][]; states: Matrix[] } {
  const units = w.recurrentKernel.length;
  const o = { activation: options.activation ?? Math.tanh, recurrentActivation: options.recurrentActivation ?? sigmoid };
  const stateCount = kind === 'lstm' ? 2 : 1;
  const sequences: number[][][] = [];
  const finals: Matrix[] = Array.from({ length: stateCount }, () => []);
  x.forEach((sample, b) => {
    let states = Array.from({ length: stateCount }, (_, k) => [...(options.initialState?.[k]?.[b] ?? new Array(units).fill(0))]);
    let last = new Array<number>(units).fill(0);
    const outputs: number[][] = [];
    const steps = sample.map((_, t) => (options.goBackwards ? sample.length - 1 - t : t));
    for (const t of steps) {
      const keep = options.mask ? options.mask[b]![t]! : true;
      const next = step(kind, w, sample[t]!, states, o);
      if (keep) {
        states = next;
        last = next[0]!;
      } else if (options.zeroOutputForMask) {
        last = new Array(units).fill(0);
      }
      outputs.push([...last]);
    }
    sequences.push(outputs);
    states.forEach((s, k) => finals[k]!.push(s));
  });
  return { output: options.returnSequences ? sequences : sequences.map((s) => s[s.length - 1]!), states: finals };
}
