/**
 * The LSTM and GRU recurrences over a whole sequence (src/backend/reference/recurrent.ts is their oracle).
 * Units are rows of the batch: rows are independent, so a chunk runs every step for its own rows and
 * threads never wait for each other between steps. Per step the recurrent product of the chunk's rows is
 * one gemmRows call (its A operand read in place from the states, strided by the sequence), then the gates
 * follow in one vector pass per row. Each thread's scratch is gemmScratchBytes() for the products, then
 * RECURRENT_FLOATS_PER_ROW floats per row of its largest chunk.
 */
import { GateActivation, GruSequenceArgs, GruSequenceGradArgs, LstmSequenceArgs, LstmSequenceGradArgs } from '../generated/kernels';
import { LINEAR } from './activation';
import { gemmRows, gemmScratchBytes, useMatrixA } from './gemm';
import { ld, st } from './lanes';
import { vsigmoid, vtanh } from './vmath';

/** A gate's activation: sigmoid, or TensorFlow.js's hard sigmoid clip(0.2 z + 0.5, 0, 1). */
@inline function gate(z: v128, hard: bool): v128 {
  if (!hard) return vsigmoid(z);
  return f32x4.min(f32x4.max(f32x4.add(f32x4.mul(z, f32x4.splat(0.2)), f32x4.splat(0.5)), f32x4.splat(0)), f32x4.splat(1));
}

/** The gate's derivative from its output alone. */
@inline function gateSlope(y: v128, hard: bool): v128 {
  if (!hard) return f32x4.mul(y, f32x4.sub(f32x4.splat(1), y));
  return v128.and(f32x4.splat(0.2), v128.and(f32x4.gt(y, f32x4.splat(0)), f32x4.lt(y, f32x4.splat(1))));
}

/** 1 - y * y, the derivative of tanh from its output. */
@inline function tanhSlope(y: v128): v128 {
  return f32x4.sub(f32x4.splat(1), f32x4.mul(y, y));
}

@inline function f(p: usize, index: i32): usize {
  return p + <usize>index * 4;
}

@inline function zeroFloats(p: usize, count: i32): void {
  memory.fill(p, 0, <usize>count * 4);
}

@inline function keeps(mask: usize, at: i32): bool {
  return mask == 0 || load<u8>(mask + <usize>at) != 0;
}

/** The four LSTM gates and new states of lanes [j, j + 4) (or lane j alone) of one row. */
@inline function lstmLanes(
  xp: usize, z: usize, hPrev: usize, cPrev: usize, gates: usize, h: usize, c: usize, u: i32, j: i32, keep: bool, hard: bool, full: bool,
): void {
  const ig = gate(f32x4.add(ld(f(z, j), full), ld(f(xp, j), full)), hard);
  const fg = gate(f32x4.add(ld(f(z, u + j), full), ld(f(xp, u + j), full)), hard);
  const cand = vtanh(f32x4.add(ld(f(z, 2 * u + j), full), ld(f(xp, 2 * u + j), full)));
  const og = gate(f32x4.add(ld(f(z, 3 * u + j), full), ld(f(xp, 3 * u + j), full)), hard);
  st(f(gates, j), ig, full);
  st(f(gates, u + j), fg, full);
  st(f(gates, 2 * u + j), cand, full);
  st(f(gates, 3 * u + j), og, full);
  const cv = ld(f(cPrev, j), full);
  const cn = f32x4.add(f32x4.mul(fg, cv), f32x4.mul(ig, cand));
  st(f(h, j), keep ? f32x4.mul(og, vtanh(cn)) : ld(f(hPrev, j), full), full);
  st(f(c, j), keep ? cn : cv, full);
}

