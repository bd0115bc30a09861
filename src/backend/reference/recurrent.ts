/**
 * The LSTM and GRU recurrences over a whole sequence, forward and backward, in plain loops: the oracle of
 * the fused sequence kernels. The input projection x W + b is computed before (one matrix product for
 * every step) and the recurrent kernel's gradient after (one product of the previous states with the
 * returned pre-activation gradients), so these loops hold only what must run step after step.
 *
 * Sequences are [batch, steps, ...] in the order the steps run (a layer that reads backwards reverses them
 * first). Masked steps (mask 0) keep the row's states; their gates are computed and saved all the same.
 * Gates go through `recurrentActivation` (sigmoid or TensorFlow.js's hardSigmoid), the candidate and
 * the LSTM cell output through tanh.
 */

import type { GateActivation, Kernels } from '../kernels.js';

function gate(activation: GateActivation, v: number): number {
  return activation === 'sigmoid' ? 1 / (1 + Math.exp(-v)) : Math.min(1, Math.max(0, 0.2 * v + 0.5));
}

/** The gate's derivative from its output alone. */
function gateSlope(activation: GateActivation, y: number): number {
  return activation === 'sigmoid' ? y * (1 - y) : y > 0 && y < 1 ? 0.2 : 0;
}

function lstmSequence(a: Parameters<Kernels['lstmSequence']>[0]): void {
  const { sequence: { batch, steps, units: u }, recurrentActivation: act } = a;
  const z = new Float64Array(4 * u);
  for (let b = 0; b < batch; b++) {
    for (let i = 0; i < steps; i++) {
      const at = b * steps + i;
      // The states before this step: h0 and c0, or the previous step's.
      const h = (j: number) => (i === 0 ? a.h0[b * u + j]! : a.h[(at - 1) * u + j]!);
      const c = (j: number) => (i === 0 ? a.c0[b * u + j]! : a.c[(at - 1) * u + j]!);
      const row = at * 4 * u;
      for (let n = 0; n < 4 * u; n++) {
        let s = a.xp[row + n]!;
        for (let k = 0; k < u; k++) s += h(k) * a.recurrentKernel[k * 4 * u + n]!;
        z[n] = s;
      }
      const keep = a.mask === null || a.mask[at] !== 0;
      for (let j = 0; j < u; j++) {
        const ig = gate(act, z[j]!), fg = gate(act, z[u + j]!), g = Math.tanh(z[2 * u + j]!), og = gate(act, z[3 * u + j]!);
        a.gates[row + j] = ig;
        a.gates[row + u + j] = fg;
        a.gates[row + 2 * u + j] = g;
        a.gates[row + 3 * u + j] = og;
        const cNew = fg * c(j) + ig * g;
        a.h[at * u + j] = keep ? og * Math.tanh(cNew) : h(j);
        a.c[at * u + j] = keep ? cNew : c(j);
      }
    }
  }
}

function lstmSequenceGrad(a: Parameters<Kernels['lstmSequenceGrad']>[0]): void {
  const { sequence: { batch, steps, units: u }, recurrentActivation: act } = a;
  const dh = new Float64Array(u), dc = new Float64Array(u);
  for (let b = 0; b < batch; b++) {
    dh.fill(0);
    dc.fill(0);
    for (let i = steps - 1; i >= 0; i--) {
      const at = b * steps + i, row = at * 4 * u;
      for (let j = 0; j < u; j++) {
        dh[j]! += a.dh[at * u + j]!;
        dc[j]! += a.dc[at * u + j]!;
      }
      const keep = a.mask === null || a.mask[at] !== 0;
      if (!keep) {
        // The step copied the states: their gradients pass to the step before unchanged.
        for (let n = 0; n < 4 * u; n++) a.dXp[row + n] = 0;
        continue;
      }
      for (let j = 0; j < u; j++) {
        const ig = a.gates[row + j]!, fg = a.gates[row + u + j]!, g = a.gates[row + 2 * u + j]!, og = a.gates[row + 3 * u + j]!;
        const cPrev = i === 0 ? a.c0[b * u + j]! : a.c[(at - 1) * u + j]!;
        const tc = Math.tanh(a.c[at * u + j]!);
        const dcj = dc[j]! + dh[j]! * og * (1 - tc * tc);
        a.dXp[row + j] = dcj * g * gateSlope(act, ig);
        a.dXp[row + u + j] = dcj * cPrev * gateSlope(act, fg);
        a.dXp[row + 2 * u + j] = dcj * ig * (1 - g * g);
        a.dXp[row + 3 * u + j] = dh[j]! * tc * gateSlope(act, og);
        dc[j] = dcj * fg;
      }
      for (let k = 0; k < u; k++) {
        let s = 0;
        for (let n = 0; n < 4 * u; n++) s += a.dXp[row + n]! * a.recurrentKernel[k * 4 * u + n]!;
        dh[k] = s;
      }
    }
    for (let j = 0; j < u; j++) {
      a.dh0[b * u + j] = dh[j]!;
      a.dc0[b * u + j] = dc[j]!;
    }
  }
}

