/**
 * Block sizes of the WebAssembly heap: multiples of 64 bytes (a cache line, and SIMD-aligned) up to
 * 1 KiB, then four classes per power of two, so a block wastes at most a fifth of its size.
 */
export const BLOCK_ALIGN = 64;
const SMALL_LIMIT = 1024;
const SMALL_CLASSES = SMALL_LIMIT / BLOCK_ALIGN;

export function sizeClass(bytes: number): number {
  if (bytes <= SMALL_LIMIT) return Math.max(0, Math.ceil(bytes / BLOCK_ALIGN) - 1);
  const e = 31 - Math.clz32(bytes - 1); // 2^e < bytes <= 2^(e+1)
  const step = 2 ** (e - 2);
  const q = Math.ceil((bytes - 2 ** e) / step); // 1..4
  return SMALL_CLASSES + (e - 10) * 4 + (q - 1);
}

export function classBytes(cls: number): number {
  if (cls < SMALL_CLASSES) return (cls + 1) * BLOCK_ALIGN;
  const e = 10 + Math.floor((cls - SMALL_CLASSES) / 4);
  const q = ((cls - SMALL_CLASSES) % 4) + 1;
  return 2 ** e + q * 2 ** (e - 2);
}
