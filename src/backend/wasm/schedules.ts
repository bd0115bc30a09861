/**
 * How each WebAssembly kernel is split over threads. A kernel's compute function (wasm/assembly/*.ts) is
 * called as kernel(args, start, end, scratch) for chunks [start, end) of its units (elements, rows,
 * output pixels, images); its schedule here says how many units a call has, how many chunks its work is
 * worth, and what scratch each thread needs. A kernel without a schedule runs once, with the range [0, 1).
 */
import type { KernelArgs, KernelName } from '../kernels.js';
import type { WasmUtilities } from './instance.js';
import type { ThreadPool } from './threads.js';
import { splitRange } from './threads.js';

/** The least work worth a chunk of its own (a piece of a call that one thread runs), per kind of kernel. */
export interface ChunkWork {
  /** Floating-point operations, for matrix products and convolutions. */
  flops: number;
  /** Elements touched, for elementwise kernels, reductions and pooling windows. */
  elements: number;
}

/**
 * A chunk must outweigh handing it to a worker (13-120 us to wake one that sleeps, about 1 us while it
 * spins): about 1-2 MFLOP of arithmetic, or a comparable amount of memory traffic.
 */
export const DEFAULT_MIN_CHUNK_WORK: ChunkWork = { flops: 2e6, elements: 1 << 17 };

/** The matrix-multiplication tile height: row ranges split on multiples of it. */
const TILE_ROWS = 4;
/**
 * The most chunks a filter gradient is split into, whatever the number of threads (each has a partial sum
 * and gemm scratch of its own, so chunks cost memory): enough for the threads a machine offers.
 */
const FILTER_CHUNKS = 16;
/** Rows of A that gemm.ts packs at a time (its MC). */
const GEMM_ROW_BLOCK = 128;

type Chunks = readonly (readonly [number, number])[];

/** What a schedule works with for one call. */
export interface Runner {
  readonly utilities: WasmUtilities;
  readonly pool: ThreadPool;
  readonly minChunk: ChunkWork;
  /** The addresses of the call's arrays in WebAssembly memory, by operand name (lists left out). */
  readonly addresses: Readonly<Record<string, number>>;
  /** Runs the kernel over `chunks`, each thread with its block of `scratch`. */
  run(chunks: Chunks, scratch?: readonly number[]): void;
  /** Runs the kernel over `chunks`, chunk i with block i of `scratch` whichever thread runs it. */
  runPerChunk(chunks: Chunks, scratch: readonly number[]): void;
}

export interface Schedule<K extends KernelName> {
  /** The arguments the compute function sees (e.g. a broadcast with its dimensions merged), or null for the reference. */
  prepare?(args: KernelArgs<K>): KernelArgs<K> | null;
  /** Runs the call; false when a thread's scratch could not be had (the reference kernel then runs). */
  run(args: KernelArgs<K>, x: Runner): boolean;
}

/** Splits `n` elements by memory traffic, on vector boundaries. */
function elements(n: number, x: Runner, scratch?: readonly number[]): boolean {
  if (n > 0) x.run(splitRange(n, x.pool.chunksFor(n, x.minChunk.elements), 4), scratch);
  return true;
}

/** Floating-point operations of a convolution (or of either of its gradients). */
function convFlops(c: KernelArgs<'conv2d'>['conv']): number {
  return 2 * c.batch * c.outH * c.outW * c.outC * c.kH * c.kW * c.inC;
}

/** Splits a pooling kernel into output rows (forward) or whole images (gradients, which scatter-add). */
function pooling(p: KernelArgs<'maxPool2d'>['pool'], images: boolean, x: Runner): boolean {
  const chunks = x.pool.chunksFor(p.batch * p.outH * p.outW * p.channels * p.kH * p.kW, x.minChunk.elements);
  const units = images ? p.batch : p.batch * p.outH;
  if (units > 0) x.run(splitRange(units, chunks));
  return true;
}

interface Collapsed {
  shape: number[];
  aStrides: number[];
  bStrides: number[];
}

/**
 * The broadcast with size-1 dimensions dropped and neighbours merged where both operands step through
 * them contiguously (or both stay put), so most broadcasts become one or two dimensions.
 */
export function collapse(bc: KernelArgs<'binary'>['broadcast']): Collapsed {
  const out: Collapsed = { shape: [], aStrides: [], bStrides: [] };
  bc.shape.forEach((n, d) => {
    if (n === 1) return;
    const sa = bc.aStrides[d]!, sb = bc.bStrides[d]!;
    const last = out.shape.length - 1;
    if (last >= 0 && out.aStrides[last] === sa * n && out.bStrides[last] === sb * n) {
      out.shape[last]! *= n;
      out.aStrides[last] = sa;
      out.bStrides[last] = sb;
      return;
    }
    out.shape.push(n);
    out.aStrides.push(sa);
    out.bStrides.push(sb);
  });
  return out;
}

