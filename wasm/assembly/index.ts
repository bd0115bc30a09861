/**
 * The kernels the JavaScript side calls. Every argument is a number: addresses in the shared memory,
 * sizes, op codes (see src/backend/wasm/codes.ts) and index ranges that let threads split a call.
 */
export { gemm, gemmScratchBytes } from './gemm';
export { conv2d, conv2dBackpropFilter, conv2dBackpropInput, backpropFilterScratchBytes, backpropInputScratchBytes } from './conv';
export { maxPool2d, maxPool2dGrad, avgPool2d, avgPool2dGrad } from './pool';
export { unary, unaryGrad, binaryFlat, binaryStrided, clip, fill, addInto } from './elementwise';
export { reduce, reduceWorkBytes } from './reduce';
export { softmax, logSoftmax, sgdUpdate, rmspropUpdate, adamUpdate, adagradUpdate, scaleInPlace } from './nn';

/** First address after the module's static data: the JavaScript allocator manages memory from here. */
export function heapBase(): usize {
  return __heap_base;
}
