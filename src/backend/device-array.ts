/**
 * Tensor data that a backend keeps outside JavaScript memory: a GPU buffer. A tensor's storage is either
 * a typed array (the CPU backends) or a DeviceArray. Kernels receive either; the active backend decides
 * where a kernel runs and moves data as needed (backend/index.ts).
 *
 * A device cannot be read synchronously (a browser's GPU answers a read with a promise), so values on a
 * device are read with `read()`. What JavaScript already holds — data uploaded from a typed array, or
 * read back earlier — stays available to synchronous readers through `host()`.
 */
import type { DType, TypedArray } from '../util/dtype.js';
import { DeviceDataError, fmtShape } from '../util/errors.js';

export abstract class DeviceArray {
  abstract readonly dtype: DType;
  abstract readonly length: number;
  /** The backend that holds the data, for messages ("webgpu"). */
  abstract readonly device: string;
  /** The current values when JavaScript holds them (not a copy: do not write), else null. */
  abstract host(): TypedArray | null;
  /**
   * The current values for a CPU kernel that overwrites or updates them in place: the device's copy is
   * dropped, so the host array becomes the only one. Null when the values are only on the device.
   */
  abstract hostForWrite(): TypedArray | null;
  /** The current values, copied from the device when JavaScript does not hold them (not a copy: do not write). */
  abstract read(): Promise<TypedArray>;
}

/** What a tensor's data is: a typed array, or an array a device backend holds. */
export type TensorStorage = TypedArray | DeviceArray;

/** The error for reading `array` synchronously in `where` (a shape, when known, makes the message clearer). */
export function notOnHost(where: string, array: DeviceArray, shape?: readonly number[]): DeviceDataError {
  const what = shape ? `a ${array.dtype} tensor of shape ${fmtShape(shape)}` : `${array.length} ${array.dtype} values`;
  return new DeviceDataError(
    `${where}: ${what} lives on the ${array.device} backend's device and cannot be read synchronously; ` +
      'read it with `await t.dataAsync()` or `await t.array()` (these wait for the device)',
  );
}

/** The typed array of a storage, or the error naming `where` when it exists only on a device. */
export function hostArray(where: string, s: TensorStorage, shape?: readonly number[]): TypedArray {
  if (!(s instanceof DeviceArray)) return s;
  const h = s.host();
  if (h === null) throw notOnHost(where, s, shape);
  return h;
}
