/** The register tile of the matrix-multiplication micro-kernel, shared by every packing routine. */

/** Rows of the C tile (and of a packed A panel). */
export const MR: i32 = 4;
/** Columns of the C tile (and of a packed B panel): two f32x4 vectors. */
export const NR: i32 = 8;

/** Stores the transpose of the 4x4 block whose rows are r0..r3 as four consecutive vectors at dst. */
@inline export function transpose4(dst: usize, r0: v128, r1: v128, r2: v128, r3: v128): void {
  const t0 = v128.shuffle<f32>(r0, r1, 0, 4, 1, 5);
  const t1 = v128.shuffle<f32>(r0, r1, 2, 6, 3, 7);
  const t2 = v128.shuffle<f32>(r2, r3, 0, 4, 1, 5);
  const t3 = v128.shuffle<f32>(r2, r3, 2, 6, 3, 7);
  v128.store(dst, v128.shuffle<f32>(t0, t2, 0, 1, 4, 5));
  v128.store(dst, v128.shuffle<f32>(t0, t2, 2, 3, 6, 7), 16);
  v128.store(dst, v128.shuffle<f32>(t1, t3, 0, 1, 4, 5), 32);
  v128.store(dst, v128.shuffle<f32>(t1, t3, 2, 3, 6, 7), 48);
}
