/** Level 4: activations, initializers, regularizers and constraints, the parts layers are assembled from. */
export * from './activations.js';
export * from './initializers.js';
export * from './regularizers.js';
export * from './constraints.js';
