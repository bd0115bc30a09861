/** Every op, as free functions (the canonical form); ./tensor-methods.js adds the chainable methods. */
export * from './elementwise.js';
export * from './reduce.js';
export * from './shape.js';
export * from './linalg.js';
export * from './conv.js';
export * from './nn.js';
export * from './activations.js';
export * from './conv-transpose.js';
export * from './depthwise.js';
export * from './conv3d.js';
export * from './pool3d.js';
export * from './upsampling.js';
export * from './recurrent.js';
export { configure } from './define-op.js';
export type { Options } from './define-op.js';
export { DIFFERENTIABLE_OPS } from './op-names.js';
export type { DifferentiableOp } from './op-names.js';
