/** Level 4: activations, initializers and regularizers, the parts layers are assembled from. */
export * from './activations.js';
export * from './initializers.js';
export * from './regularizers.js';
