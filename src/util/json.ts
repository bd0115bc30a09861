/**
 * Settings as Keras and TensorFlow.js files write them: JSON values, and a reader that accepts snake_case
 * keys or their camelCase spelling and names the file position of anything it cannot use
 * (`model.json: modelTopology.config.layers[2].config.units expected an integer, received "3"`).
 */
import { ValueError, describe } from './errors.js';
import { snakeCase } from './names.js';

export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };
export interface JsonObject {
  [key: string]: JsonValue;
}

export function isJsonObject(v: unknown): v is JsonObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

const camelCase = (key: string): string => key.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());

/** Reads one saved config; `where` says where it sits in the file, for messages. */
/**
 * Where `value` nests deeper than `limit` arrays and objects: the path of the first such value
 * (`.config.layers[0]...`), or null. Iterative, so that a hostile document cannot overflow the stack of
 * the check meant to stop it.
 */
export function tooDeep(value: unknown, limit: number): string | null {
  interface Entry { value: unknown; depth: number; parent: Entry | null; key: string }
  const stack: Entry[] = [{ value, depth: 0, parent: null, key: '' }];
  while (stack.length > 0) {
    const e = stack.pop()!;
    if (typeof e.value !== 'object' || e.value === null) continue;
    if (e.depth >= limit) {
      const keys: string[] = [];
      for (let at: Entry | null = e; at !== null; at = at.parent) keys.push(at.key);
      keys.reverse();
      const path = keys.join('');
      return path.length > 120 ? `${path.slice(0, 120)}…` : path;
    }
    const children = Array.isArray(e.value) ? e.value.map((v, i) => [`[${i}]`, v] as const) : Object.entries(e.value).map(([k, v]) => [`.${k}`, v] as const);
    for (const [key, child] of children) stack.push({ value: child, depth: e.depth + 1, parent: e, key });
  }
  return null;
}

export class JsonReader {
  constructor(
    readonly config: JsonObject,
    readonly where: string,
  ) {}

  /** The value under a snake_case key or its camelCase spelling; undefined when absent. */
  get(key: string): JsonValue | undefined {
    return this.config[key] ?? this.config[camelCase(key)];
  }

  fail(key: string, expected: string): ValueError {
    return new ValueError(`${this.where}.${key} expected ${expected}, received ${describe(this.get(key))}`);
  }

  number(key: string, fallback?: number): number {
    const v = this.get(key);
    if ((v === undefined || v === null) && fallback !== undefined) return fallback;
    if (typeof v !== 'number' || !Number.isFinite(v)) throw this.fail(key, 'a number');
    return v;
  }

  integer(key: string, fallback?: number): number {
    const v = this.number(key, fallback);
    if (!Number.isInteger(v)) throw this.fail(key, 'an integer');
    return v;
  }

  boolean(key: string, fallback: boolean): boolean {
    const v = this.get(key);
    if (v === undefined || v === null) return fallback;
    if (typeof v !== 'boolean') throw this.fail(key, 'true or false');
    return v;
  }

  string(key: string, fallback?: string): string {
    const v = this.get(key);
    if ((v === undefined || v === null) && fallback !== undefined) return fallback;
    if (typeof v !== 'string') throw this.fail(key, 'a string');
    return v;
  }

  /** One of the keys of `values` (the file's spelling), mapped to its value. */
  choice<T>(key: string, values: Readonly<Record<string, T>>, fallback: string): T {
    const v = this.string(key, fallback);
    const found = values[v] ?? values[snakeCase(v)];
    if (found === undefined) throw this.fail(key, `one of ${Object.keys(values).map((k) => JSON.stringify(k)).join(', ')}`);
    return found;
  }

  /** An integer or a pair of integers (kernel sizes, strides): `3` or `[3, 3]`. */
  intOrPair(key: string, fallback?: number): number | [number, number] {
    const v = this.get(key);
    if ((v === undefined || v === null) && fallback !== undefined) return fallback;
    if (typeof v === 'number' && Number.isInteger(v)) return v;
    if (Array.isArray(v) && v.length === 1 && Number.isInteger(v[0])) return v[0] as number;
    if (Array.isArray(v) && v.length === 2 && v.every(Number.isInteger)) return [v[0] as number, v[1] as number];
    throw this.fail(key, 'an integer or a pair of integers');
  }

  /** A shape: integers, with null (or -1 where allowed) for unknown sizes. */
  shape(key: string): (number | null)[] {
    const v = this.get(key);
    if (!Array.isArray(v) || !v.every((d) => d === null || (typeof d === 'number' && Number.isInteger(d)))) throw this.fail(key, 'an array of integers or nulls');
    return v as (number | null)[];
  }
}

/**
 * A `{ class_name, config }` entry (an initializer, a regularizer): its class name and a reader of its
 * config. A bare class name counts as an empty config. Null when the value is absent or null.
 */
export function classEntry(v: JsonValue | undefined, where: string, expected: string): { className: string; config: JsonReader } | null {
  if (v === undefined || v === null) return null;
  const [className, config] = typeof v === 'string' ? [v, {}] : isJsonObject(v) ? [v['class_name'], v['config'] ?? {}] : [null, null];
  if (typeof className !== 'string' || !isJsonObject(config)) throw new ValueError(`${where} expected ${expected}, received ${describe(v)}`);
  return { className, config: new JsonReader(config, `${where}.config`) };
}
