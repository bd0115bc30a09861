/**
 * Batched matrix product with the fused bias + activation epilogue, tiled for GPUs: a workgroup of
 * 16 x 16 threads computes a 64 x 64 block of the output, each thread 4 x 4 outputs spaced 16 apart
 * (so that neighbouring threads read neighbouring words of workgroup memory and write neighbouring
 * outputs), over slices of 16 along k staged in workgroup memory. Transposed operands are read in
 * place: the layout is part of the shader's key, so each combination compiles once.
 */
import type { GpuKernels } from '../kernel.js';
import { dtypeOfArray } from '../kernel.js';
import { MATH, declarations, shader } from '../wgsl.js';
import { epilogueCode, writeEpilogue } from './epilogue.js';

const TILE = 64;
const TK = 16;
const MAX_GROUPS = 65535;

// Parameter words.
const M = 0, N = 1, K = 2, A_STRIDE = 3, B_STRIDE = 4, EPILOGUE = 5;

function matmulCode(transA: boolean, transB: boolean): string {
  // Staging: element `e` of a thread's share of a tile maps to (row of the tile, k) so that consecutive
  // threads read consecutive addresses of the stored matrix.
  const loadA = transA
    ? 'let p = idx / TS; let r = idx % TS; let gi = row0 + r; let gp = k0 + p; if (gi < M && gp < K) { v = a[aBase + gp * M + gi]; }'
    : 'let r = idx / TK; let p = idx % TK; let gi = row0 + r; let gp = k0 + p; if (gi < M && gp < K) { v = a[aBase + gi * K + gp]; }';
  const loadB = transB
    ? 'let c = idx / TK; let p = idx % TK; let gj = col0 + c; let gp = k0 + p; if (gj < N && gp < K) { v = b[bBase + gj * K + gp]; }'
    : 'let p = idx / TS; let c = idx % TS; let gj = col0 + c; let gp = k0 + p; if (gj < N && gp < K) { v = b[bBase + gp * N + gj]; }';
  return `
${declarations([
  { name: 'a', type: 'f32', access: 'read' },
  { name: 'b', type: 'f32', access: 'read' },
  { name: 'bias', type: 'f32', access: 'read' },
  { name: 'out', type: 'f32', access: 'write' },
])}
${MATH}
${epilogueCode(EPILOGUE)}
const TS = ${TILE}u;
const TK = ${TK}u;
var<workgroup> As: array<f32, ${TILE * TK}>;
var<workgroup> Bs: array<f32, ${TILE * TK}>;

/** Writes the outputs (i, j + 16c) of one row through the epilogue. */
fn storeRow(oBase: u32, i: u32, j: u32, M: u32, N: u32, acc: vec4<f32>) {
  if (i >= M) { return; }
  for (var c = 0u; c < 4u; c = c + 1u) {
    let jc = j + 16u * c;
    if (jc < N) { out[oBase + i * N + jc] = epilogue(acc[c], jc); }
  }
}

@compute @workgroup_size(16, 16)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(local_invocation_id) lid: vec3<u32>) {
  let M = P(${M}u);
  let N = P(${N}u);
  let K = P(${K}u);
  let aBase = wid.z * P(${A_STRIDE}u);
  let bBase = wid.z * P(${B_STRIDE}u);
  let oBase = wid.z * M * N;
  let row0 = wid.y * TS;
  let col0 = wid.x * TS;
  let tid = lid.y * 16u + lid.x;
  // Four rows of four outputs in vector registers (indexing a private array dynamically spills it to memory on some compilers).
  var acc0 = vec4<f32>();
  var acc1 = vec4<f32>();
  var acc2 = vec4<f32>();
  var acc3 = vec4<f32>();
  for (var k0 = 0u; k0 < K; k0 = k0 + TK) {
    for (var e = 0u; e < 4u; e = e + 1u) {
      let idx = tid + e * 256u;
      {
        var v = 0.0;
        ${loadA}
        As[p * TS + r] = v;
      }
      {
        var v = 0.0;
        ${loadB}
        Bs[p * TS + c] = v;
      }
    }
    workgroupBarrier();
    for (var p = 0u; p < TK; p = p + 1u) {
      let ar = p * TS + lid.y;
      let bc = p * TS + lid.x;
      let bv = vec4<f32>(Bs[bc], Bs[bc + 16u], Bs[bc + 32u], Bs[bc + 48u]);
      acc0 = fma(vec4<f32>(As[ar]), bv, acc0);
      acc1 = fma(vec4<f32>(As[ar + 16u]), bv, acc1);
      acc2 = fma(vec4<f32>(As[ar + 32u]), bv, acc2);
      acc3 = fma(vec4<f32>(As[ar + 48u]), bv, acc3);
    }
    workgroupBarrier();
  }
  storeRow(oBase, row0 + lid.y, col0 + lid.x, M, N, acc0);
  storeRow(oBase, row0 + lid.y + 16u, col0 + lid.x, M, N, acc1);
  storeRow(oBase, row0 + lid.y + 32u, col0 + lid.x, M, N, acc2);
  storeRow(oBase, row0 + lid.y + 48u, col0 + lid.x, M, N, acc3);
}`;
}

export const matmulKernels: GpuKernels = {
  matmul: {
    accepts: (a, limits) =>
      dtypeOfArray(a.a) === 'float32' && dtypeOfArray(a.b) === 'float32' && dtypeOfArray(a.out) === 'float32' &&
      (a.bias === null || dtypeOfArray(a.bias) === 'float32') &&
      a.product.batch <= MAX_GROUPS && Math.ceil(a.product.m / TILE) <= MAX_GROUPS && Math.ceil(a.product.n / TILE) <= MAX_GROUPS &&
      limits.maxComputeInvocationsPerWorkgroup >= 256,
    run(gpu, { a, b, out, bias, product: p, activation, alpha }) {
      if (p.batch === 0 || p.m === 0 || p.n === 0) return;
      const s = shader(`matmul:${p.transA ? 't' : 'n'}${p.transB ? 't' : 'n'}`, ['read', 'read', 'read', 'write'], () =>
        matmulCode(p.transA, p.transB),
      );
      gpu.dispatch(s, [a, b, bias, out], (w) => {
        w.u32(M, p.m);
        w.u32(N, p.n);
        w.u32(K, p.k);
        w.u32(A_STRIDE, p.aBatchStride);
        w.u32(B_STRIDE, p.bBatchStride);
        writeEpilogue(w, EPILOGUE, bias !== null, activation, alpha);
      }, [Math.ceil(p.n / TILE), Math.ceil(p.m / TILE), p.batch]);
    },
  },
};

