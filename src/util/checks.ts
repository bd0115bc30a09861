/**
 * Argument checks: the one vocabulary every public entry uses, so that every message reads alike:
 *
 *     zeros: argument 'shape' expected a shape (an array of non-negative integers), received ["2", 3] (array of length 2): element 0 is "2", not a non-negative integer
 *     Dense: option 'units' expected a positive integer, received 1.5
 *     Dense: unknown option 'activaton' (did you mean 'activation'?); known options: units, activation, useBias
 *
 * A `Check<T>` says what it expects (`expected`, the words after "expected") and reads an unknown value
 * into a T. The vocabulary is `is`: numbers (`is.finite`, `is.positiveInteger`, `is.numberIn(0, 1, '[)')`...),
 * `is.boolean`, `is.nonEmptyString`, `is.oneOf([...])`, `is.dtype`, `is.shape`, `is.arrayOf(check)`,
 * `is.plainObject`, `is.func()`, `is.instanceOf(Class)`, and `is.satisfying(expected, guard)` for anything
 * else. Each check refines with `.optional()`, `.default(value)`, `.or(other)`, `.where(test, expected)`
 * and `.to(convert)`; a new kind is `new Check<T>(expected, (v) => (ok ? v : fail(detail)))`.
 *
 * One argument:
 *
 *     const n = checkArg('eye', 'n', n, is.nonNegativeInteger);
 *
 * An options object, declared once next to its interface: `optionsSpec` checks every key (an unknown key
 * throws, naming it, the closest known key and all of them: Keras refuses unknown keyword arguments) and
 * every value, and returns the typed options with their defaults filled in. `satisfies SpecFor<O>` makes
 * the compiler hold the spec and the interface to the same keys and types.
 *
 *     export interface RangeOptions { step?: number; dtype?: DType }
 *     const RANGE_OPTIONS = optionsSpec({
 *       step: is.finite.where((s) => s !== 0, 'a non-zero finite number').default(1),
 *       dtype: is.dtype.default('float32'),
 *     } satisfies SpecFor<RangeOptions>);
 *     const { step, dtype } = RANGE_OPTIONS.parse('range', options);   // { step: number; dtype: DType }
 *
 * A key whose value is `undefined` counts as absent, so options can be forwarded as `{ dtype: options.dtype }`.
 * Every failure is a ValueError; its message is `<where>: <argument|option> '<name>' expected <expected>,
 * received <value>`, with a detail after a colon where the check knows more.
 */
import type { DType } from './dtype.js';
import { DTYPES } from './dtype.js';
import { ValueError, describe } from './errors.js';

/** What a message calls the value: `argument 'x'`, `option 'units'`, `option 'fit.epochs'`. */
export interface Label {
  readonly kind: 'argument' | 'option';
  readonly name: string;
}

function labelText(label: Label): string {
  return `${label.kind} '${label.name}'`;
}

/** A failed check: the rest of the message once the label is known. */
export class Mismatch {
  constructor(readonly say: (label: Label) => string) {}
}

/** Returned by a check's `read` to fail with an optional detail (e.g. which element was wrong). */
export class Failure {
  constructor(readonly detail: string | undefined) {}
}

/** A read fails with `fail(detail)`; the Check adds what it expected and what it received. */
export function fail(detail?: string): Failure {
  return new Failure(detail);
}

/** How a check reads a value: the value as a T, `fail(detail?)`, or a nested check's Mismatch. */
export type Read<T> = (value: unknown) => T | Failure | Mismatch;

export class Check<T> {
  /**
   * `expected` completes "expected ...": "a positive integer". `read` returns the value (possibly
   * converted), `fail(detail?)`, or the Mismatch of a nested check.
   */
  constructor(
    readonly expected: string,
    private readonly read: Read<T>,
  ) {}

  /** The value as a T, or a Mismatch describing why not. */
  test(value: unknown): T | Mismatch {
    const r = this.read(value);
    if (r instanceof Failure) {
      const detail = r.detail === undefined ? '' : `: ${r.detail}`;
      return new Mismatch((label) => `${labelText(label)} expected ${this.expected}, received ${describe(value)}${detail}`);
    }
    return r;
  }

