/**
 * Names of losses, optimizers, metrics, activations and initializers are accepted both as Keras writes
 * them (`categorical_crossentropy`, `RMSprop`) and in camelCase (`categoricalCrossentropy`): they compare
 * equal once case and underscores are dropped. An unknown name lists the known ones.
 */
import { closest } from './checks.js';
import { ValueError, describe } from './errors.js';

/** The spelling-independent key of a name: `leaky_relu`, `leakyRelu` and `LeakyReLU` all give `leakyrelu`. */
export function nameKey(name: string): string {
  return name.toLowerCase().replace(/_/g, '');
}

/** Keras's default layer names: `Conv2D` -> `conv2d`, `MaxPooling2D` -> `max_pooling2d`. */
export function snakeCase(name: string): string {
  return name
    .replace(/(.)([A-Z][a-z]+)/g, '$1_$2')
    .replace(/([a-z])([A-Z])/g, '$1_$2')
    .toLowerCase();
}

const nameCounts = new Map<string, number>();

/** Keras's automatic names, shared by layers and models: `dense`, then `dense_1`, `dense_2`... */
export function uniqueName(prefix: string): string {
  const n = nameCounts.get(prefix) ?? 0;
  nameCounts.set(prefix, n + 1);
  return n === 0 ? prefix : `${prefix}_${n}`;
}

/**
 * Looks `name` up in `table` (keyed by camelCase names) ignoring case and underscores. `aliases` maps
 * extra spellings (`mse`, `acc`) to table keys. Throws naming `where`, `arg` and every known name.
 */
export function lookupName<T>(
  where: string,
  arg: string,
  name: unknown,
  table: Readonly<Record<string, T>>,
  aliases: Readonly<Record<string, string>> = {},
): T {
  if (typeof name === 'string') {
    const key = nameKey(name);
    const alias = Object.entries(aliases).find(([a]) => nameKey(a) === key)?.[1];
    const found = Object.keys(table).find((k) => nameKey(k) === nameKey(alias ?? name));
    if (found !== undefined) return table[found]!;
  }
  const names = [...Object.keys(table), ...Object.keys(aliases)];
  const hint = typeof name === 'string' ? closest(name, names) : undefined;
  throw new ValueError(
    `${where}: argument '${arg}' expected one of ${names.map((k) => `'${k}'`).join(', ')} (snake_case spellings such as 'categorical_crossentropy' work too), received ${describe(name)}${hint === undefined ? '' : `: did you mean '${hint}'?`}`,
  );
}
