/**
 * Loads the WebGPU backend. Getting an adapter and a device is asynchronous everywhere, so the backend is
 * set up by `await preloadWebGPU()` (or `await setBackendAsync('webgpu')`, which also selects it); after
 * that `setBackend('webgpu')` and `LAYERWISE_BACKEND=webgpu` find it. A software adapter (SwiftShader,
 * lavapipe) works but is never chosen by default. In Node the device comes from the optional `webgpu`
 * package; where it or a GPU is missing, the backend reports why and the others keep working.
 */
import { LayerwiseError } from '../../util/errors.js';
import type { Backend } from '../kernels.js';
import type { WebGPUBackend, WebGPUStats } from './backend.js';
import { createWebGPUBackend } from './backend.js';
import type { AdapterFacts, Gpu, WebGPUOptions } from './gpu.js';
import { requestGpu } from './gpu.js';
import { WGSL_KERNELS } from './kernels/index.js';

export type { WebGPUBackend, WebGPUStats } from './backend.js';
export type { AdapterFacts, WebGPUOptions } from './gpu.js';

let loaded: WebGPUBackend | null = null;
let loadedGpu: Gpu | null = null;
let lastError = 'the WebGPU device is set up asynchronously: call `await preloadWebGPU()` (or `await setBackendAsync(\'webgpu\')`) first';
let loading: Promise<void> | null = null;

/**
 * Sets up the WebGPU backend (adapter and device) so that `setBackend('webgpu')` can select it. Resolves
 * to the adapter's description and whether it is a software fallback (slower than the CPU backends: an
 * application decides whether to use it); throws saying why where there is no WebGPU here (no adapter,
 * no `webgpu` package in Node). Calling it again after success only returns the adapter.
 */
export async function preloadWebGPU(options: WebGPUOptions = {}): Promise<AdapterFacts> {
  if (loadedGpu !== null) return loadedGpu.adapter;
  loading ??= (async () => {
    const gpu = await requestGpu(options);
    if (typeof gpu === 'string') {
      lastError = gpu;
      return;
    }
    loaded = createWebGPUBackend(gpu, WGSL_KERNELS);
    loadedGpu = gpu;
    gpu.device.lost.then((info) => {
      lastError = `the WebGPU device was lost: ${info.message}`;
      loaded = null;
      loadedGpu = null;
    }, () => {});
  })().finally(() => {
    loading = null;
  });
  await loading;
  // Read through a call: the assignment happened inside the promise, where narrowing does not see it.
  const gpu = webgpuDevice();
  if (gpu === null) throw new LayerwiseError(`preloadWebGPU: ${lastError}`);
  return gpu.adapter;
}

/** The backend once preloadWebGPU has set it up, or why it is not available. */
export function loadWebGPUBackend(): { backend: Backend } | { error: string } {
  return loaded !== null ? { backend: loaded } : { error: lastError };
}

/** Counters of the WebGPU backend (submits, dispatches, uploads, downloads, CPU fallbacks, GPU memory), or null before it is set up. */
export function webgpuStats(): WebGPUStats | null {
  return loaded?.stats() ?? null;
}

/** The set-up backend itself (for tests and benchmarks: sync, reclaimMemory), or null. */
export function webgpuBackend(): WebGPUBackend | null {
  return loaded;
}

/** The adapter and device the backend was set up with (tests build variants of the backend over it), or null. */
export function webgpuDevice(): Gpu | null {
  return loadedGpu;
}
