/** Every op, as free functions (the canonical form); ./tensor-methods.js adds the chainable methods. */
export * from './elementwise.js';
export * from './reduce.js';
export * from './shape.js';
export * from './linalg.js';
export * from './conv.js';
export * from './nn.js';
export * from './image.js';
export { configure } from './define-op.js';
export type { Options } from './define-op.js';
export { DIFFERENTIABLE_OPS } from './op-names.js';
export type { DifferentiableOp } from './op-names.js';
