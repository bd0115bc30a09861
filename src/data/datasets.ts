/** Datasets that ship with the package (Keras's `keras.datasets`). */
import { loadData } from './mnist.js';

export const mnist = { loadData };
