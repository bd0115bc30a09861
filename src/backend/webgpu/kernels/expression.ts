/**
 * The fused expression kernel (../../expression.ts) in WGSL: each program is compiled once to straight-
 * line code over one element per thread, registers as local variables, numbers from the parameters. The
 * optimizers' update rules run this way: one dispatch per variable and step, in place.
 */
import { CONSTANT_SOURCE, EXPRESSION_OPS, OPERAND_SOURCE } from '../../expression.js';
import type { GpuKernels } from '../kernel.js';
import { dtypeOfArray } from '../kernel.js';
import { MATH, declarations, entry, groups, shader, unaryExpression } from '../wgsl.js';

// Parameter words: the length, then the constants.
const LENGTH = 0, CONSTANTS = 8;

/** The unary functions of a program, as the elementwise kernels write them (NaN and signed zeros included). */
const unaryOf = (op: string, x: string): string => unaryExpression(op, x, '0.0');
const BINARY: Readonly<Record<string, (a: string, b: string) => string>> = {
  add: (a, b) => `${a} + ${b}`,
  sub: (a, b) => `${a} - ${b}`,
  mul: (a, b) => `${a} * ${b}`,
  div: (a, b) => `div_f(${a}, ${b})`,
  maximum: (a, b) => `max_f(${a}, ${b})`,
  minimum: (a, b) => `min_f(${a}, ${b})`,
};

function source(s: number): string {
  if (s < CONSTANT_SOURCE) return `r${s}`;
  if (s < OPERAND_SOURCE) return `F(${CONSTANTS + s - CONSTANT_SOURCE}u)`;
  return `o${s - OPERAND_SOURCE}[i]`;
}

function body(program: readonly number[]): string {
  const lines: string[] = [];
  const declared = new Set<number>();
  for (let pc = 0; pc < program.length; pc += 4) {
    const op = EXPRESSION_OPS[program[pc]!]!;
    const dst = program[pc + 1]!, a = program[pc + 2]!, b = program[pc + 3]!;
    if (op === 'store') {
      lines.push(`  o${a}[i] = r${b};`);
      continue;
    }
    const value = op === 'copy' ? source(a) : op in BINARY ? BINARY[op]!(source(a), source(b)) : unaryOf(op, source(a));
    lines.push(declared.has(dst) ? `  r${dst} = ${value};` : `  var r${dst} = ${value};`);
    declared.add(dst);
  }
  return lines.join('\n');
}

export const expressionKernels: GpuKernels = {
  expression: {
    accepts: (a, limits) =>
      a.operands.length > 0 && a.operands.length <= limits.maxStorageBuffersPerShaderStage && a.operands.every((o) => dtypeOfArray(o) === 'float32'),
    run(gpu, { operands, program, constants }) {
      const n = operands[0]!.length;
      const names = operands.map((_, k) => `o${k}`);
      const s = shader(`expression:${operands.length}:${program.join(',')}`, operands.map(() => 'write'), () =>
        [
          declarations(names.map((name) => ({ name, type: 'f32', access: 'write' }))),
          MATH,
          entry(`P(${LENGTH}u)`, body(program)),
        ].join('\n'),
      );
      gpu.dispatch(s, operands, (p) => {
        p.u32(LENGTH, n);
        constants.forEach((c, k) => p.f32(CONSTANTS + k, c));
      }, groups(n));
    },
  },
};