/** Rows [start, end): per step z = h_prev W_rec (one product), then the gates and the states. */
export function lstmSequence(a: LstmSequenceArgs, start: i32, end: i32, scratch: usize): void {
  const steps = a.sequence.steps, u = a.sequence.units, g4 = 4 * u, rows = end - start;
  if (steps == 0 || u == 0 || rows <= 0) return;
  const hard = a.recurrentActivation == GateActivation.HardSigmoid;
  const z = scratch + <usize>gemmScratchBytes();
  for (let i = 0; i < steps; i++) {
    // The states before this step: h0 and c0 (rows u apart), or the previous step's (steps * u apart).
    const stride = i == 0 ? u : steps * u;
    const hp = i == 0 ? f(a.h0, start * u) : f(a.h, (start * steps + i - 1) * u);
    const cp = i == 0 ? f(a.c0, start * u) : f(a.c, (start * steps + i - 1) * u);
    useMatrixA(hp, stride, 1);
    gemmRows(a.recurrentKernel, g4, 1, z, g4, 0, rows, 0, u, 0, LINEAR, 0, scratch);
    for (let r = 0; r < rows; r++) {
      const at = (start + r) * steps + i;
      const xp = f(a.xp, at * g4), zr = f(z, r * g4), hPrev = f(hp, r * stride), cPrev = f(cp, r * stride);
      const gates = f(a.gates, at * g4), h = f(a.h, at * u), c = f(a.c, at * u);
      const keep = keeps(a.mask, at);
      let j = 0;
      for (; j + 4 <= u; j += 4) lstmLanes(xp, zr, hPrev, cPrev, gates, h, c, u, j, keep, hard, true);
      for (; j < u; j++) lstmLanes(xp, zr, hPrev, cPrev, gates, h, c, u, j, keep, hard, false);
    }
  }
}

/** One step's pre-activation gradients of lanes [j, j + 4) of one row, and the cell-state gradient it passes back. */
@inline function lstmGradLanes(
  dh: usize, dc: usize, dhIn: usize, dcIn: usize, gates: usize, c: usize, cPrev: usize, dxp: usize, u: i32, j: i32, hard: bool, full: bool,
): void {
  const vdh = f32x4.add(ld(f(dh, j), full), ld(f(dhIn, j), full));
  const ig = ld(f(gates, j), full), fg = ld(f(gates, u + j), full), cand = ld(f(gates, 2 * u + j), full), og = ld(f(gates, 3 * u + j), full);
  const tc = vtanh(ld(f(c, j), full));
  const dcj = f32x4.add(f32x4.add(ld(f(dc, j), full), ld(f(dcIn, j), full)), f32x4.mul(f32x4.mul(vdh, og), tanhSlope(tc)));
  st(f(dxp, j), f32x4.mul(f32x4.mul(dcj, cand), gateSlope(ig, hard)), full);
  st(f(dxp, u + j), f32x4.mul(f32x4.mul(dcj, ld(f(cPrev, j), full)), gateSlope(fg, hard)), full);
  st(f(dxp, 2 * u + j), f32x4.mul(f32x4.mul(dcj, ig), tanhSlope(cand)), full);
  st(f(dxp, 3 * u + j), f32x4.mul(f32x4.mul(vdh, tc), gateSlope(og, hard)), full);
  st(f(dc, j), f32x4.mul(dcj, fg), full);
}

/**
 * Rows [start, end), backwards through the steps: each step's pre-activation gradients (written to dXp),
 * then the state gradient of the step before as one product of them with W_rec transposed. A masked step
 * copied its states, so their gradients pass through it unchanged.
 */
