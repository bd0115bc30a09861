/**
 * The vocabulary of the kernel table (kernel-table.ts): what a kernel's operands are, and the types that
 * follow from them. A kernel is declared as one record of named operands — arrays (read, written or
 * updated in place, with the element types they accept) and scalar parameters (integers, floats,
 * booleans, enumerations, short integer or float lists, and named structs of those) — plus the lengths its
 * arrays must have. Everything else is derived from that record:
 *
 * - here, by type-level mapping: the argument object of each kernel (`ArgsOf`), hence the `Kernels`
 *   contract that every backend implements;
 * - by scripts/generate-kernels.mjs, during the build: the C++ enums and named parameter structs and the
 *   Node-API marshalling of the native backend, the AssemblyScript parameter structs of the WebAssembly
 *   backend, and the TypeScript glue that writes each call's parameters where those read them.
 *
 * Kernels take one argument object, so a parameter is always passed and read by name.
 */
import type { FloatArray, TypedArray } from '../util/dtype.js';
import { ValueError } from '../util/errors.js';

/**
 * The element types an array operand accepts: `float` (float32 or float64), `any` (every dtype), `int32`
 * (indices) or `bool` (bytes of 0 and 1). Fast backends run float32 (with int32 indices and bool masks);
 * any other dtype goes to the reference backend.
 */
export type Element = 'float' | 'any' | 'int32' | 'bool';

/** How a kernel uses an array: reads it, writes every element of it, or updates it in place. */
export type Access = 'in' | 'out' | 'inout';

export interface ArraySpec<E extends Element = Element, O extends boolean = boolean, L extends boolean = boolean> {
  readonly kind: 'array';
  readonly element: E;
  readonly access: Access;
  /** May be null (e.g. a bias that is not there). */
  readonly optional: O;
  /** A list of arrays of the same element type (at most `max`), e.g. the operands of a fused expression. */
  readonly list: L;
  readonly max: number;
}

export interface IntSpec {
  readonly kind: 'int';
  /** The least valid value (0 for sizes, 1 for strides). */
  readonly min: number;
}
export interface FloatSpec {
  readonly kind: 'float';
}
export interface BoolSpec {
  readonly kind: 'bool';
}
/** One of a closed list of names; backends see its index (a C++ and AssemblyScript enum of `name`). */
export interface EnumSpec<V extends string = string, T extends V = V> {
  readonly kind: 'enum';
  readonly name: string;
  readonly values: readonly V[];
  /** The values a kernel accepts, where it takes only some of them (of type T). */
  readonly accepted?: readonly T[];
}
/** A list of at most `max` integers (shapes and strides) or floats. */
export interface ListSpec<K extends 'ints' | 'floats' = 'ints' | 'floats'> {
  readonly kind: K;
  readonly max: number;
  /** An enumeration whose codes the list holds (a program's instructions): generated with the rest. */
  readonly codes?: EnumSpec;
}
export type ScalarSpec = IntSpec | FloatSpec | BoolSpec | EnumSpec | ListSpec;
/** Named fields passed together (a convolution's geometry): one struct type in C++ and AssemblyScript. */
export interface StructSpec<F extends Readonly<Record<string, ScalarSpec>> = Readonly<Record<string, ScalarSpec>>> {
  readonly kind: 'struct';
  readonly name: string;
  readonly fields: F;
}
export type ParamSpec = ScalarSpec | StructSpec;
export type OperandSpec = ArraySpec | ParamSpec;
export type Operands = Readonly<Record<string, OperandSpec>>;

type ArrayOf<E> = E extends 'float' ? FloatArray : E extends 'int32' ? Int32Array : E extends 'bool' ? Uint8Array : TypedArray;

/**
 * The TypeScript value of one operand. An array is a typed array of its element type, or also `D` where
 * arrays may live on a device (the calls ops make, kernels.ts's `Dispatch`; D is a DeviceArray).
 */
export type ValueOf<S, D = never> =
  S extends ArraySpec<infer E, infer O, infer L>
    ? L extends true ? readonly (ArrayOf<E> | D)[] : O extends true ? ArrayOf<E> | D | null : ArrayOf<E> | D
    : S extends IntSpec | FloatSpec ? number
    : S extends BoolSpec ? boolean
    : S extends EnumSpec<string, infer T> ? T
    : S extends ListSpec ? readonly number[]
    : S extends StructSpec<infer F> ? { readonly [N in keyof F]: ValueOf<F[N]> }
    : never;

/** The argument object of a kernel with these operands (arrays also of type D, see ValueOf). */
export type ArgsOf<O extends Operands, D = never> = { readonly [N in keyof O]: ValueOf<O[N], D> };

/** The names of a kernel's array operands. */
export type ArrayNames<O extends Operands> = { [N in keyof O]: O[N] extends ArraySpec ? N : never }[keyof O];

