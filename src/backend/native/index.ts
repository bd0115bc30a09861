/**
 * The native backend: float32 kernels in C++ (SIMD chosen at run time, a thread pool over every core),
 * working in place on the tensors' typed arrays. `LAYERWISE_SIMD=avx512|avx2|portable` lowers the
 * instruction set and `LAYERWISE_THREADS` the number of threads.
 */
import { DeviceArray } from '../device-array.js';
import { bindNative } from '../generated/native.js';
import type { Backend } from '../kernels.js';
import { referenceKernels } from '../reference/index.js';
import { smallOrNewArray } from '../small-arrays.js';
import { loadAddon } from './addon.js';

/**
 * Float32 tensors from this size up live in recycled native memory (see native/common/buffer-cache.h);
 * smaller ones are cheap on the JavaScript heap.
 */
const MIN_RECYCLED_BYTES = 64 * 1024;

/**
 * The most float32 elements one tensor holds: Node's external ArrayBuffers stop at 2^32 bytes. The kernels
 * index with 64-bit integers; the limit is the buffer's alone.
 */
export const MAX_NATIVE_ELEMENTS = 2 ** 30;

const ISA_NAMES: Record<string, string> = { avx512: 'AVX-512', avx2: 'AVX2+FMA', portable: 'portable C++' };

export function loadNativeBackend(): { backend: Backend } | { error: string } {
  const addon = loadAddon();
  if ('error' in addon) return addon;
  const requested = process.env['LAYERWISE_SIMD'];
  const ignored =
    requested !== undefined && requested !== '' && !addon.isas.includes(requested)
      ? `; LAYERWISE_SIMD=${requested} ignored: this CPU supports ${addon.isas.join(', ')}`
      : '';
  const backend: Backend = {
    name: 'native',
    kernels: bindNative(addon.params, addon.kernels, referenceKernels),
    alloc: (dtype, length) => {
      if (dtype !== 'float32' || length * 4 < MIN_RECYCLED_BYTES) return smallOrNewArray(dtype, length);
      if (length > MAX_NATIVE_ELEMENTS) {
        throw new RangeError(
          `the native backend holds at most 2^30 float32 elements (4 GiB) per tensor; split the work (a smaller batchSize, fewer units or filters)`,
        );
      }
      return new Float32Array(addon.alloc(length * 4), 0, length);
    },
    release: (array) => {
      if (array instanceof DeviceArray) return;
      const { buffer } = array;
      if (array.byteOffset === 0 && array.byteLength >= MIN_RECYCLED_BYTES && buffer instanceof ArrayBuffer) addon.release(buffer);
    },
    describe: () => {
      const threads = addon.threads();
      return `native (${ISA_NAMES[addon.isa()] ?? addon.isa()}, ${threads} thread${threads === 1 ? '' : 's'}${ignored})`;
    },
    setThreads: (n) => addon.setThreads(n),
  };
  return { backend };
}
