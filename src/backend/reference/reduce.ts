/** Reductions over the middle axis of an [outer, size, inner] view. */
import type { Kernels, ReduceOp } from '../kernels.js';

function initial(op: ReduceOp): number {
  switch (op) {
    case 'sum': return 0;
    case 'prod': return 1;
    case 'max': return -Infinity;
    case 'min': return Infinity;
    default: return op satisfies never;
  }
}

export const reduceKernels: Pick<Kernels, 'reduce' | 'argReduce'> = {
  reduce({ op, x, out, reduction: { outer, size, inner } }) {
    for (let o = 0; o < outer; o++) {
      for (let j = 0; j < inner; j++) {
        let acc = initial(op);
        const base = o * size * inner + j;
        for (let r = 0; r < size; r++) {
          const v = x[base + r * inner]!;
          if (op === 'sum') acc += v;
          else if (op === 'prod') acc *= v;
          else if (Number.isNaN(v)) acc = NaN;
          else if (op === 'max' ? v > acc : v < acc) acc = v;
        }
        out[o * inner + j] = acc;
      }
    }
  },
  argReduce({ op, x, out, reduction: { outer, size, inner } }) {
    for (let o = 0; o < outer; o++) {
      for (let j = 0; j < inner; j++) {
        const base = o * size * inner + j;
        let best = 0;
        let bestValue = x[base]!;
        for (let r = 1; r < size; r++) {
          const v = x[base + r * inner]!;
          if (Number.isNaN(bestValue)) break;
          if (Number.isNaN(v) || (op === 'argmax' ? v > bestValue : v < bestValue)) {
            best = r;
            bestValue = v;
          }
        }
        out[o * inner + j] = best;
      }
    }
  },
};
