/** How much the benchmark measures, in full and in `--quick` mode, and the GEMM shapes it times. */
import type { GemmShape, Plan } from './protocol.js';

const BATCH_SIZE = 64;

/**
 * The seed convnet's convolutions as im2col GEMMs (M = batch*outH*outW, K = kH*kW*inC, N = outC):
 * 28x28x1 -> conv 3x3, 32 -> pool 2 -> conv 3x3, 64 -> pool 2 -> conv 3x3, 64.
 */
export function seedConvGemms(batch: number): GemmShape[] {
  const layers = [
    { inSize: 28, inC: 1, outC: 32 },
    { inSize: 13, inC: 32, outC: 64 },
    { inSize: 5, inC: 64, outC: 64 },
  ];
  return layers.map(({ inSize, inC, outC }, i) => {
    const out = inSize - 2;
    const shape = { m: batch * out * out, k: 3 * 3 * inC, n: outC };
    return { label: `conv${i + 1} ${shape.m}x${shape.k}x${shape.n}`, ...shape };
  });
}

export function makePlan(quick: boolean): Plan {
  const square = [256, 512, 1024].map((size) => ({ label: `${size}³`, m: size, k: size, n: size }));
  return {
    quick,
    seed: 1234,
    batchSize: BATCH_SIZE,
    warmupBatches: quick ? 2 : 5,
    trainWindows: quick ? 2 : 5,
    windowSeconds: quick ? 1 : 3,
    maxOtherCores: 0.25,
    maxDiscardedWindows: quick ? 2 : 10,
    slowBatchSeconds: 5,
    slowTimedBatches: quick ? 0 : 1,
    inferenceWindows: quick ? 2 : 5,
    epoch: !quick,
    epochBudgetSeconds: 900,
    gemm: [...square, ...seedConvGemms(BATCH_SIZE)],
    gemmSeconds: quick ? 0.2 : 1,
  };
}
