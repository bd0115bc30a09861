/**
 * Error classes. Every message names where the problem is (op, layer or argument), what was expected and
 * what was received, so a user can fix the call without reading library code.
 */
export class LayerwiseError extends Error {
  override name = 'LayerwiseError';
}

/** Shapes that do not fit together: wrong rank, mismatched dimensions, bad axes. */
export class ShapeError extends LayerwiseError {
  override name = 'ShapeError';
}

/** An argument with the wrong type, range or value. */
export class ValueError extends LayerwiseError {
  override name = 'ValueError';
}

/** A tensor of the wrong dtype. */
export class DTypeError extends LayerwiseError {
  override name = 'DTypeError';
}

/** NaN or Infinity produced where `checkNumerics` asked to be told, or a training loss that became NaN. */
export class NumericsError extends LayerwiseError {
  override name = 'NumericsError';
}

/** A synchronous read of tensor data that exists only on a device (a GPU): read it with `await t.dataAsync()`. */
export class DeviceDataError extends LayerwiseError {
  override name = 'DeviceDataError';
}

/** Formats a shape the way messages show it: `[32, 128]`. */
export function fmtShape(shape: readonly number[]): string {
  return `[${shape.join(', ')}]`;
}

/** A short description of any received value, for "received ..." in messages. */
export function describe(value: unknown): string {
  if (value === null) return 'null';
  if (value === undefined) return 'undefined';
  if (typeof value === 'number') return Number.isNaN(value) ? 'NaN' : String(value);
  if (typeof value === 'string') return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value);
  if (typeof value === 'boolean') return String(value);
  if (typeof value === 'bigint') return `${value}n`;
  if (typeof value === 'symbol') return String(value);
  if (typeof value === 'function') return 'a function';
  if (Array.isArray(value)) {
    const inner = value.slice(0, 6).map(describe).join(', ');
    return `[${inner}${value.length > 6 ? ', …' : ''}] (array of length ${value.length})`;
  }
  if (value instanceof DataView) return `a DataView of ${value.byteLength} bytes`;
  if (ArrayBuffer.isView(value)) return `${value.constructor.name} of length ${(value as Uint8Array).length}`;
  if (value instanceof ArrayBuffer) return `an ArrayBuffer of ${value.byteLength} bytes`;
  const ctor = (value as object).constructor?.name;
  if (ctor && ctor !== 'Object') {
    const shape = (value as { shape?: unknown }).shape;
    if (Array.isArray(shape)) return `${ctor} of shape ${fmtShape(shape as number[])}`;
    return `a ${ctor}`;
  }
  const keys = Object.keys(value as object);
  return keys.length === 0 ? 'an empty object' : `an object with keys ${keys.slice(0, 6).join(', ')}${keys.length > 6 ? ', …' : ''}`;
}
