/**
 * Fused elementwise expressions: a few lines of maths over same-length arrays, run by the `expression`
 * kernel in one pass over memory (optimizers write their update rules this way; gated recurrent cells
 * and generated GPU code are next). An expression is written with ordinary methods on symbolic terms:
 *
 *   const [p, g, v] = operands(3);
 *   const velocity = v.mul(rho).add(g.square().mul(1 - rho));
 *   const program = compile({ 2: velocity, 0: p.sub(g.mul(lr).div(velocity.add(eps).sqrt())) });
 *
 * and compiles to a small register program: instructions of four integers [op, destination, a, b] over
 * at most EXPRESSION_REGISTERS registers. A source a or b names a register (below EXPRESSION_REGISTERS), a
 * number of the constant table (from CONSTANT_SOURCE on) or an operand's element (from OPERAND_SOURCE
 * on), so arithmetic reads operands and numbers where they are, without copying them first. Stores come
 * last and read registers only, so updating arrays in place is safe. The reference backend evaluates a
 * program in float64, the fast backends in float32, a block of elements at a time.
 */

/** The instructions, in the order of their codes. */
export const EXPRESSION_OPS = [
  // register <- source a (an operand or a number, for a store); operand a <- register b
  'copy', 'store',
  // register <- f(source a)
  'neg', 'abs', 'sqrt', 'square', 'exp', 'log', 'reciprocal', 'relu', 'sigmoid', 'tanh',
  // register <- source a (op) source b
  'add', 'sub', 'mul', 'div', 'maximum', 'minimum',
] as const;
export type ExpressionOp = (typeof EXPRESSION_OPS)[number];

type UnaryExpressionOp = 'neg' | 'abs' | 'sqrt' | 'square' | 'exp' | 'log' | 'reciprocal' | 'relu' | 'sigmoid' | 'tanh';
type BinaryExpressionOp = 'add' | 'sub' | 'mul' | 'div' | 'maximum' | 'minimum';

export const EXPRESSION_REGISTERS = 16;
export const EXPRESSION_MAX_OPERANDS = 16;
export const EXPRESSION_MAX_INSTRUCTIONS = 64;
export const EXPRESSION_MAX_CONSTANTS = 32;
/** Sources from here on read constant `source - CONSTANT_SOURCE`. */
export const CONSTANT_SOURCE = EXPRESSION_REGISTERS;
/** Sources from here on read operand `source - OPERAND_SOURCE`'s element. */
export const OPERAND_SOURCE = CONSTANT_SOURCE + EXPRESSION_MAX_CONSTANTS;

const CODE: Readonly<Record<ExpressionOp, number>> = Object.fromEntries(EXPRESSION_OPS.map((op, i) => [op, i])) as Record<ExpressionOp, number>;
const FIRST_BINARY = CODE.add;

type Node =
  | { readonly kind: 'operand'; readonly index: number }
  | { readonly kind: 'constant'; readonly value: number }
  | { readonly kind: 'unary'; readonly op: UnaryExpressionOp; readonly a: Term }
  | { readonly kind: 'binary'; readonly op: BinaryExpressionOp; readonly a: Term; readonly b: Term };

/** A symbolic value of an expression: an operand's element, a number, or maths on those. */
export class Term {
  readonly node: Node;

  constructor(node: Node) {
    this.node = node;
  }

  add(b: Term | number): Term {
    return binary('add', this, b);
  }
  sub(b: Term | number): Term {
    return binary('sub', this, b);
  }
  mul(b: Term | number): Term {
    return binary('mul', this, b);
  }
  div(b: Term | number): Term {
    return binary('div', this, b);
  }
  /** The larger of the two (NaN if either is NaN). */
  maximum(b: Term | number): Term {
    return binary('maximum', this, b);
  }
  minimum(b: Term | number): Term {
    return binary('minimum', this, b);
  }
  neg(): Term {
    return unary('neg', this);
  }
  abs(): Term {
    return unary('abs', this);
  }
  sqrt(): Term {
    return unary('sqrt', this);
  }
  square(): Term {
    return unary('square', this);
  }
  exp(): Term {
    return unary('exp', this);
  }
  log(): Term {
    return unary('log', this);
  }
  reciprocal(): Term {
    return unary('reciprocal', this);
  }
  relu(): Term {
    return unary('relu', this);
  }
  sigmoid(): Term {
    return unary('sigmoid', this);
  }
  tanh(): Term {
    return unary('tanh', this);
  }
}

function term(value: Term | number): Term {
  if (value instanceof Term) return value;
  if (typeof value !== 'number') throw new TypeError(`expression: expected a term or a number, received ${typeof value}`);
  return new Term({ kind: 'constant', value });
}

function unary(op: UnaryExpressionOp, a: Term): Term {
  return new Term({ kind: 'unary', op, a });
}

function binary(op: BinaryExpressionOp, a: Term, b: Term | number): Term {
  return new Term({ kind: 'binary', op, a, b: term(b) });
}

/** Terms for the elements of `count` operand arrays, in the order the kernel receives the arrays. */
export function operands(count: number): Term[] {
  return Array.from({ length: count }, (_, index) => new Term({ kind: 'operand', index }));
}

