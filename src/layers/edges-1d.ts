/**
 * Amounts at the start and end of a sequence, as ZeroPadding1D and Cropping1D take them: one number for
 * both ends, or [start, end].
 */
import { Check, fail, is } from '../util/checks.js';
import type { ConfigReader } from './config.js';

/** `n` or `[start, end]`. */
export type Edges = number | readonly [number, number];

export const edges: Check<Edges> = new Check('a non-negative integer or a pair [start, end] of them', (v) => {
  if (typeof is.nonNegativeInteger.test(v) === 'number') return v as number;
  const pair = is.arrayOf(is.nonNegativeInteger, { length: 2 }).test(v);
  return Array.isArray(pair) ? [pair[0]!, pair[1]!] : fail();
});

/** [start, end] of an `Edges`. */
export function bothEdges(value: Edges): [number, number] {
  return typeof value === 'number' ? [value, value] : [value[0], value[1]];
}

/** An `Edges` setting as Keras writes it (`1` or `[1, 2]`); `fallback` when absent. */
export function readEdges(c: ConfigReader, key: string, fallback: number): [number, number] {
  const v = c.get(key);
  if (v === undefined || v === null) return [fallback, fallback];
  const r = edges.test(v);
  if (typeof r !== 'number' && !Array.isArray(r)) throw c.fail(key, edges.expected);
  return bothEdges(r as Edges);
}
