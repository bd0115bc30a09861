/**
 * The native backend under test: every instruction set this CPU supports, on 1 and 2 threads (variants
 * for test/kernels.test.ts), and its kernels for the backend's own tests.
 */
import type { Variant } from '../testing.js';
import type { Kernels } from '../kernels.js';
import { loadAddon } from './addon.js';
import { loadNativeBackend } from './index.js';

const loaded = loadNativeBackend();

/** False when the addon loaded; otherwise the reason, which node:test prints as the skip message. */
export const skip: string | false = 'error' in loaded ? `native backend unavailable: ${loaded.error}` : false;

/** A native kernel; every kernel the tests call must be implemented natively (a missing one fails). */
export function nativeKernel<K extends keyof Kernels>(name: K): Kernels[K] {
  if ('error' in loaded) throw new Error(loaded.error);
  const f = loaded.backend.kernels[name];
  if (f === undefined) throw new Error(`the native backend does not implement ${name}`);
  return f;
}

export function variants(): Variant[] {
  const addon = loadAddon();
  if ('error' in loaded || 'error' in addon) return [];
  const backend = loaded.backend;
  return addon.isas.flatMap((isa) =>
    [1, 2].map((threads) => ({
      name: `native (${isa}, ${threads} thread${threads === 1 ? '' : 's'})`,
      kernels: backend.kernels,
      place(values: Float32Array): Float32Array {
        const a = backend.alloc!('float32', values.length) as Float32Array;
        a.set(values);
        return a;
      },
      within(fn: () => void): void {
        const before = { isa: addon.isa(), threads: addon.threads() };
        addon.setIsa(isa);
        addon.setThreads(threads);
        try {
          fn();
        } finally {
          addon.setIsa(before.isa);
          addon.setThreads(before.threads);
        }
      },
    })),
  );
}