  /** `undefined` passes as undefined. */
  optional(): Check<T | undefined> {
    return new Check<T | undefined>(this.expected, (v) => (v === undefined ? undefined : this.test(v)));
  }

  /** `undefined` reads as `fallback`. */
  default(fallback: T): Check<T> {
    return new Check<T>(this.expected, (v) => (v === undefined ? fallback : this.test(v)));
  }

  /** This check, else `other` (the message names both). */
  or<U>(other: Check<U>): Check<T | U> {
    return new Check<T | U>(`${this.expected} or ${other.expected}`, (v) => {
      const a = this.test(v);
      if (!(a instanceof Mismatch)) return a;
      const b = other.test(v);
      return b instanceof Mismatch ? fail() : b;
    });
  }

  /**
   * Also requires `test` of the value: false fails saying `expected` (default: this check's), a string
   * fails with that string as the detail.
   */
  where(test: (value: T) => boolean | string, expected = this.expected): Check<T> {
    return new Check(expected, (v) => {
      const r = this.test(v);
      if (r instanceof Mismatch) return expected === this.expected ? r : fail();
      const ok = test(r);
      return ok === true ? r : fail(typeof ok === 'string' ? ok : undefined);
    });
  }

  /** The value converted by `convert` once it passed. */
  to<U>(convert: (value: T) => U): Check<U> {
    return new Check(this.expected, (v) => {
      const r = this.test(v);
      return r instanceof Mismatch ? r : convert(r);
    });
  }
}

/** The type a check reads. */
export type Checked<C> = C extends Check<infer T> ? T : never;

function throwMismatch(where: string, label: Label, m: Mismatch): never {
  throw new ValueError(`${where}: ${m.say(label)}`);
}

/** Checks one positional argument: `checkArg('eye', 'n', n, is.nonNegativeInteger)`. */
export function checkArg<T>(where: string, name: string, value: unknown, check: Check<T>): T {
  const r = check.test(value);
  return r instanceof Mismatch ? throwMismatch(where, { kind: 'argument', name }, r) : r;
}

/** Checks one option read on its own (prefer an optionsSpec for whole objects). */
export function checkOption<T>(where: string, name: string, value: unknown, check: Check<T>): T {
  const r = check.test(value);
  return r instanceof Mismatch ? throwMismatch(where, { kind: 'option', name }, r) : r;
}

// ---------------------------------------------------------------------------------------------------
// Spelling suggestions