function gruSequence(a: Parameters<Kernels['gruSequence']>[0]): void {
  const { sequence: { batch, steps, units: u }, recurrentActivation: act } = a;
  const inner = new Float64Array(3 * u), rh = new Float64Array(u);
  for (let b = 0; b < batch; b++) {
    for (let i = 0; i < steps; i++) {
      const prev = i === 0 ? null : (b * steps + i - 1) * u;
      const h = (j: number) => (prev === null ? a.h0[b * u + j]! : a.out[prev + j]!);
      const row = (b * steps + i) * 3 * u, sv = (b * steps + i) * 4 * u, o = (b * steps + i) * u;
      // z and r read h W (and the recurrent bias); the candidate's block depends on the form.
      const columns = a.resetAfter ? 3 * u : 2 * u;
      for (let n = 0; n < columns; n++) {
        let s = a.recurrentBias ? a.recurrentBias[n]! : 0;
        for (let k = 0; k < u; k++) s += h(k) * a.recurrentKernel[k * 3 * u + n]!;
        inner[n] = s;
      }
      for (let j = 0; j < u; j++) {
        a.saved[sv + j] = gate(act, a.xp[row + j]! + inner[j]!);
        a.saved[sv + u + j] = gate(act, a.xp[row + u + j]! + inner[u + j]!);
      }
      if (a.resetAfter) {
        for (let j = 0; j < u; j++) a.saved[sv + 3 * u + j] = inner[2 * u + j]!;
        for (let j = 0; j < u; j++) a.saved[sv + 2 * u + j] = Math.tanh(a.xp[row + 2 * u + j]! + a.saved[sv + u + j]! * inner[2 * u + j]!);
      } else {
        for (let j = 0; j < u; j++) rh[j] = a.saved[sv + u + j]! * h(j);
        for (let j = 0; j < u; j++) {
          let s = a.xp[row + 2 * u + j]!;
          for (let k = 0; k < u; k++) s += rh[k]! * a.recurrentKernel[k * 3 * u + 2 * u + j]!;
          a.saved[sv + 3 * u + j] = rh[j]!;
          a.saved[sv + 2 * u + j] = Math.tanh(s);
        }
      }
      const keep = a.mask === null || a.mask[b * steps + i] !== 0;
      for (let j = 0; j < u; j++) {
        const zg = a.saved[sv + j]!, hh = a.saved[sv + 2 * u + j]!;
        a.out[o + j] = keep ? zg * h(j) + (1 - zg) * hh : h(j);
      }
    }
  }
}


function gruSequenceGrad(a: Parameters<Kernels['gruSequenceGrad']>[0]): void {
  const { sequence: { batch, steps, units: u }, recurrentActivation: act } = a;
  const dh = new Float64Array(u), dNext = new Float64Array(u), drh = new Float64Array(u);
  for (let b = 0; b < batch; b++) {
    dh.fill(0);
    for (let i = steps - 1; i >= 0; i--) {
      const o = (b * steps + i) * u, row = (b * steps + i) * 3 * u, sv = (b * steps + i) * 4 * u;
      for (let j = 0; j < u; j++) dh[j]! += a.dOut[o + j]!;
      const keep = a.mask === null || a.mask[b * steps + i] !== 0;
      if (!keep) {
        for (let n = 0; n < 3 * u; n++) a.dXp[row + n] = a.dRec[row + n] = 0;
        continue;
      }
      const prev = i === 0 ? null : (b * steps + i - 1) * u;
      const h = (j: number) => (prev === null ? a.h0[b * u + j]! : a.out[prev + j]!);
      for (let j = 0; j < u; j++) {
        const zg = a.saved[sv + j]!, rg = a.saved[sv + u + j]!, hh = a.saved[sv + 2 * u + j]!, fourth = a.saved[sv + 3 * u + j]!;
        const dz = dh[j]! * (h(j) - hh) * gateSlope(act, zg);
        const dCandidate = dh[j]! * (1 - zg) * (1 - hh * hh);
        a.dXp[row + j] = a.dRec[row + j] = dz;
        a.dXp[row + 2 * u + j] = dCandidate;
        if (a.resetAfter) {
          // hh = tanh(x_h + r * inner_h), with inner_h saved as the fourth block.
          a.dXp[row + u + j] = a.dRec[row + u + j] = dCandidate * fourth * gateSlope(act, rg);
          a.dRec[row + 2 * u + j] = dCandidate * rg;
        } else {
          a.dRec[row + 2 * u + j] = dCandidate;
        }
        dNext[j] = dh[j]! * zg;
      }
      if (!a.resetAfter) {
        // hh = tanh(x_h + (r * h) W_h): the reset gate's gradient goes through the product.
        for (let k = 0; k < u; k++) {
          let s = 0;
          for (let j = 0; j < u; j++) s += a.dRec[row + 2 * u + j]! * a.recurrentKernel[k * 3 * u + 2 * u + j]!;
          drh[k] = s;
        }
        for (let j = 0; j < u; j++) {
          const rg = a.saved[sv + u + j]!;
          a.dXp[row + u + j] = a.dRec[row + u + j] = drh[j]! * h(j) * gateSlope(act, rg);
          dNext[j]! += drh[j]! * rg;
        }
      }
      const columns = a.resetAfter ? 3 * u : 2 * u;
      for (let k = 0; k < u; k++) {
        let s = 0;
        for (let n = 0; n < columns; n++) s += a.dRec[row + n]! * a.recurrentKernel[k * 3 * u + n]!;
        dh[k] = dNext[k]! + s;
      }
    }
    for (let j = 0; j < u; j++) a.dh0[b * u + j] = dh[j]!;
  }
}

export const recurrentKernels: Pick<Kernels, 'lstmSequence' | 'lstmSequenceGrad' | 'gruSequence' | 'gruSequenceGrad'> = {
  lstmSequence, lstmSequenceGrad, gruSequence, gruSequenceGrad,
};