/** The kernel's strided form takes exactly four dimensions: size-1 ones are inserted after the first. */
function toFourDims(c: Collapsed): Collapsed {
  const pad = 4 - c.shape.length;
  const at = Math.min(1, c.shape.length);
  const insert = (list: number[], value: number) => [...list.slice(0, at), ...Array<number>(pad).fill(value), ...list.slice(at)];
  return { shape: insert(c.shape, 1), aStrides: insert(c.aStrides, 0), bStrides: insert(c.bStrides, 0) };
}

export const SCHEDULES: { readonly [K in KernelName]?: Schedule<K> } = {
  unary: { run: (a, x) => elements(a.out.length, x) },
  unaryGrad: { run: (a, x) => elements(a.out.length, x) },
  clip: { run: (a, x) => elements(a.out.length, x) },
  fill: { run: (a, x) => elements(a.out.length, x) },
  binary: {
    prepare(a) {
      const c = collapse(a.broadcast);
      if (c.shape.length > 4) return null;
      return { ...a, broadcast: { ...(c.shape.length <= 1 ? c : toFourDims(c)), size: a.broadcast.size } };
    },
    run(a, x) {
      const { shape, size } = a.broadcast;
      if (size === 0) return true;
      // One flat run (same shapes, a scalar operand) by elements; else the first of four dimensions.
      if (shape.length <= 1) return elements(size, x);
      x.run(splitRange(shape[0]!, x.pool.chunksFor(size, x.minChunk.elements)));
      return true;
    },
  },
  expression: {
    run(a, x) {
      const scratch = x.pool.threadScratch(x.utilities.expressionScratchBytes());
      return scratch !== null && elements(a.operands[0]?.length ?? 0, x, scratch);
    },
  },
  reduce: {
    run(a, x) {
      const r = a.reduction;
      if (r.outer * r.inner === 0) return true;
      const work = x.pool.threadScratch(x.utilities.reduceWorkBytes(r.inner));
      if (work === null) return false;
      x.run(splitRange(r.outer, x.pool.chunksFor(a.x.length, x.minChunk.elements)), work);
      return true;
    },
  },
  softmax: { run: (a, x) => rows(a.rows, a.cols, x) },
  logSoftmax: { run: (a, x) => rows(a.rows, a.cols, x) },
  // Every row writes its mean and rstd, even an empty one; the gradient's units are its rows, then groups of 4 columns.
  layerNorm: { run: (a, x) => rows(a.rows, a.cols + 1, x) },
  layerNormGrad: { run: (a, x) => rows(a.rows + Math.ceil(a.cols / 4), a.cols, x) },
  matmul: {
    run(a, x) {
      const { batch, m, n, k } = a.product;
      if (batch * m * n === 0) return true;
      const scratch = x.pool.threadScratch(x.utilities.gemmScratchBytes());
      if (scratch === null) return false;
      // Units are the rows of every product (batch x m). Split rows when each chunk gets a few tiles of
      // them, otherwise whole products; every chunk of rows packs all of B again, so beyond one chunk per
      // thread a chunk gets a full row block.
      let chunks = x.pool.chunksFor(2 * batch * m * n * k, x.minChunk.flops);
      const byRows = batch < chunks || m >= chunks * TILE_ROWS * 4;
      if (byRows) chunks = Math.min(chunks, Math.max(x.pool.available, Math.floor((batch * m) / GEMM_ROW_BLOCK)));
      const ranges = byRows ? splitRange(batch * m, chunks, TILE_ROWS) : splitRange(batch, chunks).map(([s, e]) => [s * m, e * m] as const);
      x.run(ranges, scratch);
      return true;
    },
  },
  conv2d: {
    run(a, x) {
      const c = a.conv;
      const pixels = c.batch * c.outH * c.outW;
      if (pixels * c.outC === 0) return true;
      const scratch = x.pool.threadScratch(x.utilities.gemmScratchBytes());
      if (scratch === null) return false;
      x.run(splitRange(pixels, x.pool.chunksFor(convFlops(c), x.minChunk.flops), TILE_ROWS), scratch);
      return true;
    },
  },
  conv2dBackpropFilter: {
    run(a, x) {
      const c = a.conv, size = a.dFilter.length;
      if (size === 0) return true;
      // Every chunk adds into a partial sum of its own (in its scratch, after gemm's part), and the
      // partial sums are added up in chunk order: the chunks depend only on the sizes, not on the threads
      // or on which thread ran which chunk, so the gradient is the same bit for bit on any number of
      // threads, run after run (as on the native backend).
      const chunks = splitRange(c.batch * c.outH * c.outW, Math.max(1, Math.min(FILTER_CHUNKS, Math.floor(convFlops(c) / x.minChunk.flops))));
      const scratch = x.pool.chunkScratch(chunks.length, x.utilities.backpropFilterScratchBytes(c.kH, c.kW, c.inC, c.outC));
      if (scratch === null) return false;
      const gemm = x.utilities.gemmScratchBytes();
      const partials = scratch.map((address) => address + gemm);
      for (const partial of partials) x.utilities.fillRange(partial, 0, 0, size);
      x.runPerChunk(chunks, scratch);
      const out = x.addresses['dFilter']!;
      x.utilities.fillRange(out, 0, 0, size);
      for (const partial of partials) x.utilities.addInto(out, partial, 0, size);
      return true;
    },
  },
  conv2dBackpropInput: {
    run(a, x) {
      const c = a.conv;
      if (a.dx.length === 0) return true;
      const scratch = x.pool.threadScratch(x.utilities.backpropInputScratchBytes(c.kH, c.kW, c.inC));
      if (scratch === null) return false;
      // Whole images per chunk: overlapping windows scatter-add into dx.
      x.run(splitRange(c.batch, x.pool.chunksFor(convFlops(c), x.minChunk.flops)), scratch);
      return true;
    },
  },
  // Depthwise convolutions: output rows, input rows (each gathers its gradient), groups of four channels.
  depthwiseConv2d: { run: (a, x) => units(a.conv.batch * a.conv.outH, depthwiseFlops(a.conv), x) },
  depthwiseConv2dBackpropInput: { run: (a, x) => units(a.conv.batch * a.conv.inH, depthwiseFlops(a.conv), x) },
  depthwiseConv2dBackpropFilter: { run: (a, x) => units(Math.ceil(a.conv.outC / 4), depthwiseFlops(a.conv), x) },
  // Upsampling: output rows forward; whole images backward, where neighbouring outputs add into one pixel.
  upSampling2d: { run: (a, x) => units(a.upSampling.batch * a.upSampling.inH * a.upSampling.factorH, 4 * a.out.length, x) },
  upSampling2dGrad: { run: (a, x) => units(a.upSampling.batch, 4 * a.dy.length, x) },
  maxPool2d: { run: (a, x) => pooling(a.pool, false, x) },
  maxPool2dGrad: { run: (a, x) => pooling(a.pool, true, x) },
  avgPool2d: { run: (a, x) => pooling(a.pool, false, x) },
  avgPool2dGrad: { run: (a, x) => pooling(a.pool, true, x) },
  lstmSequence: { run: (a, x) => recurrent(a.sequence, 4, x) },
  lstmSequenceGrad: { run: (a, x) => recurrent(a.sequence, 4, x) },
  gruSequence: { run: (a, x) => recurrent(a.sequence, 3, x) },
  gruSequenceGrad: { run: (a, x) => recurrent(a.sequence, 3, x) },
  imageTransform: {
    run: ({ image: g }, x) => {
      const rowCount = g.batch * g.outH;
      if (rowCount > 0) x.run(splitRange(rowCount, x.pool.chunksFor(rowCount * g.outW * (4 + g.channels), x.minChunk.elements)));
      return true;
    },
  },
};

