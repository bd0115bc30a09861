/**
 * Which saved tensor goes into which weight. By name first (`dense/kernel`), tolerating what other
 * writers add: a `:0` suffix, or the model's name in front (`sequential/dense/kernel`). When the layers
 * were named differently (a model built again in a process where `dense` was taken), by position: the
 * saved layers and the model's layers with weights, in order, must then agree in count and shapes.
 * Everything is checked before any weight changes, so a failed load leaves the model as it was.
 */
import type { BaseLayer } from '../../layers/index.js';
import { cast } from '../../ops/index.js';
import type { Tensor } from '../../tensor/tensor.js';
import type { Variable } from '../../tensor/variable.js';
import { ValueError, fmtShape } from '../../util/errors.js';
import { shapesEqual } from '../../util/shape.js';
import type { NamedTensor } from './weights.js';

export interface WeightPlan {
  /** The name each weight had in the file (optimizer slots are stored under it). */
  savedNames: Map<Variable, string>;
  /** Assigns the saved values. */
  apply(): void;
}

const clean = (name: string): string => name.replace(/:\d+$/, '');

/** The weight's own name within its layer: `kernel` of `dense/kernel`. */
function shortName(layer: BaseLayer, v: Variable): string {
  return v.name.startsWith(`${layer.name}/`) ? v.name.slice(layer.name.length + 1) : v.name;
}

class NameIndex {
  readonly #exact = new Map<string, NamedTensor>();
  readonly #suffixes = new Map<string, NamedTensor[]>();

  constructor(saved: readonly NamedTensor[]) {
    for (const w of saved) {
      const parts = clean(w.name).split('/');
      this.#exact.set(parts.join('/'), w);
      for (let k = 1; k < parts.length - 1; k++) {
        const key = parts.slice(k).join('/');
        this.#suffixes.set(key, [...(this.#suffixes.get(key) ?? []), w]);
      }
    }
  }

  find(key: string): NamedTensor | undefined {
    const exact = this.#exact.get(key);
    if (exact) return exact;
    const candidates = this.#suffixes.get(key) ?? [];
    return candidates.length === 1 ? candidates[0] : undefined;
  }
}

/** Every weight found by name, or the first one the file lacks. */
function byName(layers: readonly BaseLayer[], saved: readonly NamedTensor[]): { found: Map<Variable, NamedTensor> } | { missing: string } {
  const index = new NameIndex(saved);
  const found = new Map<Variable, NamedTensor>();
  for (const layer of layers) {
    for (const v of layer.weights) {
      const key = `${layer.name}/${shortName(layer, v)}`;
      const w = index.find(key);
      if (!w) return { missing: `'${key}' of ${layer.label}` };
      found.set(v, w);
    }
  }
  return { found };
}

/** The saved weights grouped by layer (the name without its last part), in the order the file lists layers. */
function savedLayers(saved: readonly NamedTensor[]): NamedTensor[][] {
  const groups = new Map<string, NamedTensor[]>();
  for (const w of saved) {
    const layer = clean(w.name).split('/').slice(0, -1).join('/');
    groups.set(layer, [...(groups.get(layer) ?? []), w]);
  }
  return [...groups.values()];
}

/** Matches layers in order; the message of a mismatch says what differs (the caller adds where). */
function byPosition(layers: readonly BaseLayer[], saved: readonly NamedTensor[]): Map<Variable, NamedTensor> {
  const mine = layers.filter((l) => l.weights.length > 0);
  const theirs = savedLayers(saved);
  const names = (ws: readonly NamedTensor[]): string => ws.map((w) => w.name).join(', ');
  if (mine.length !== theirs.length) {
    throw new ValueError(
      `the model has ${mine.length} layers with weights (${mine.map((l) => l.name).join(', ')}) but the file has weights for ${theirs.length} (${theirs.map((g) => clean(g[0]!.name).split('/').slice(0, -1).join('/')).join(', ')}),)`,
    );
  }
  const found = new Map<Variable, NamedTensor>();
  mine.forEach((layer, i) => {
    const group = theirs[i]!;
    const order = layer.weights.map((v) => group.find((w) => clean(w.name).endsWith(`/${shortName(layer, v)}`)));
    if (order.some((w) => !w) || group.length !== layer.weights.length) {
      throw new ValueError(`${layer.label} has weights ${layer.weights.map((v) => shortName(layer, v)).join(', ')}, but the file's layer ${i + 1} with weights has ${names(group)}`);
    }
    layer.weights.forEach((v, j) => found.set(v, order[j]!));
  });
  return found;
}

/** Matches every weight of `layers` to a saved tensor and checks shapes; throws naming the first problem. */
export function planWeights(layers: readonly BaseLayer[], saved: readonly NamedTensor[], where: string): WeightPlan {
  const expected = layers.flatMap((l) => l.weights);
  if (expected.length === 0 && saved.length === 0) return { savedNames: new Map(), apply: () => undefined };
  const named = byName(layers, saved);
  let found: Map<Variable, NamedTensor>;
  if ('found' in named) found = named.found;
  else {
    try {
      found = byPosition(layers, saved);
    } catch (error) {
      const names = saved.slice(0, 6).map((w) => `'${w.name}'`).join(', ') + (saved.length > 6 ? ', …' : '');
      throw new ValueError(`${where}: the file has no weight ${named.missing} (it has ${names || 'no weights'}); by position, the layers do not match either: ${(error as Error).message}`);
    }
  }
  const used = new Set([...found.values()]);
  const unused = saved.filter((w) => !used.has(w));
  if (unused.length > 0) {
    throw new ValueError(`${where}: the file has weights no layer of the model takes: ${unused.slice(0, 5).map((w) => `'${w.name}'`).join(', ')}${unused.length > 5 ? ', …' : ''}`);
  }
  const values: [Variable, Tensor][] = [];
  for (const [v, w] of found) {
    if (!shapesEqual(w.tensor.shape, v.shape)) {
      throw new ValueError(`${where}: weight '${w.name}' has shape ${fmtShape(w.tensor.shape)} in the file, but '${v.name}' of the model has shape ${fmtShape(v.shape)}`);
    }
    values.push([v, w.tensor.dtype === v.dtype ? w.tensor : cast(w.tensor, v.dtype)]);
  }
  return {
    savedNames: new Map([...found].map(([v, w]) => [v, w.name])),
    apply: () => values.forEach(([v, t]) => v.assign(t)),
  };
}
