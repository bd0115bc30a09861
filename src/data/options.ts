/**
 * Checks of the datasets' and loaders' options: unknown keys are errors (a misspelt option would
 * otherwise be ignored silently), and numbers are checked where they enter.
 */
import { ValueError, describe } from '../util/errors.js';

/** Throws when `options` is not an object or has a key outside `known`, listing the known ones. */
export function checkOptions(where: string, options: unknown, known: readonly string[]): void {
  if (options === undefined) return;
  if (typeof options !== 'object' || options === null || Array.isArray(options)) {
    throw new ValueError(`${where}: argument 'options' expected an object, received ${describe(options)}`);
  }
  for (const key of Object.keys(options)) {
    if (!known.includes(key)) {
      throw new ValueError(`${where}: unknown option '${key}' (known options: ${known.join(', ')})`);
    }
  }
}

export function positiveInteger(where: string, name: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1) {
    throw new ValueError(`${where}: argument '${name}' expected a positive integer, received ${describe(value)}`);
  }
  return value;
}

export function nonNegativeInteger(where: string, name: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0) {
    throw new ValueError(`${where}: argument '${name}' expected a non-negative integer, received ${describe(value)}`);
  }
  return value;
}

export function oneOf<T extends string>(where: string, name: string, value: unknown, allowed: readonly T[]): T {
  if (!allowed.includes(value as T)) {
    throw new ValueError(`${where}: option '${name}' expected ${allowed.map((a) => JSON.stringify(a)).join(', ')}, received ${describe(value)}`);
  }
  return value as T;
}

/** How a loader treats a damaged item: stop with an error naming it (default), or skip it with a warning. */
export type OnError = 'throw' | 'skip';

export function onErrorOption(where: string, value: unknown): OnError {
  return value === undefined ? 'throw' : oneOf(where, 'onError', value, ['throw', 'skip'] as const);
}

/** A skipped item's warning, the way the library's other warnings read. */
export function warnSkipped(where: string, what: string): void {
  console.warn(`layerwise: ${where}: skipped ${what}`);
}