/** Floating-point operations of a depthwise convolution (or of either of its gradients). */
function depthwiseFlops(c: KernelArgs<'depthwiseConv2d'>['conv']): number {
  return 2 * c.batch * c.outH * c.outW * c.outC * c.kH * c.kW;
}

/** Splits `count` independent units of a kernel worth `flops` in all. */
function units(count: number, flops: number, x: Runner): boolean {
  if (count > 0) x.run(splitRange(count, x.pool.chunksFor(flops, x.minChunk.flops)));
  return true;
}

/** Floats per row of a chunk that wasm/assembly/recurrent.ts needs beyond the products' scratch, in units. */
const RECURRENT_FLOATS_PER_ROW = 4;

/**
 * Splits a recurrent kernel by rows of the batch, at most one chunk per thread: a chunk runs every step
 * for its rows (rows are independent), and every chunk packs the recurrent kernel again at each step.
 */
function recurrent(s: KernelArgs<'lstmSequence'>['sequence'], gates: number, x: Runner): boolean {
  if (s.batch === 0) return true;
  const flops = 2 * s.batch * s.steps * s.units * gates * s.units;
  const ranges = splitRange(s.batch, Math.min(x.pool.available, x.pool.chunksFor(flops, x.minChunk.flops)));
  const most = Math.max(...ranges.map(([start, end]) => end - start));
  const scratch = x.pool.threadScratch(x.utilities.gemmScratchBytes() + most * RECURRENT_FLOATS_PER_ROW * s.units * 4);
  if (scratch === null) return false;
  x.run(ranges, scratch);
  return true;
}

/** Splits rows of a last-axis kernel. */
function rows(count: number, cols: number, x: Runner): boolean {
  if (count * cols > 0) x.run(splitRange(count, x.pool.chunksFor(count * cols, x.minChunk.elements)));
  return true;
}