export function lstmSequenceGrad(a: LstmSequenceGradArgs, start: i32, end: i32, scratch: usize): void {
  const steps = a.sequence.steps, u = a.sequence.units, g4 = 4 * u, rows = end - start;
  if (rows <= 0) return;
  // Per row of the chunk: dh, dc, and the product's new dh.
  const dh = scratch + <usize>gemmScratchBytes(), dc = f(dh, rows * u), next = f(dc, rows * u);
  zeroFloats(dh, 2 * rows * u);
  const hard = a.recurrentActivation == GateActivation.HardSigmoid;
  for (let i = steps - 1; i >= 0 && u > 0; i--) {
    for (let r = 0; r < rows; r++) {
      const b = start + r, at = b * steps + i;
      const dhr = f(dh, r * u), dcr = f(dc, r * u), dhIn = f(a.dh, at * u), dcIn = f(a.dc, at * u), dxp = f(a.dXp, at * g4);
      if (!keeps(a.mask, at)) {
        for (let j = 0; j < u; j++) {
          store<f32>(f(dhr, j), load<f32>(f(dhr, j)) + load<f32>(f(dhIn, j)));
          store<f32>(f(dcr, j), load<f32>(f(dcr, j)) + load<f32>(f(dcIn, j)));
        }
        zeroFloats(dxp, g4);
        continue;
      }
      const gates = f(a.gates, at * g4), c = f(a.c, at * u), cPrev = i == 0 ? f(a.c0, b * u) : f(a.c, (at - 1) * u);
      let j = 0;
      for (; j + 4 <= u; j += 4) lstmGradLanes(dhr, dcr, dhIn, dcIn, gates, c, cPrev, dxp, u, j, hard, true);
      for (; j < u; j++) lstmGradLanes(dhr, dcr, dhIn, dcIn, gates, c, cPrev, dxp, u, j, hard, false);
    }
    // dh_prev = dXp W_rec^T, reading this step's rows of dXp in place (op(B)[p, j] = W_rec[j, p]).
    useMatrixA(f(a.dXp, (start * steps + i) * g4), steps * g4, 1);
    gemmRows(a.recurrentKernel, 1, g4, next, u, 0, rows, 0, g4, 0, LINEAR, 0, scratch);
    for (let r = 0; r < rows; r++) {
      if (keeps(a.mask, (start + r) * steps + i)) memory.copy(f(dh, r * u), f(next, r * u), <usize>u * 4);
    }
  }
  memory.copy(f(a.dh0, start * u), dh, <usize>(rows * u) * 4);
  memory.copy(f(a.dc0, start * u), dc, <usize>(rows * u) * 4);
}

/** The recurrent bias of block `block` at lanes [j, j + 4), or zero without one. */
@inline function biasAt(bias: usize, u: i32, block: i32, j: i32, full: bool): v128 {
  return bias != 0 ? ld(f(bias, block * u + j), full) : f32x4.splat(0);
}

/** The GRU's z and r gates of lanes [j, j + 4), and with resetAfter the candidate (else the r * h it reads). */
@inline function gruGateLanes(
  xp: usize, inner: usize, bias: usize, hPrev: usize, saved: usize, u: i32, j: i32, after: bool, hard: bool, full: bool,
): void {
  const zg = gate(f32x4.add(f32x4.add(ld(f(xp, j), full), ld(f(inner, j), full)), biasAt(bias, u, 0, j, full)), hard);
  const rg = gate(f32x4.add(f32x4.add(ld(f(xp, u + j), full), ld(f(inner, u + j), full)), biasAt(bias, u, 1, j, full)), hard);
  st(f(saved, j), zg, full);
  st(f(saved, u + j), rg, full);
  if (after) {
    const ih = f32x4.add(ld(f(inner, 2 * u + j), full), biasAt(bias, u, 2, j, full));
    st(f(saved, 3 * u + j), ih, full);
    st(f(saved, 2 * u + j), vtanh(f32x4.add(ld(f(xp, 2 * u + j), full), f32x4.mul(rg, ih))), full);
  } else {
    st(f(saved, 3 * u + j), f32x4.mul(rg, ld(f(hPrev, j), full)), full);
  }
}

/** The new state of lanes [j, j + 4); without resetAfter the candidate first, from its product `cand`. */
@inline function gruStateLanes(
  xp: usize, cand: usize, hPrev: usize, saved: usize, out: usize, u: i32, j: i32, after: bool, keep: bool, full: bool,
): void {
  if (!after) st(f(saved, 2 * u + j), vtanh(f32x4.add(ld(f(xp, 2 * u + j), full), ld(f(cand, j), full))), full);
  const zg = ld(f(saved, j), full), hh = ld(f(saved, 2 * u + j), full), h = ld(f(hPrev, j), full);
  st(f(out, j), keep ? f32x4.add(f32x4.mul(zg, f32x4.sub(h, hh)), hh) : h, full);
}

/**
 * Rows [start, end). Per step, with resetAfter one product gives h_prev W_rec for all three blocks;
 * without it, z and r read h_prev W_zr and the candidate (r * h_prev) W_h, a second product.
 */
