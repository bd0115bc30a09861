/**
 * The inputs and outputs of a model as data names them: one tensor per input (or output), given as the
 * tensor itself when the model has one, as an array in the model's order, or as a record keyed by the
 * input's name (its Input layer) or the output's (the layer that makes it), as Keras takes them.
 */
import type { TensorLike } from '../tensor/creation.js';
import { toTensor } from '../tensor/creation.js';
import { Tensor } from '../tensor/tensor.js';
import { ValueError, describe } from '../util/errors.js';

/** One value per input or output: the value itself (one), an array in order, or a record by name. */
export type PerPort<T> = T | readonly T[] | Readonly<Record<string, T>>;

/** Data for a model: a tensor (or anything tensor() reads) per input or output. */
export type TensorData = PerPort<TensorLike>;

/** The names of a model's inputs or outputs, and which they are (for messages). */
export interface Ports {
  readonly names: readonly string[];
  readonly role: 'input' | 'output';
}

/** An object literal that is not data itself (arrays, typed arrays and tensors are data). */
export function isRecord(v: unknown): v is Readonly<Record<string, unknown>> {
  if (typeof v !== 'object' || v === null || Array.isArray(v) || ArrayBuffer.isView(v) || v instanceof Tensor) return false;
  const proto = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
}

function list(names: readonly string[]): string {
  return names.map((n) => `'${n}'`).join(', ');
}

export interface PerPortOptions {
  /** How messages name the value: an argument (default) or an option. */
  kind?: 'argument' | 'option';
  /** A record may leave ports out: they get undefined (compile's metrics and lossWeights). */
  partial?: boolean;
}

/**
 * One value per port, in the ports' order. `isOne` tells a single value from an array of values (for
 * tensors an array is the data itself); a record must name every port (unless `partial`) and nothing else.
 */
export function perPort<T>(where: string, arg: string, value: unknown, ports: Ports, isOne: (v: unknown) => boolean, options: PerPortOptions = {}): unknown[] {
  const { names, role } = ports;
  const label = `${options.kind ?? 'argument'} '${arg}'`;
  if (isRecord(value)) {
    const keys = Object.keys(value).filter((k) => value[k] !== undefined);
    const unknown = keys.find((k) => !names.includes(k));
    if (unknown !== undefined) throw new ValueError(`${where}: ${label} names ${role} '${unknown}', which the model does not have; its ${role}s are ${list(names)}`);
    const missing = names.find((n) => !keys.includes(n));
    if (missing !== undefined && !options.partial) throw new ValueError(`${where}: ${label} has no value for ${role} '${missing}'; give one for each of ${list(names)}`);
    return names.map((n) => value[n]);
  }
  if (names.length === 1) return [Array.isArray(value) && value.length === 1 && !isOne(value) ? value[0] : value];
  // With several ports one tensor cannot be the data, so an array is the list of values.
  if (Array.isArray(value)) {
    if (value.length !== names.length) {
      throw new ValueError(`${where}: ${label} expected ${names.length} values, one per ${role} (${list(names)}), received an array of ${value.length}`);
    }
    return [...value];
  }
  throw new ValueError(
    `${where}: ${label} expected one value per ${role} of the model (${list(names)}): an array in that order or a record keyed by name, received ${describe(value as T)}`,
  );
}

/** True for what tensor() reads as one tensor: a Tensor, a typed array, a number, or a nested array of numbers. */
function isOneTensor(v: unknown): boolean {
  if (v instanceof Tensor || ArrayBuffer.isView(v) || typeof v === 'number' || typeof v === 'boolean') return true;
  let first: unknown = v;
  while (Array.isArray(first)) first = first[0];
  return Array.isArray(v) && (typeof first === 'number' || typeof first === 'boolean' || ArrayBuffer.isView(first));
}

/** One tensor per port, converted (arguments are named `x`, `x.image`, `y[1]`...). */
export function toTensors(where: string, arg: string, value: unknown, ports: Ports): Tensor[] {
  const values = perPort(where, arg, value, ports, isOneTensor);
  return values.map((v, i) => {
    const name = ports.names.length === 1 && !isRecord(value) ? arg : isRecord(value) ? `${arg}.${ports.names[i]}` : `${arg}[${i}]`;
    if (v === undefined || v === null) throw new ValueError(`${where}: argument '${name}' is ${describe(v)}`);
    return toTensor(where, name, v as TensorLike);
  });
}
