/**
 * einsum of two operands with an explicit output ('abc,cde->abde'), as one batched matrix product: the
 * letters split into batch letters (in both operands and the output), contracted letters (in both, not
 * the output) and free letters (in one operand and the output); each operand is laid out as [batch,
 * free, contracted] or [batch, contracted, free] (whichever needs no copy, else a transpose), one matmul
 * runs, and the result is permuted to the output's order. A letter in one operand only is summed first.
 * Gradients come from the ops it is made of. This is what EinsumDense and MultiHeadAttention's
 * projections and attention products compute.
 */
import { ShapeError, ValueError, describe, fmtShape } from '../util/errors.js';
import { sizeOf } from '../util/shape.js';
import type { TensorLike } from '../tensor/creation.js';
import type { Tensor } from '../tensor/tensor.js';
import { floatOperand } from './define-op.js';
import { matmul } from './linalg.js';
import { sum } from './reduce.js';
import { reshape, transpose } from './shape.js';

/** A parsed two-operand equation. */
export interface EinsumEquation {
  readonly a: string;
  readonly b: string;
  readonly out: string;
}

const LETTERS = /^[a-zA-Z]*$/;

/** Parses 'ab,bc->ac' (two operands, an explicit output, letters only, none repeated within a term). */
export function parseEinsum(where: string, equation: string): EinsumEquation {
  const bad = (why: string): never => {
    throw new ValueError(`${where}: argument 'equation' expected two operands and an output such as "abc,cd->abd" (${why}), received ${describe(equation)}`);
  };
  if (typeof equation !== 'string') return bad('a string');
  const [inputs, out, extra] = equation.replace(/\s+/g, '').split('->');
  if (inputs === undefined || out === undefined || extra !== undefined) return bad('one "->" before the output');
  const terms = inputs.split(',');
  if (terms.length !== 2) return bad('exactly two operands');
  const [a, b] = terms as [string, string];
  for (const term of [a, b, out]) {
    if (!LETTERS.test(term)) bad('letters only; no ellipsis');
    if (new Set(term).size !== term.length) bad(`a letter repeated within "${term}"`);
  }
  for (const letter of out) if (!a.includes(letter) && !b.includes(letter)) bad(`output letter "${letter}" is in neither operand`);
  return { a, b, out };
}

/** Sizes of each letter, checked to agree between operands. */
function letterSizes(where: string, eq: EinsumEquation, x: Tensor, y: Tensor): Map<string, number> {
  const sizes = new Map<string, number>();
  for (const [term, t, arg] of [[eq.a, x, 'a'], [eq.b, y, 'b']] as const) {
    if (t.rank !== term.length) {
      throw new ShapeError(`${where}: operand '${arg}' expected rank ${term.length} for "${term}", received shape ${fmtShape(t.shape)}`);
    }
    [...term].forEach((letter, i) => {
      const size = t.shape[i]!;
      const known = sizes.get(letter);
      if (known !== undefined && known !== size) {
        throw new ShapeError(`${where}: letter "${letter}" has size ${known} in operand 'a' ${fmtShape(x.shape)} but ${size} in operand 'b' ${fmtShape(y.shape)} ("${eq.a},${eq.b}->${eq.out}")`);
      }
      sizes.set(letter, size);
    });
  }
  return sizes;
}

/** Sums out the letters of `term` that `keep` lacks; returns the tensor and its remaining letters. */
function sumOut(t: Tensor, term: string, keep: (letter: string) => boolean): [Tensor, string] {
  const axes = [...term].flatMap((l, i) => (keep(l) ? [] : [i]));
  if (axes.length === 0) return [t, term];
  return [sum(t, axes), [...term].filter(keep).join('')];
}

/** t (letters `term`) permuted to the letters of `order`, without a copy when already there. */
function arrange(t: Tensor, term: string, order: string): Tensor {
  const perm = [...order].map((l) => term.indexOf(l));
  return perm.every((p, i) => p === i) ? t : transpose(t, perm);
}

/** einsum of two operands; see the top of this file. */
export function einsum(equation: string, a: TensorLike, b: TensorLike): Tensor {
  const where = 'einsum';
  const eq = parseEinsum(where, equation);
  const x0 = floatOperand(where, 'a', a), y0 = floatOperand(where, 'b', b);
  const sizes = letterSizes(where, eq, x0, y0);
  const inOut = (l: string): boolean => eq.out.includes(l);
  const [x, ta] = sumOut(x0, eq.a, (l) => inOut(l) || eq.b.includes(l));
  const [y, tb] = sumOut(y0, eq.b, (l) => inOut(l) || eq.a.includes(l));
  // Batch and free letters in the output's order, so that the product comes out in it where it can.
  const batch = [...eq.out].filter((l) => ta.includes(l) && tb.includes(l)).join('');
  const freeA = [...eq.out].filter((l) => ta.includes(l) && !tb.includes(l)).join('');
  const freeB = [...eq.out].filter((l) => tb.includes(l) && !ta.includes(l)).join('');
  const contracted = [...ta].filter((l) => tb.includes(l) && !inOut(l)).join('');
  const size = (letters: string): number => sizeOf([...letters].map((l) => sizes.get(l)!));
  // The operand whose free letters come first in the output is the left one.
  const swap = eq.out === batch + freeB + freeA && eq.out !== batch + freeA + freeB;
  const [left, lt, lf, right, rt, rf] = swap ? [y, tb, freeB, x, ta, freeA] : [x, ta, freeA, y, tb, freeB];
  const [nb, m, n, k] = [size(batch), size(lf), size(rf), size(contracted)];
  // Each operand as [batch, rows, cols], read transposed by the product when that saves a copy.
  const transA = lt !== batch + lf + contracted && lt === batch + contracted + lf;
  const transB = rt === batch + rf + contracted;
  const l = reshape(arrange(left, lt, transA ? batch + contracted + lf : batch + lf + contracted), transA ? [nb, k, m] : [nb, m, k]);
  const r = reshape(arrange(right, rt, transB ? batch + rf + contracted : batch + contracted + rf), transB ? [nb, n, k] : [nb, k, n]);
  const natural = batch + lf + rf;
  const result = reshape(matmul(l, r, { transposeA: transA, transposeB: transB }), [...natural].map((letter) => sizes.get(letter)!));
  return arrange(result, natural, eq.out);
}