export function gruSequence(a: GruSequenceArgs, start: i32, end: i32, scratch: usize): void {
  const steps = a.sequence.steps, u = a.sequence.units, g3 = 3 * u, rows = end - start;
  if (steps == 0 || u == 0 || rows <= 0) return;
  const hard = a.recurrentActivation == GateActivation.HardSigmoid, after = a.resetAfter != 0;
  const first = after ? g3 : 2 * u;
  // Per row of the chunk: the first product [first], the candidate's [u].
  const inner = scratch + <usize>gemmScratchBytes(), cand = f(inner, rows * first);
  for (let i = 0; i < steps; i++) {
    const hs = i == 0 ? u : steps * u;
    const hp = i == 0 ? f(a.h0, start * u) : f(a.out, (start * steps + i - 1) * u);
    useMatrixA(hp, hs, 1);
    gemmRows(a.recurrentKernel, g3, 1, inner, first, 0, rows, 0, u, 0, LINEAR, 0, scratch);
    for (let r = 0; r < rows; r++) {
      const at = (start + r) * steps + i;
      const xp = f(a.xp, at * g3), in_ = f(inner, r * first), hPrev = f(hp, r * hs), saved = f(a.saved, at * 4 * u);
      let j = 0;
      for (; j + 4 <= u; j += 4) gruGateLanes(xp, in_, a.recurrentBias, hPrev, saved, u, j, after, hard, true);
      for (; j < u; j++) gruGateLanes(xp, in_, a.recurrentBias, hPrev, saved, u, j, after, hard, false);
    }
    if (!after) {
      // (r * h_prev) W_h, reading the r * h just saved in place.
      useMatrixA(f(a.saved, (start * steps + i) * 4 * u + 3 * u), steps * 4 * u, 1);
      gemmRows(f(a.recurrentKernel, 2 * u), g3, 1, cand, u, 0, rows, 0, u, 0, LINEAR, 0, scratch);
    }
    for (let r = 0; r < rows; r++) {
      const at = (start + r) * steps + i;
      const xp = f(a.xp, at * g3), cr = f(cand, r * u), hPrev = f(hp, r * hs), saved = f(a.saved, at * 4 * u), out = f(a.out, at * u);
      const keep = keeps(a.mask, at);
      let j = 0;
      for (; j + 4 <= u; j += 4) gruStateLanes(xp, cr, hPrev, saved, out, u, j, after, keep, true);
      for (; j < u; j++) gruStateLanes(xp, cr, hPrev, saved, out, u, j, after, keep, false);
    }
  }
}

/** One step's gradients of lanes [j, j + 4): of z, of the candidate, with resetAfter of r; the direct part of dh_prev. */
@inline function gruGradLanes(
  dh: usize, next: usize, hPrev: usize, saved: usize, dxp: usize, dRec: usize, u: i32, j: i32, after: bool, hard: bool, full: bool,
): void {
  const vdh = ld(f(dh, j), full), zg = ld(f(saved, j), full), hh = ld(f(saved, 2 * u + j), full);
  const dz = f32x4.mul(f32x4.mul(vdh, f32x4.sub(ld(f(hPrev, j), full), hh)), gateSlope(zg, hard));
  const dcand = f32x4.mul(f32x4.mul(vdh, f32x4.sub(f32x4.splat(1), zg)), tanhSlope(hh));
  st(f(dxp, j), dz, full);
  st(f(dRec, j), dz, full);
  st(f(dxp, 2 * u + j), dcand, full);
  st(f(next, j), f32x4.mul(vdh, zg), full);
  if (after) {
    const rg = ld(f(saved, u + j), full);
    const dr = f32x4.mul(f32x4.mul(dcand, ld(f(saved, 3 * u + j), full)), gateSlope(rg, hard));
    st(f(dxp, u + j), dr, full);
    st(f(dRec, u + j), dr, full);
    st(f(dRec, 2 * u + j), f32x4.mul(dcand, rg), full);
  } else {
    st(f(dRec, 2 * u + j), dcand, full);
  }
}

/** Without resetAfter: r's gradient and h_prev's share through the reset, from d(r * h_prev) = `drh`. */
@inline function gruResetLanes(
  drh: usize, next: usize, hPrev: usize, saved: usize, dxp: usize, dRec: usize, u: i32, j: i32, hard: bool, full: bool,
): void {
  const rg = ld(f(saved, u + j), full), g = ld(f(drh, j), full);
  const dr = f32x4.mul(f32x4.mul(g, ld(f(hPrev, j), full)), gateSlope(rg, hard));
  st(f(dxp, u + j), dr, full);
  st(f(dRec, u + j), dr, full);
  st(f(next, j), f32x4.add(f32x4.mul(g, rg), ld(f(next, j), full)), full);
}