/** Optimal-string-alignment distance (Levenshtein with adjacent swaps), case and underscores ignored. */
function distance(a: string, b: string): number {
  const x = a.toLowerCase().replace(/_/g, ''), y = b.toLowerCase().replace(/_/g, '');
  const d: number[][] = Array.from({ length: x.length + 1 }, (_, i) => Array.from({ length: y.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  for (let i = 1; i <= x.length; i++) {
    for (let j = 1; j <= y.length; j++) {
      const cost = x[i - 1] === y[j - 1] ? 0 : 1;
      let best = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && x[i - 1] === y[j - 2] && x[i - 2] === y[j - 1]) best = Math.min(best, d[i - 2]![j - 2]! + 1);
      d[i]![j] = best;
    }
  }
  return d[x.length]![y.length]!;
}

/** The known name closest to `name` when it is close enough to be a slip (`activaton`, `batch_size`), else undefined. */
export function closest(name: string, known: readonly string[]): string | undefined {
  let best: string | undefined, bestDistance = Infinity;
  for (const k of known) {
    const d = distance(name, k);
    if (d < bestDistance) [best, bestDistance] = [k, d];
  }
  return bestDistance <= Math.max(1, Math.floor(name.length / 3)) ? best : undefined;
}

// ---------------------------------------------------------------------------------------------------
// Options objects

/** A spec: one check per known key. */
export type Spec = { readonly [key: string]: Check<unknown> };

/** The typed options a spec reads: every key present, defaults filled in. */
export type Parsed<S extends Spec> = { -readonly [K in keyof S]: Checked<S[K]> };

/** The spec an options interface needs: one check per key, reading that key's type. Use with `satisfies`. */
export type SpecFor<O> = { readonly [K in keyof Required<O>]: Check<O[K]> };

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

function list(keys: readonly string[]): string {
  return keys.length === 0 ? 'none' : keys.join(', ');
}

export class OptionsSpec<S extends Spec> extends Check<Parsed<S>> {
  readonly keys: readonly string[];

  constructor(readonly spec: S) {
    const keys = Object.keys(spec);
    // Nested, as the value of an option, undefined reads as {} and a mismatch names 'outer.inner'.
    super(keys.length === 0 ? 'no options ({})' : `an options object { ${list(keys)} }`, (value) => {
      const r = readOptions(spec, keys, value ?? {});
      return r === NOT_AN_OBJECT ? fail() : r;
    });
    this.keys = keys;
  }

  /**
   * Checks `options` (undefined reads as {}): every key known, every value passing its check. Returns a
   * new object holding every key of the spec. `argument` names the options in a message about their type.
   */
  parse(where: string, options: unknown, argument = 'options'): Parsed<S> {
    const r = readOptions(this.spec, this.keys, options ?? {});
    if (r === NOT_AN_OBJECT) throw new ValueError(`${where}: argument '${argument}' expected ${this.expected}, received ${describe(options)}`);
    return r instanceof Mismatch ? throwMismatch(where, { kind: 'option', name: '' }, r) : r;
  }
}

const NOT_AN_OBJECT = Symbol('not an object');

function readOptions<S extends Spec>(spec: S, keys: readonly string[], value: unknown): Parsed<S> | Mismatch | typeof NOT_AN_OBJECT {
  if (!isPlainObject(value)) return NOT_AN_OBJECT;
  for (const key of Object.keys(value)) {
    if (Object.hasOwn(spec, key) || value[key] === undefined) continue;
    const hint = closest(key, keys);
    const suggestion = hint === undefined ? '' : ` (did you mean '${hint}'?)`;
    return new Mismatch((label) => {
      const top = label.name === '';
      const what = top ? `unknown option '${key}'` : `${labelText(label)} has an unknown key '${key}'`;
      return `${what}${suggestion}; known ${top ? 'options' : 'keys'}: ${list(keys)}`;
    });
  }
  const out: Record<string, unknown> = {};
  for (const key of keys) {
    const r = spec[key]!.test(value[key]);
    if (r instanceof Mismatch) return new Mismatch((label) => r.say({ kind: 'option', name: label.name === '' ? key : `${label.name}.${key}` }));
    out[key] = r;
  }
  return out as Parsed<S>;
}

/** Declares the checks of an options object once; see the top of this file. */
export function optionsSpec<S extends Spec>(spec: S): OptionsSpec<S> {
  return new OptionsSpec(spec);
}

// ---------------------------------------------------------------------------------------------------
// The vocabulary

function numberCheck(expected: string, ok: (v: number) => boolean): Check<number> {
  return new Check(expected, (v) => (typeof v === 'number' && ok(v) ? v : fail()));
}

type Bounds = '[]' | '[)' | '(]' | '()';

function interval(low: number, high: number, bounds: Bounds): string {
  const show = (v: number) => (v === Infinity ? '∞' : v === -Infinity ? '-∞' : String(v));
  return `${bounds[0]}${show(low)}, ${show(high)}${bounds[1]}`;
}

function inInterval(v: number, low: number, high: number, bounds: Bounds): boolean {
  return (bounds[0] === '[' ? v >= low : v > low) && (bounds[1] === ']' ? v <= high : v < high);
}

function quote(v: unknown): string {
  return typeof v === 'string' ? `"${v}"` : String(v);
}

function oneOf<const V extends string | number | boolean>(values: readonly V[]): Check<V> {
  const expected = values.length === 1 ? quote(values[0]) : `one of ${values.map(quote).join(', ')}`;
  const strings = values.filter((v): v is V & string => typeof v === 'string');
  return new Check(expected, (v) => {
    if ((values as readonly unknown[]).includes(v)) return v as V;
    const hint = typeof v === 'string' ? closest(v, strings) : undefined;
    return fail(hint === undefined ? undefined : `did you mean "${hint}"?`);
  });
}

function arrayOf<T>(element: Check<T>, options: { length?: number; minLength?: number; name?: string } = {}): Check<T[]> {
  const size = options.length !== undefined ? ` of length ${options.length}` : options.minLength ? ` of at least ${options.minLength}` : '';
  const expected = options.name ?? `an array${size} (each element ${element.expected})`;
  return new Check(expected, (v) => {
    if (!Array.isArray(v)) return fail();
    if (options.length !== undefined && v.length !== options.length) return fail(`expected length ${options.length}`);
    if (options.minLength !== undefined && v.length < options.minLength) return fail(`expected at least ${options.minLength} elements`);
    const out: T[] = new Array(v.length);
    for (let i = 0; i < v.length; i++) {
      const r = element.test(v[i]);
      if (r instanceof Mismatch) return fail(`element ${i} is ${describe(v[i])}, not ${element.expected}`);
      out[i] = r;
    }
    return out;
  });
}

const finite = numberCheck('a finite number', Number.isFinite);
const integer = numberCheck('an integer', Number.isSafeInteger);

export const is = {
  /** Anything (for values another layer checks, such as tensors). */
  unknown: new Check<unknown>('anything', (v) => v),
  /** Any number, NaN and ±Infinity included (e.g. a fill value). */
  number: numberCheck('a number', () => true),
  /** A finite number (no NaN, no ±Infinity). */
  finite,
  /** A finite number > 0. */
  positive: numberCheck('a positive number', (v) => Number.isFinite(v) && v > 0),
  /** A finite number >= 0. */
  nonNegative: numberCheck('a non-negative number', (v) => Number.isFinite(v) && v >= 0),
  /** A number in an interval: `numberIn(0, 1, '[)')` reads "a number in [0, 1)"; ±Infinity bounds are open ends. */
  numberIn(low: number, high: number, bounds: Bounds = '[]'): Check<number> {
    return numberCheck(`a number in ${interval(low, high, bounds)}`, (v) => inInterval(v, low, high, bounds));
  },
  /** A safe integer. */
  integer,
  positiveInteger: numberCheck('a positive integer', (v) => Number.isSafeInteger(v) && v > 0),
  nonNegativeInteger: numberCheck('a non-negative integer', (v) => Number.isSafeInteger(v) && v >= 0),
  /** An integer in [low, high]. */
  integerIn(low: number, high: number): Check<number> {
    return numberCheck(`an integer in [${low}, ${high}]`, (v) => Number.isSafeInteger(v) && v >= low && v <= high);
  },
  boolean: new Check<boolean>('a boolean (true or false)', (v) => (typeof v === 'boolean' ? v : fail())),
  string: new Check<string>('a string', (v) => (typeof v === 'string' ? v : fail())),
  nonEmptyString: new Check<string>('a non-empty string', (v) => (typeof v === 'string' && v !== '' ? v : fail())),
  /** A function; its signature cannot be checked at run time, so F is the caller's word. */
  func<F extends (...args: never[]) => unknown = (...args: never[]) => unknown>(): Check<F> {
    return new Check<F>('a function', (v) => (typeof v === 'function' ? (v as F) : fail()));
  },
  /** One of a few literal values; a misspelt string gets the closest one suggested. */
  oneOf,
  dtype: oneOf<DType>(DTYPES),
  /** A shape: an array of non-negative integers (a copy). */
  shape: arrayOf(numberCheck('a non-negative integer', (v) => Number.isSafeInteger(v) && v >= 0), { name: 'a shape (an array of non-negative integers)' }),
  /** An array whose every element passes `element` (a copy of the read values). */
  arrayOf,
  /** An object literal (not an array, class instance or null). */
  plainObject: new Check<Record<string, unknown>>('a plain object', (v) => (isPlainObject(v) ? v : fail())),
  instanceOf<T>(type: abstract new (...args: never[]) => T, expected = `a ${type.name}`): Check<T> {
    return new Check<T>(expected, (v) => (v instanceof type ? v : fail()));
  },
  /** Anything a type guard accepts, described by `expected`. */
  satisfying<T>(expected: string, guard: (v: unknown) => v is T): Check<T> {
    return new Check<T>(expected, (v) => (guard(v) ? v : fail()));
  },
  /** A nested options object (its keys are named 'outer.inner' in messages). */
  options: optionsSpec,
};
