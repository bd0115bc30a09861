/**
 * Reductions in WGSL: sum, max, min and prod over the middle axis of an [outer, size, inner] view, the
 * arg-reductions, and softmax / log-softmax along rows. Where the reduced elements are contiguous
 * (inner = 1: a row, a whole tensor, softmax's last axis) a workgroup of 256 threads shares each row and
 * combines partial results in workgroup memory; otherwise one thread walks each output's column, which
 * neighbouring threads read at neighbouring addresses.
 */
import type { ReduceOp } from '../../kernels.js';
import type { GpuContext, GpuKernels, GpuTensor } from '../kernel.js';
import { dtypeOfArray } from '../kernel.js';
import { MATH, declarations, entry, groups, shader } from '../wgsl.js';

const WG = 256;
/**
 * Reductions at least this long, into at most this many outputs, share a workgroup per output; others
 * take a thread per output (enough threads already, and no barriers, which software adapters run slowly).
 */
const SHARED_FROM = 512, SHARED_OUTPUTS = 4096;

const IO = declarations([
  { name: 'x', type: 'f32', access: 'read' },
  { name: 'out', type: 'f32', access: 'write' },
]);

function initial(op: ReduceOp): string {
  switch (op) {
    case 'sum': return '0.0';
    case 'prod': return '1.0';
    case 'max': return 'inf_f(true)';
    case 'min': return 'inf_f(false)';
    default: return op satisfies never;
  }
}

/** Combines `acc` with `v` as the reference does (max/min: NaN wins). */
function combine(op: ReduceOp, acc: string, v: string): string {
  switch (op) {
    case 'sum': return `${acc} + ${v}`;
    case 'prod': return `${acc} * ${v}`;
    case 'max': return `max_f(${acc}, ${v})`;
    case 'min': return `min_f(${acc}, ${v})`;
    default: return op satisfies never;
  }
}

/** A workgroup-wide combination of each thread's `acc` into `partial[0]` (WG a power of two). */
function treeCode(op: ReduceOp | 'max'): string {
  return `
  partial[lid] = acc;
  workgroupBarrier();
  for (var s = ${WG / 2}u; s > 0u; s = s / 2u) {
    if (lid < s) { partial[lid] = ${combine(op, 'partial[lid]', 'partial[lid + s]')}; }
    workgroupBarrier();
  }`;
}

/** The row of a workgroup on a two-dimensional grid (rows may exceed 65535). */
const ROW_ENTRY = `@compute @workgroup_size(${WG})
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(local_invocation_index) lid: u32, @builtin(num_workgroups) nwg: vec3<u32>) {
  let row = wid.y * nwg.x + wid.x;`;

export const reduceKernels: GpuKernels = {
  reduce: {
    run(gpu, { x, out, op, reduction: { outer, size, inner } }) {
      if (outer * inner === 0) return;
      if (size >= SHARED_FROM && outer * inner <= SHARED_OUTPUTS) {
        // A workgroup per output: its threads stride over the reduced elements (at distance `inner`).
        const s = shader(`reduce:shared:${op}`, ['read', 'write'], () => `${IO}\n${MATH}
var<workgroup> partial: array<f32, ${WG}>;
${ROW_ENTRY}
  let size = P(1u);
  let inner = P(2u);
  // The output index is uniform across the workgroup, so every thread reaches the barriers.
  var acc = ${initial(op)};
  if (row < P(0u) * inner) {
    let base = (row / inner) * size * inner + row % inner;
    for (var r = lid; r < size; r = r + ${WG}u) { acc = ${combine(op, 'acc', 'x[base + r * inner]')}; }
  }
  ${treeCode(op)}
  if (lid == 0u && row < P(0u) * inner) { out[row] = partial[0]; }
}`);
        gpu.dispatch(s, [x, out], (p) => {
          p.u32(0, outer);
          p.u32(1, size);
          p.u32(2, inner);
        }, groups(outer * inner, 1));
        return;
      }
      const s = shader(`reduce:columns:${op}`, ['read', 'write'], () =>
        `${IO}\n${MATH}\n${entry('P(0u) * P(2u)', `  let inner = P(2u);
  let o = i / inner;
  let j = i % inner;
  let base = o * P(1u) * inner + j;
  var acc = ${initial(op)};
  for (var r = 0u; r < P(1u); r = r + 1u) { acc = ${combine(op, 'acc', 'x[base + r * inner]')}; }
  out[i] = acc;`)}`,
      );
      gpu.dispatch(s, [x, out], (p) => {
        p.u32(0, outer);
        p.u32(1, size);
        p.u32(2, inner);
      }, groups(outer * inner));
    },
  },
  argReduce: {
    accepts: (a) => dtypeOfArray(a.x) === 'float32',
    run(gpu, { x, out, op, reduction: { outer, size, inner } }) {
      if (outer * inner === 0) return;
      const better = op === 'argmax' ? '>' : '<';
      const s = shader(`argReduce:${op}`, ['read', 'write'], () =>
        `${declarations([
          { name: 'x', type: 'f32', access: 'read' },
          { name: 'out', type: 'i32', access: 'write' },
        ])}\n${MATH}\n${entry('P(0u) * P(2u)', `  let inner = P(2u);
  let o = i / inner;
  let j = i % inner;
  let base = o * P(1u) * inner + j;
  var best = 0u;
  var bestValue = x[base];
  for (var r = 1u; r < P(1u); r = r + 1u) {
    if (is_nan(bestValue)) { break; }
    let v = x[base + r * inner];
    if (is_nan(v) || v ${better} bestValue) {
      best = r;
      bestValue = v;
    }
  }
  out[i] = i32(best);`)}`,
      );
      gpu.dispatch(s, [x, out], (p) => {
        p.u32(0, outer);
        p.u32(1, size);
        p.u32(2, inner);
      }, groups(outer * inner));
    },
  },
  softmax: {
    run(gpu, { x, out, rows, cols }) {
      runSoftmax(gpu, x, out, rows, cols, false);
    },
  },
  logSoftmax: {
    run(gpu, { x, out, rows, cols }) {
      runSoftmax(gpu, x, out, rows, cols, true);
    },
  },
};