/** Rows [start, end), backwards through the steps; dh_prev = the direct part + dRec's products with W_rec^T. */
export function gruSequenceGrad(a: GruSequenceGradArgs, start: i32, end: i32, scratch: usize): void {
  const steps = a.sequence.steps, u = a.sequence.units, g3 = 3 * u, rows = end - start;
  if (rows <= 0) return;
  const hard = a.recurrentActivation == GateActivation.HardSigmoid, after = a.resetAfter != 0;
  const first = after ? g3 : 2 * u;
  // Per row of the chunk: dh, the direct part of the next dh, and the two products' results.
  const dh = scratch + <usize>gemmScratchBytes(), next = f(dh, rows * u), product = f(next, rows * u), drh = f(product, rows * u);
  zeroFloats(dh, rows * u);
  for (let i = steps - 1; i >= 0 && u > 0; i--) {
    const stepRows = (start * steps + i) * g3;
    for (let r = 0; r < rows; r++) {
      const b = start + r, at = b * steps + i;
      const dhr = f(dh, r * u), dOut = f(a.dOut, at * u), dxp = f(a.dXp, at * g3), dRec = f(a.dRec, at * g3);
      for (let j = 0; j < u; j++) store<f32>(f(dhr, j), load<f32>(f(dhr, j)) + load<f32>(f(dOut, j)));
      if (!keeps(a.mask, at)) {
        zeroFloats(dxp, g3);
        zeroFloats(dRec, g3);
        continue;
      }
      const saved = f(a.saved, at * 4 * u), hPrev = i == 0 ? f(a.h0, b * u) : f(a.out, (at - 1) * u), nr = f(next, r * u);
      let j = 0;
      for (; j + 4 <= u; j += 4) gruGradLanes(dhr, nr, hPrev, saved, dxp, dRec, u, j, after, hard, true);
      for (; j < u; j++) gruGradLanes(dhr, nr, hPrev, saved, dxp, dRec, u, j, after, hard, false);
    }
    if (!after) {
      // d(r * h_prev) = dcand W_h^T, reading the candidate's block of dRec in place.
      useMatrixA(f(a.dRec, stepRows + 2 * u), steps * g3, 1);
      gemmRows(f(a.recurrentKernel, 2 * u), 1, g3, drh, u, 0, rows, 0, u, 0, LINEAR, 0, scratch);
      for (let r = 0; r < rows; r++) {
        const b = start + r, at = b * steps + i;
        if (!keeps(a.mask, at)) continue;
        const saved = f(a.saved, at * 4 * u), hPrev = i == 0 ? f(a.h0, b * u) : f(a.out, (at - 1) * u);
        const dr = f(drh, r * u), nr = f(next, r * u), dxp = f(a.dXp, at * g3), dRec = f(a.dRec, at * g3);
        let j = 0;
        for (; j + 4 <= u; j += 4) gruResetLanes(dr, nr, hPrev, saved, dxp, dRec, u, j, hard, true);
        for (; j < u; j++) gruResetLanes(dr, nr, hPrev, saved, dxp, dRec, u, j, hard, false);
      }
    }
    useMatrixA(f(a.dRec, stepRows), steps * g3, 1);
    gemmRows(a.recurrentKernel, 1, g3, product, u, 0, rows, 0, first, 0, LINEAR, 0, scratch);
    for (let r = 0; r < rows; r++) {
      if (!keeps(a.mask, (start + r) * steps + i)) continue;
      const dhr = f(dh, r * u), nr = f(next, r * u), pr = f(product, r * u);
      let j = 0;
      for (; j + 4 <= u; j += 4) v128.store(f(dhr, j), f32x4.add(v128.load(f(nr, j)), v128.load(f(pr, j))));
      for (; j < u; j++) store<f32>(f(dhr, j), load<f32>(f(nr, j)) + load<f32>(f(pr, j)));
    }
  }
  memory.copy(f(a.dh0, start * u), dh, <usize>(rows * u) * 4);
}
