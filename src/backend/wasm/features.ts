/**
 * Feature detection with tiny modules (the checks of the wasm-feature-detect project): SIMD128, and
 * threads (shared memory with atomics, plus a SharedArrayBuffer the host lets us share, which browsers
 * only allow on cross-origin isolated pages).
 */
import { wasmApi } from './wasm-api.js';

// (func (result v128) i32.const 0  i8x16.splat  i8x16.popcnt)
const SIMD_PROBE = new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0, 1, 5, 1, 96, 0, 1, 123, 3, 2, 1, 0, 10, 10, 1, 8, 0, 65, 0, 253, 15, 253, 98, 11]);
// (memory 1 1 shared) (func i32.const 0  i32.atomic.load  drop)
const THREADS_PROBE = new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0, 1, 4, 1, 96, 0, 0, 3, 2, 1, 0, 5, 4, 1, 3, 1, 1, 10, 11, 1, 9, 0, 65, 0, 254, 16, 2, 0, 26, 11]);

export interface Features {
  webAssembly: boolean;
  simd: boolean;
  threads: boolean;
}

export function detectFeatures(): Features {
  const api = wasmApi();
  if (!api) return { webAssembly: false, simd: false, threads: false };
  const simd = api.validate(SIMD_PROBE);
  const isolated = (globalThis as { crossOriginIsolated?: boolean }).crossOriginIsolated !== false;
  const threads = isolated && typeof SharedArrayBuffer === 'function' && typeof Atomics === 'object' && api.validate(THREADS_PROBE);
  return { webAssembly: true, simd, threads };
}
