/** Level 4: losses, as per-sample functions and as named Loss objects for compile(). */
export * from './losses.js';
export * from './loss.js';
export * from './reduction.js';
