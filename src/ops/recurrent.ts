/**
 * The LSTM and GRU recurrences over a whole sequence as single ops, forward and backward each one kernel
 * call: what the LSTM and GRU layers run when their settings allow (tanh activation, sigmoid or hard
 * sigmoid gates, no recurrent dropout in training). The input projection x W + b comes in computed (one
 * matrix product for every step, by `linear`), and the recurrent kernel's gradient is one product of the
 * previous states with the pre-activation gradients, after the kernel; the loop over time is the kernel's.
 *
 * Sequences are [batch, steps, ...] in the order the steps run; a step whose mask is false keeps the
 * row's states. The outputs are the states after each step (the layer derives Keras's outputs from them).
 */
import type { GateActivation, SequenceInfo } from '../backend/kernels.js';
import type { Tensor } from '../tensor/tensor.js';
import { storage } from '../tensor/tensor.js';
import { ShapeError, ValueError, describe, fmtShape } from '../util/errors.js';
import { empty, fdata, floatOperand, hostFdata, k, op } from './define-op.js';
import { matmul } from './linalg.js';
import { sum } from './reduce.js';
import { concat, reshape, slice } from './shape.js';

export type { GateActivation } from '../backend/kernels.js';

export interface SequenceOptions {
  /** [batch, steps] bool: false keeps the row's states at that step. */
  mask?: Tensor | null;
  /** The gates' activation (default sigmoid). */
  recurrentActivation?: GateActivation;
}

export interface GruSequenceOptions extends SequenceOptions {
  /** Keras's default GRU: the reset gate scales h W_h + b_rh (default true). */
  resetAfter?: boolean;
}

interface Checked {
  sequence: SequenceInfo;
  mask: Uint8Array | null;
  recurrentActivation: GateActivation;
}

function check(where: string, xp: Tensor, kernel: Tensor, gates: number, states: [string, Tensor][], options: SequenceOptions): Checked {
  if (xp.rank !== 3) throw new ShapeError(`${where}: argument 'xp' expected [batch, steps, ${gates} * units], received ${fmtShape(xp.shape)}`);
  const [batch, steps, columns] = xp.shape as [number, number, number];
  const units = kernel.shape[0]!;
  if (kernel.rank !== 2 || kernel.shape[1] !== gates * units || columns !== gates * units) {
    throw new ShapeError(`${where}: argument 'recurrentKernel' expected [units, ${gates} * units] with xp [batch, steps, ${gates} * units], received ${fmtShape(kernel.shape)} and xp ${fmtShape(xp.shape)}`);
  }
  for (const [name, s] of states) {
    if (s.rank !== 2 || s.shape[0] !== batch || s.shape[1] !== units) throw new ShapeError(`${where}: argument '${name}' expected [${batch}, ${units}], received ${fmtShape(s.shape)}`);
  }
  const mask = options.mask ?? null;
  if (mask && (mask.dtype !== 'bool' || mask.rank !== 2 || mask.shape[0] !== batch || mask.shape[1] !== steps)) {
    throw new ShapeError(`${where}: option 'mask' expected bool [${batch}, ${steps}], received ${mask.dtype} ${fmtShape(mask.shape)}`);
  }
  const recurrentActivation = options.recurrentActivation ?? 'sigmoid';
  if (recurrentActivation !== 'sigmoid' && recurrentActivation !== 'hardSigmoid') {
    throw new ValueError(`${where}: option 'recurrentActivation' expected "sigmoid" or "hardSigmoid", received ${describe(recurrentActivation)}`);
  }
  return { sequence: { batch, steps, units }, mask: mask ? (storage(mask) as Uint8Array) : null, recurrentActivation };
}

/**
 * The states each step read: h0 first, then the h of every step but the last, as [batch * steps, units].
 * `hs` holds every step's h [batch, steps, units]; rows are copied whole (this runs in every backward pass).
 */
function previousStates(h0: Tensor, hs: Float32Array | Float64Array, c: Checked, dtype: Tensor['dtype']): Tensor {
  const { batch, steps, units } = c.sequence;
  const { t } = empty(dtype, [batch * steps, units]);
  const out = hostFdata('previousStates', t), first = hostFdata('previousStates', h0);
  for (let b = 0; b < batch; b++) {
    const row = b * steps * units;
    out.set(first.subarray(b * units, (b + 1) * units), row);
    out.set(hs.subarray(row, row + (steps - 1) * units), row + units);
  }
  return t;
}

/**
 * LSTM over a sequence: xp [batch, steps, 4 * units] (x W + b, gates i, f, c, o), recurrentKernel
 * [units, 4 * units], initial states h0 and c0 [batch, units]. Returns [2, batch, steps, units]: the h of
 * every step, then its c.
 */
