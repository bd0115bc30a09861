/** The WebGPU backend (placeholder while it is written). */
import type { Backend } from '../kernels.js';

export function loadWebGPUBackend(): { backend: Backend } | { error: string } {
  return { error: 'not yet' };
}

export async function preloadWebGPU(): Promise<void> {}
