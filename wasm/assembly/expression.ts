/**
 * The fused elementwise expression (src/backend/expression.ts): a small register program run over blocks
 * of elements. Each instruction is one vector loop over the block, so the program is decoded once per
 * block and the operands are read and written once; the registers live in the thread's scratch.
 */
import { ExpressionArgs, ExpressionOp } from '../generated/kernels';
import { vexp, vlog, vsigmoid, vtanh } from './vmath';

const BLOCK: i32 = 256;
/** src/backend/expression.ts's EXPRESSION_REGISTERS (programs are validated against it there). */
const REGISTERS: i32 = 16;

/** Bytes of scratch `expression` needs: its registers. */
export function expressionScratchBytes(): i32 {
  return REGISTERS * BLOCK * 4;
}

@inline function vunary(op: i32, x: v128): v128 {
  const zero = f32x4.splat(0), one = f32x4.splat(1);
  switch (op) {
    case ExpressionOp.Neg: return f32x4.neg(x);
    case ExpressionOp.Abs: return f32x4.abs(x);
    case ExpressionOp.Sqrt: return f32x4.sqrt(x);
    case ExpressionOp.Square: return f32x4.mul(x, x);
    case ExpressionOp.Exp: return vexp(x);
    case ExpressionOp.Log: return vlog(x);
    case ExpressionOp.Reciprocal: return f32x4.div(one, x);
    case ExpressionOp.Relu: return v128.and(x, f32x4.gt(x, zero));
    case ExpressionOp.Sigmoid: return vsigmoid(x);
    default: return vtanh(x);
  }
}

@inline function vbinary(op: i32, a: v128, b: v128): v128 {
  switch (op) {
    case ExpressionOp.Add: return f32x4.add(a, b);
    case ExpressionOp.Sub: return f32x4.sub(a, b);
    case ExpressionOp.Mul: return f32x4.mul(a, b);
    case ExpressionOp.Div: return f32x4.div(a, b);
    // f32x4.max/min return NaN when either lane is NaN, as the reference does.
    case ExpressionOp.Maximum: return f32x4.max(a, b);
    default: return f32x4.min(a, b);
  }
}

/** Elements [start, end) of every operand; lanes past the end of a block are computed on, never stored. */
export function expression(a: ExpressionArgs, start: i32, end: i32, scratch: usize): void {
  const code = a.program, constants = a.constants;
  const registerBytes = <usize>BLOCK * 4;
  for (let s = start; s < end; s += BLOCK) {
    const m = min(BLOCK, end - s);
    const bytes = <usize>m * 4, vectors = <usize>((m + 3) >> 2) << 4;
    for (let pc = 0; pc < code.size; pc += 4) {
      const op = code.at(pc);
      const dst = scratch + <usize>code.at(pc + 1) * registerBytes;
      const ia = code.at(pc + 2), ib = code.at(pc + 3);
      const ra = scratch + <usize>(ia & (REGISTERS - 1)) * registerBytes;
      const rb = scratch + <usize>(ib & (REGISTERS - 1)) * registerBytes;
      if (op == ExpressionOp.Load) {
        memory.copy(dst, load<usize>(a.operands + <usize>ia * 4) + <usize>s * 4, bytes);
      } else if (op == ExpressionOp.Constant) {
        const c = f32x4.splat(constants.at(ia));
        for (let o: usize = 0; o < vectors; o += 16) v128.store(dst + o, c);
      } else if (op == ExpressionOp.Store) {
        memory.copy(load<usize>(a.operands + <usize>ia * 4) + <usize>s * 4, rb, bytes);
      } else if (op < ExpressionOp.Add) {
        for (let o: usize = 0; o < vectors; o += 16) v128.store(dst + o, vunary(op, v128.load(ra + o)));
      } else {
        for (let o: usize = 0; o < vectors; o += 16) v128.store(dst + o, vbinary(op, v128.load(ra + o), v128.load(rb + o)));
      }
    }
  }
}
