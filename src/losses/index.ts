/** Level 4: losses, as per-sample functions and as named Loss objects for compile(). */
export * from './losses.js';
export * from './regression.js';
export * from './probabilistic.js';
export * from './hinge.js';
export * from './focal.js';
export * from './loss.js';
export * from './lookup.js';
export * from './reduction.js';