/** A compiled expression: what the `expression` kernel takes besides its arrays. */
export interface Program {
  readonly code: readonly number[];
  readonly constants: readonly number[];
}

/**
 * Compiles the values to store, keyed by operand index, into a program. Shared subterms are computed
 * once; registers are reused once their value is dead.
 */
export function compile(stores: Readonly<Record<number, Term>>): Program {
  const order: Term[] = [];
  const seen = new Set<Term>();
  const uses = new Map<Term, number>();
  const visit = (t: Term): void => {
    uses.set(t, (uses.get(t) ?? 0) + 1);
    if (seen.has(t)) return;
    seen.add(t);
    const n = t.node;
    if (n.kind === 'unary') visit(n.a);
    if (n.kind === 'binary') {
      visit(n.a);
      visit(n.b);
    }
    if (n.kind === 'unary' || n.kind === 'binary') order.push(t);
  };
  const targets = Object.entries(stores).map(([index, t]) => [Number(index), t] as const);
  for (const [, t] of targets) visit(t);

  const code: number[] = [];
  const constants: number[] = [];
  const registerOf = new Map<Term, number>();
  const free: number[] = Array.from({ length: EXPRESSION_REGISTERS }, (_, i) => EXPRESSION_REGISTERS - 1 - i);
  const remaining = new Map(uses);
  const allocate = (t: Term): number => {
    const r = free.pop();
    if (r === undefined) throw new Error(`expression: more than ${EXPRESSION_REGISTERS} values are live at once`);
    registerOf.set(t, r);
    return r;
  };
  /** The source that reads `t`; a computed value's register is freed after its last use. */
  const source = (t: Term): number => {
    const n = t.node;
    if (n.kind === 'operand') return OPERAND_SOURCE + n.index;
    if (n.kind === 'constant') {
      let at = constants.findIndex((c) => Object.is(c, n.value));
      if (at < 0) at = constants.push(n.value) - 1;
      return CONSTANT_SOURCE + at;
    }
    const r = registerOf.get(t)!;
    const left = remaining.get(t)! - 1;
    remaining.set(t, left);
    if (left === 0) free.push(r);
    return r;
  };
  for (const t of order) {
    const n = t.node;
    if (n.kind === 'unary') {
      const a = source(n.a);
      code.push(CODE[n.op], allocate(t), a, 0);
    } else if (n.kind === 'binary') {
      const a = source(n.a), b = source(n.b);
      code.push(CODE[n.op], allocate(t), a, b);
    }
  }
  // Stores read registers only: an operand or a number stored as it is is copied to a register first,
  // since an earlier store may have overwritten that operand.
  const stored = targets.map(([index, t]): [number, number] => {
    const n = t.node;
    if (n.kind === 'operand' || n.kind === 'constant') {
      const r = free.pop();
      if (r === undefined) throw new Error(`expression: more than ${EXPRESSION_REGISTERS} values are live at once`);
      code.push(CODE.copy, r, source(t), 0);
      return [index, r];
    }
    return [index, registerOf.get(t)!];
  });
  for (const [index, r] of stored) code.push(CODE.store, 0, index, r);
  const program = { code, constants };
  const problem = validateProgram(program.code, program.constants.length, Infinity);
  if (problem) throw new Error(`expression: ${problem}`);
  return program;
}

/**
 * What is wrong with a program run over `operandCount` arrays, or null. Fast backends run programs
 * unchecked, so the kernel table validates every call with this.
 */
export function validateProgram(code: readonly number[], constantCount: number, operandCount: number): string | null {
  if (code.length % 4 !== 0) return `program length ${code.length} is not a multiple of 4`;
  if (code.length > 4 * EXPRESSION_MAX_INSTRUCTIONS) return `program has more than ${EXPRESSION_MAX_INSTRUCTIONS} instructions`;
  if (constantCount > EXPRESSION_MAX_CONSTANTS) return `program has more than ${EXPRESSION_MAX_CONSTANTS} constants`;
  const operands = Math.min(operandCount, EXPRESSION_MAX_OPERANDS);
  const register = (r: number) => Number.isInteger(r) && r >= 0 && r < EXPRESSION_REGISTERS;
  const source = (s: number) =>
    register(s) ||
    (Number.isInteger(s) && s >= CONSTANT_SOURCE && s < CONSTANT_SOURCE + constantCount) ||
    (Number.isInteger(s) && s >= OPERAND_SOURCE && s < OPERAND_SOURCE + operands);
  for (let i = 0; i < code.length; i += 4) {
    const op = code[i]!, dst = code[i + 1]!, a = code[i + 2]!, b = code[i + 3]!;
    const at = `instruction ${i / 4}`;
    if (!Number.isInteger(op) || op < 0 || op >= EXPRESSION_OPS.length) return `${at}: unknown op ${op}`;
    if (op === CODE.store) {
      if (!(Number.isInteger(a) && a >= 0 && a < operands)) return `${at}: stores to operand ${a} of ${operandCount}`;
      if (!register(b)) return `${at}: stores register ${b}, out of range`;
      continue;
    }
    if (!register(dst)) return `${at}: register ${dst} out of range`;
    if (!source(a)) return `${at}: source ${a} out of range`;
    if (op >= FIRST_BINARY && !source(b)) return `${at}: source ${b} out of range`;
  }
  return null;
}