/**
 * Expected lengths of a call's arrays, computed from its parameters: an exact length, or `{ min }` for an
 * array read through strides (a broadcast operand). For a list, the length of each of its arrays. Arrays
 * left out have no length the parameters fix (an elementwise kernel's output). Fast backends check these
 * before touching memory, so a wrong call throws instead of reading past an array.
 */
export type Lengths<O extends Operands> = { readonly [N in ArrayNames<O>]?: number | { readonly min: number } };

// Methods rather than function properties, so that a kernel's spec is a KernelSpec of any operands.
export interface KernelSpec<O extends Operands = Operands> {
  readonly operands: O;
  lengths(args: ArgsOf<O>): Lengths<O>;
  /** A check of the parameters beyond their types (e.g. a program's register numbers); returns what is wrong. */
  validate?(args: ArgsOf<O>): string | null;
}

/** Declares a kernel: its operands, in the order backends receive them, and its arrays' lengths. */
export function kernel<O extends Operands>(
  operands: O,
  lengths: (args: ArgsOf<O>) => Lengths<O>,
  validate?: (args: ArgsOf<O>) => string | null,
): KernelSpec<O> {
  return validate ? { operands, lengths, validate } : { operands, lengths };
}

function array<E extends Element>(element: E, access: Access): ArraySpec<E, false, false> {
  return { kind: 'array', element, access, optional: false, list: false, max: 1 };
}

/** An array the kernel reads. */
export const input = <E extends Element>(element: E): ArraySpec<E, false, false> => array(element, 'in');
/** An array the kernel writes completely (it may hold garbage before: outputs come from recycled memory). */
export const output = <E extends Element>(element: E): ArraySpec<E, false, false> => array(element, 'out');
/** An array the kernel reads and updates in place. */
export const inout = <E extends Element>(element: E): ArraySpec<E, false, false> => array(element, 'inout');
/** An array the kernel reads when it is given (null otherwise). */
export const optionalInput = <E extends Element>(element: E): ArraySpec<E, true, false> => ({ ...array(element, 'in'), optional: true });
/** Up to `max` arrays the kernel reads (`in`) or updates in place (`inout`). */
export function arrays<E extends Element>(element: E, access: 'in' | 'inout', max: number): ArraySpec<E, false, true> {
  return { kind: 'array', element, access, optional: false, list: true, max };
}

/** A non-negative integer (sizes, indices). */
export const int: IntSpec = { kind: 'int', min: 0 };
/** An integer of at least 1 (strides, dilations). */
export const positive: IntSpec = { kind: 'int', min: 1 };
export const float: FloatSpec = { kind: 'float' };
export const bool: BoolSpec = { kind: 'bool' };
/** A list of at most `max` integers, holding the codes of `codes` if given. */
export const ints = (max: number, codes?: EnumSpec): ListSpec<'ints'> => (codes ? { kind: 'ints', max, codes } : { kind: 'ints', max });
/** A list of at most `max` floats. */
export const floats = (max: number): ListSpec<'floats'> => ({ kind: 'floats', max });

/** An enumeration called `name` in C++ and AssemblyScript, whose codes are the indices of `values`. */
export function oneOf<V extends string>(name: string, values: readonly V[]): EnumSpec<V, V> {
  return { kind: 'enum', name, values };
}

/** The same enumeration (same codes), of which a kernel accepts only `accepted`. */
export function only<V extends string, T extends V>(e: EnumSpec<V>, accepted: readonly T[]): EnumSpec<V, T> {
  return { kind: 'enum', name: e.name, values: e.values, accepted };
}

/**
 * A struct whose fields are exactly the keys of T (an interface declared elsewhere, e.g. ConvInfo in
 * util/conv-geometry.ts): a field missing from the declaration, or one T does not have, is a compile error.
 */
export function struct<T>(): <F extends { readonly [K in keyof T]: ScalarSpec }>(
  name: string,
  fields: F & Record<Exclude<keyof F, keyof T>, never>,
) => StructSpec<F> {
  return (name, fields) => ({ kind: 'struct', name, fields });
}

/**
 * Checks an array's length against what the call's parameters imply (generated checks call this before
 * a fast backend touches memory). A mismatch is a bug in the caller, so it throws rather than fall back.
 */
export function badLength(kernel: string, operand: string, actual: number, expected: number | { readonly min: number } | undefined): void {
  if (expected === undefined) return;
  if (typeof expected === 'number' ? actual === expected : actual >= expected.min) return;
  const wanted = typeof expected === 'number' ? `length ${expected}` : `length >= ${expected.min}`;
  throw new ValueError(`kernel ${kernel}: array '${operand}' expected ${wanted} for the call's parameters, received length ${actual}`);
}

/** Throws for a parameter outside what the kernel accepts. */
export function badParameter(kernel: string, operand: string, expected: string, received: unknown): never {
  throw new ValueError(`kernel ${kernel}: parameter '${operand}' expected ${expected}, received ${String(received)}`);
}
