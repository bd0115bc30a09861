/**
 * The numeric codes the WebAssembly kernels use for ops: each is the index of the name in its list, and
 * wasm/assembly/*.ts declares the same order (the parity tests exercise every entry).
 */
import type { BinaryOp, FusableActivation, ReduceOp, UnaryOp } from '../kernels.js';

export const UNARY_OPS: readonly UnaryOp[] = [
  'neg', 'abs', 'sign', 'sqrt', 'rsqrt', 'square', 'exp', 'log', 'log1p', 'reciprocal',
  'relu', 'leakyRelu', 'elu', 'selu', 'gelu', 'sigmoid', 'tanh', 'softplus', 'floor', 'ceil', 'round',
];

export const BINARY_OPS: readonly BinaryOp[] = ['add', 'sub', 'mul', 'div', 'pow', 'maximum', 'minimum'];

export const REDUCE_OPS: readonly ReduceOp[] = ['sum', 'max', 'min', 'prod'];

export const FUSABLE_ACTIVATIONS: readonly FusableActivation[] = [
  'linear', 'relu', 'leakyRelu', 'elu', 'selu', 'sigmoid', 'tanh', 'softplus',
];

export function codeOf<T>(list: readonly T[], name: T): number {
  const code = list.indexOf(name);
  if (code < 0) throw new Error(`wasm backend: no code for op ${String(name)}`);
  return code;
}

/** Every function the kernels module exports; the worker threads look kernels up by index in this list. */
export const KERNEL_EXPORTS = [
  'heapBase', 'gemm', 'gemmScratchBytes', 'conv2d', 'conv2dBackpropFilter', 'conv2dBackpropInput',
  'backpropFilterScratchBytes', 'backpropInputScratchBytes',
  'maxPool2d', 'maxPool2dGrad', 'avgPool2d', 'avgPool2dGrad', 'unary', 'unaryGrad', 'binaryFlat', 'binaryStrided',
  'clip', 'fill', 'addInto', 'reduce', 'reduceWorkBytes', 'softmax', 'logSoftmax',
  'sgdUpdate', 'rmspropUpdate', 'adamUpdate', 'adagradUpdate', 'scaleInPlace',
] as const;

export type KernelExport = (typeof KERNEL_EXPORTS)[number];

/** A WebAssembly export as JavaScript sees it: numbers in, a number (or nothing) out. */
export type WasmFunction = (...args: number[]) => number;

export type KernelFunctions = Record<KernelExport, WasmFunction>;
