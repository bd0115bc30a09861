/**
 * The fused elementwise expression (src/backend/expression.ts): a small register program run over blocks
 * of elements. Each instruction is one vector loop over the block, reading operands and numbers where
 * they are, so the program is decoded once per block and operands are read and written once; the
 * registers live in the thread's scratch.
 */
import { CONSTANT_SOURCE, EXPRESSION_REGISTERS, ExpressionArgs, ExpressionOp, OPERAND_SOURCE } from '../generated/kernels';
import { vrelu } from './activation';
import { vexp, vlog, vsigmoid, vtanh } from './vmath';

const BLOCK: i32 = 1024;

/** Bytes of scratch `expression` needs: its registers. */
export function expressionScratchBytes(): i32 {
  return EXPRESSION_REGISTERS * BLOCK * 4;
}

@inline function vunary(op: i32, x: v128): v128 {
  const zero = f32x4.splat(0), one = f32x4.splat(1);
  switch (op) {
    case ExpressionOp.Copy: return x;
    case ExpressionOp.Neg: return f32x4.neg(x);
    case ExpressionOp.Abs: return f32x4.abs(x);
    case ExpressionOp.Sqrt: return f32x4.sqrt(x);
    case ExpressionOp.Square: return f32x4.mul(x, x);
    case ExpressionOp.Exp: return vexp(x);
    case ExpressionOp.Log: return vlog(x);
    case ExpressionOp.Reciprocal: return f32x4.div(one, x);
    case ExpressionOp.Relu: return vrelu(x);
    case ExpressionOp.Sigmoid: return vsigmoid(x);
    // Zero and NaN compare false both ways, so they pass through as they are.
    case ExpressionOp.Sign: return v128.bitselect(one, v128.bitselect(f32x4.splat(-1), x, f32x4.lt(x, zero)), f32x4.gt(x, zero));
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

/** Lane group `o` (byte offset) of a source: a register, a number (0 stands for "use `c`") or an operand's elements. */
@inline function read(p: usize, c: v128, o: usize, tail: usize): v128 {
  if (p == 0) return c;
  // The last lanes of an operand may run past its end: read those one at a time.
  if (o + 16 > tail) {
    let v = f32x4.splat(0);
    const n = (tail - o) >> 2;
    if (n > 0) v = f32x4.replace_lane(v, 0, load<f32>(p + o));
    if (n > 1) v = f32x4.replace_lane(v, 1, load<f32>(p + o + 4));
    if (n > 2) v = f32x4.replace_lane(v, 2, load<f32>(p + o + 8));
    return v;
  }
  return v128.load(p + o);
}

/** Elements [start, end) of every operand. */
export function expression(a: ExpressionArgs, start: i32, end: i32, scratch: usize): void {
  const code = a.program, constants = a.constants;
  const registerBytes = <usize>BLOCK * 4;
  const never = <usize>-1;
  for (let s = start; s < end; s += BLOCK) {
    const m = min(BLOCK, end - s);
    const bytes = <usize>m * 4, vectors = <usize>((m + 3) >> 2) << 4;
    for (let pc = 0; pc < code.size; pc += 4) {
      const op = code.at(pc);
      if (op == ExpressionOp.Store) {
        memory.copy(load<usize>(a.operands + <usize>code.at(pc + 2) * 4) + <usize>s * 4, scratch + <usize>code.at(pc + 3) * registerBytes, bytes);
        continue;
      }
      const dst = scratch + <usize>code.at(pc + 1) * registerBytes;
      // Each source as (address, number, bytes readable as whole vectors).
      const sa = code.at(pc + 2), sb = code.at(pc + 3);
      let pa: usize = 0, pb: usize = 0, ta = never, tb = never;
      let ca = f32x4.splat(0), cb = f32x4.splat(0);
      if (sa < CONSTANT_SOURCE) pa = scratch + <usize>sa * registerBytes;
      else if (sa < OPERAND_SOURCE) ca = f32x4.splat(constants.at(sa - CONSTANT_SOURCE));
      else {
        pa = load<usize>(a.operands + <usize>(sa - OPERAND_SOURCE) * 4) + <usize>s * 4;
        ta = bytes;
      }
      if (op >= ExpressionOp.Add) {
        if (sb < CONSTANT_SOURCE) pb = scratch + <usize>sb * registerBytes;
        else if (sb < OPERAND_SOURCE) cb = f32x4.splat(constants.at(sb - CONSTANT_SOURCE));
        else {
          pb = load<usize>(a.operands + <usize>(sb - OPERAND_SOURCE) * 4) + <usize>s * 4;
          tb = bytes;
        }
        for (let o: usize = 0; o < vectors; o += 16) v128.store(dst + o, vbinary(op, read(pa, ca, o, ta), read(pb, cb, o, tb)));
      } else {
        for (let o: usize = 0; o < vectors; o += 16) v128.store(dst + o, vunary(op, read(pa, ca, o, ta)));
      }
    }
  }
}