export function lstmSequence(xp: Tensor, recurrentKernel: Tensor, h0: Tensor, c0: Tensor, options: SequenceOptions = {}): Tensor {
  const where = 'lstmSequence';
  const [x, r, h, c] = [floatOperand(where, 'xp', xp), floatOperand(where, 'recurrentKernel', recurrentKernel), floatOperand(where, 'h0', h0), floatOperand(where, 'c0', c0)];
  const s = check(where, x, r, 4, [['h0', h], ['c0', c]], options);
  const { batch, steps, units } = s.sequence;
  if (steps === 0) throw new ShapeError(`${where}: argument 'xp' holds sequences of length 0`);
  const gates = empty(x.dtype, [batch, steps, 4 * units]).t;
  const half = batch * steps * units;
  // h and c are the two halves of one tensor, so the op has one output.
  const halves = (t: Tensor) => {
    const d = hostFdata(where, t);
    return [d.subarray(0, half), d.subarray(half)] as const;
  };
  return op(
    where,
    [x, r, h, c],
    () => {
      const out = empty(x.dtype, [2, batch, steps, units]).t;
      const [hs, cs] = halves(out);
      k(x).lstmSequence({ ...s, xp: fdata(x), recurrentKernel: fdata(r), h0: fdata(h), c0: fdata(c), h: hs, c: cs, gates: fdata(gates) });
      return out;
    },
    (dy, out) => {
      let grads: { dXp: Tensor; dh0: Tensor; dc0: Tensor } | null = null;
      const all = () => {
        if (grads === null) {
          const dXp = empty(x.dtype, x.shape).t, dh0 = empty(x.dtype, h.shape).t, dc0 = empty(x.dtype, c.shape).t;
          const [dh, dc] = halves(dy), [hs, cs] = halves(out);
          k(x).lstmSequenceGrad({
            ...s, dh, dc, h: hs, c: cs, gates: fdata(gates), h0: fdata(h), c0: fdata(c), recurrentKernel: fdata(r),
            dXp: fdata(dXp), dh0: fdata(dh0), dc0: fdata(dc0),
          });
          grads = { dXp, dh0, dc0 };
        }
        return grads;
      };
      return [
        () => all().dXp,
        () => matmul(previousStates(h, halves(out)[0], s, x.dtype), reshape(all().dXp, [batch * steps, 4 * units]), { transposeA: true }),
        () => all().dh0,
        () => all().dc0,
      ];
    },
  );
}

/**
 * GRU over a sequence: xp [batch, steps, 3 * units] (x W + input bias, blocks z, r, h), recurrentKernel
 * [units, 3 * units], with resetAfter the recurrent bias [3 * units] (else null), h0 [batch, units].
 * Returns each step's h, [batch, steps, units].
 */
export function gruSequence(xp: Tensor, recurrentKernel: Tensor, recurrentBias: Tensor | null, h0: Tensor, options: GruSequenceOptions = {}): Tensor {
  const where = 'gruSequence';
  const [x, r, h] = [floatOperand(where, 'xp', xp), floatOperand(where, 'recurrentKernel', recurrentKernel), floatOperand(where, 'h0', h0)];
  const s = check(where, x, r, 3, [['h0', h]], options);
  const { batch, steps, units } = s.sequence;
  if (steps === 0) throw new ShapeError(`${where}: argument 'xp' holds sequences of length 0`);
  const resetAfter = options.resetAfter ?? true;
  const bias = recurrentBias === null ? null : floatOperand(where, 'recurrentBias', recurrentBias);
  if (bias && (!resetAfter || bias.rank !== 1 || bias.shape[0] !== 3 * units)) {
    throw new ShapeError(`${where}: argument 'recurrentBias' expected [${3 * units}] with resetAfter, received ${fmtShape(bias.shape)}${resetAfter ? '' : ' without resetAfter'}`);
  }
  const saved = empty(x.dtype, [batch, steps, 4 * units]).t;
  const inputs = bias ? [x, r, bias, h] : [x, r, h];
  return op(
    where,
    inputs,
    () => {
      const out = empty(x.dtype, [batch, steps, units]).t;
      k(x).gruSequence({ ...s, resetAfter, xp: fdata(x), recurrentKernel: fdata(r), recurrentBias: bias ? fdata(bias) : null, h0: fdata(h), out: fdata(out), saved: fdata(saved) });
      return out;
    },
    (dy, out) => {
      let grads: { dXp: Tensor; dRec: Tensor; dh0: Tensor } | null = null;
      const all = () => {
        if (grads === null) {
          const dXp = empty(x.dtype, x.shape).t, dRec = empty(x.dtype, x.shape).t, dh0 = empty(x.dtype, h.shape).t;
          k(x).gruSequenceGrad({
            ...s, resetAfter, dOut: fdata(dy), out: fdata(out), saved: fdata(saved), h0: fdata(h), recurrentKernel: fdata(r),
            dXp: fdata(dXp), dRec: fdata(dRec), dh0: fdata(dh0),
          });
          grads = { dXp, dRec, dh0 };
        }
        return grads;
      };
      const dKernel = (): Tensor => {
        const hPrev = previousStates(h, hostFdata(where, out), s, x.dtype);
        const dRec = reshape(all().dRec, [batch * steps, 3 * units]);
        if (resetAfter) return matmul(hPrev, dRec, { transposeA: true });
        // z and r read h; the candidate read r * h (saved as the fourth block).
        const resetH = reshape(slice(saved, [0, 0, 3 * units], [batch, steps, units]), [batch * steps, units]);
        return concat([
          matmul(hPrev, slice(dRec, [0, 0], [batch * steps, 2 * units]), { transposeA: true }),
          matmul(resetH, slice(dRec, [0, 2 * units], [batch * steps, units]), { transposeA: true }),
        ], 1);
      };
      const thunks = [() => all().dXp, dKernel];
      if (bias) thunks.push(() => sum(reshape(all().dRec, [batch * steps, 3 * units]), 0));
      thunks.push(() => all().dh0);
      return thunks;
    },
  );
}