/** Rows at least this long get a workgroup each; shorter ones (class scores) a thread each. */
const SHARED_COLS = 1024;

function runSoftmax(gpu: GpuContext, x: GpuTensor, out: GpuTensor, rows: number, cols: number, log: boolean): void {
  if (rows * cols === 0) return;
  const shared = cols >= SHARED_COLS;
  gpu.dispatch(shared ? softmaxShader(log) : softmaxRowShader(log), [x, out], (p) => {
    p.u32(0, rows);
    p.u32(1, cols);
  }, shared ? groups(rows, 1) : groups(rows));
}

/** Softmax (or log-softmax) with a thread per row. */
function softmaxRowShader(log: boolean) {
  return shader(log ? 'logSoftmax:row' : 'softmax:row', ['read', 'write'], () => `${IO}\n${MATH}\n${entry('P(0u)', `  let cols = P(1u);
  let base = i * cols;
  var m = inf_f(true);
  for (var j = 0u; j < cols; j = j + 1u) { m = max_f(m, x[base + j]); }
  var total = 0.0;
  for (var j = 0u; j < cols; j = j + 1u) { total = total + exp_f(x[base + j] - m); }
  ${log ? '// (x - m) - log(total): x - m is exact near the maximum, where the result is small.\n    let lt = log1p_f(total - 1.0);' : ''}
  for (var j = 0u; j < cols; j = j + 1u) {
    ${log ? 'out[base + j] = (x[base + j] - m) - lt;' : 'out[base + j] = exp_f(x[base + j] - m) / total;'}
  }`)}`);
}

/** Softmax (or log-softmax) of each row, stable for large inputs: the row's maximum is subtracted first. */
function softmaxShader(log: boolean) {
  return shader(log ? 'logSoftmax' : 'softmax', ['read', 'write'], () => `${IO}\n${MATH}
var<workgroup> partial: array<f32, ${WG}>;
${ROW_ENTRY}
  let cols = P(1u);
  let live = row < P(0u);
  let base = row * cols;
  var acc = inf_f(true);
  if (live) {
    for (var j = lid; j < cols; j = j + ${WG}u) { acc = max_f(acc, x[base + j]); }
  }
  ${treeCode('max')}
  let m = partial[0];
  workgroupBarrier();
  acc = 0.0;
  if (live) {
    for (var j = lid; j < cols; j = j + ${WG}u) { acc = acc + exp_f(x[base + j] - m); }
  }
  ${treeCode('sum')}
  let total = partial[0];
  if (live) {
    ${log ? '// (x - m) - log(total): x - m is exact near the maximum, where the result is small.\n    let lt = log1p_f(total - 1.0);' : ''}
    for (var j = lid; j < cols; j = j + ${WG}u) {
      ${log ? 'out[base + j] = (x[base + j] - m) - lt;' : 'out[base + j] = exp_f(x[base + j] - m) / total;'}
    }
  }
}`);
}
