/**
 * The module's utilities for the JavaScript side (the kernels themselves are exported by the generated
 * entry, wasm/generated/entry.ts, from every file here that defines one). Every argument is a number.
 */
export { gemmScratchBytes } from './gemm';
export { backpropFilterScratchBytes, backpropInputScratchBytes } from './conv';
export { addInto, fillRange } from './elementwise';
export { expressionScratchBytes } from './expression';
export { reduceWorkBytes } from './reduce';

/** First address after the module's static data: the JavaScript allocator manages memory from here. */
export function heapBase(): usize {
  return __heap_base;
}
