/**
 * The sequence and attention ops against PyTorch 1.13 in float64 (conv1d with every padding, strides,
 * dilation and groups; 1-D pooling; einsum on the equations attention uses and others), and masked
 * softmax against its definition. Skips the PyTorch parts, saying why, where /usr/bin/python3 has no torch.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import '../src/ops/tensor-methods.js';
import * as ops from '../src/ops/index.js';
import type { Padding1D } from '../src/ops/index.js';
import { tensor } from '../src/tensor/creation.js';
import type { Tensor } from '../src/tensor/tensor.js';
import { rand } from './grad-check.js';
import { runTorch, torchUnavailable } from './torch-runner.js';

type Nested = number | Nested[];

function assertClose(actual: Tensor, expected: Nested, tolerance = 1e-10, what = ''): void {
  const flat = (v: Nested): number[] => (Array.isArray(v) ? v.flatMap(flat) : [v]);
  const e = flat(expected), a = [...actual.data()];
  assert.equal(a.length, e.length, `${what}: ${a.length} values, expected ${e.length}`);
  const worst = Math.max(0, ...a.map((v, i) => Math.abs(v - e[i]!)));
  assert.ok(worst <= tolerance, `${what}: largest difference ${worst}`);
}

const skip = torchUnavailable();

describe('conv1d against PyTorch (float64)', { skip: skip ?? false }, () => {
  const cases: { x: number[]; w: number[]; strides?: number; padding: Padding1D; dilation?: number; groups?: number; bias?: boolean }[] = [
    { x: [2, 7, 3], w: [3, 3, 4], padding: 'valid', bias: true },
    { x: [2, 7, 3], w: [3, 3, 4], padding: 'same' },
    { x: [1, 8, 2], w: [4, 2, 3], padding: 'same', strides: 3, bias: true },
    { x: [2, 9, 2], w: [3, 2, 2], padding: 'causal', dilation: 2, bias: true },
    { x: [1, 5, 2], w: [2, 2, 2], padding: 'causal', strides: 2 },
    { x: [2, 10, 3], w: [3, 3, 2], padding: 'valid', strides: 2, dilation: 3 },
    { x: [2, 6, 4], w: [3, 2, 6], padding: 'same', groups: 2, bias: true },
    { x: [1, 6, 6], w: [2, 1, 6], padding: 'causal', groups: 6 },
  ];
  const CONV1D = `
import torch.nn.functional as F
x = t(inp['x']).permute(0, 2, 1)
w = t(inp['w']).permute(2, 1, 0)
s, d, g, mode = inp['strides'], inp['dilation'], inp['groups'], inp['padding']
L, k = x.shape[2], w.shape[2]
eff = (k - 1) * d + 1
if mode == 'causal':
    before, after = eff - 1, 0
elif mode == 'same':
    outs = -(-L // s)
    total = max((outs - 1) * s + eff - L, 0)
    before, after = total // 2, total - total // 2
else:
    before, after = 0, 0
y = F.conv1d(F.pad(x, (before, after)), w, t(inp['b']) if inp['bias'] else None, stride=s, dilation=d, groups=g)
out = l(y.permute(0, 2, 1))`;
  const runs = cases.map((c) => {
    const x = rand(c.x), w = rand(c.w), b = rand([c.w[2]!]);
    const options = { padding: c.padding, strides: c.strides ?? 1, dilation: c.dilation ?? 1, groups: c.groups ?? 1 };
    return { c, y: ops.conv1d(x, w, { ...options, ...(c.bias ? { bias: b } : {}) }), input: { x: x.toArray(), w: w.toArray(), b: b.toArray(), ...options, bias: c.bias ?? false } };
  });
  let expected: Nested[] | null = null;
  for (const [i, r] of runs.entries()) {
    test(JSON.stringify(r.c), () => {
      expected ??= runTorch<Nested>(CONV1D, runs.map((q) => q.input));
      assertClose(r.y, expected[i]!, 1e-10, 'conv1d');
    });
  }

  test('1-D pooling, max and average, valid and same', () => {
    const x = rand([2, 7, 3]);
    const settings = [['max', 2, 2, 'valid'], ['max', 3, 2, 'same'], ['avg', 3, 1, 'valid'], ['avg', 2, 2, 'same']] as const;
    // TensorFlow's 'same' pads at the end first and, for averages, leaves the padding out of the count.
    const expected = runTorch<Nested>(`
import torch.nn.functional as F
x = t(inp['x']).permute(0, 2, 1)
p, s, same, kind = inp['poolSize'], inp['strides'], inp['padding'] == 'same', inp['kind']
L = x.shape[2]
outs = -(-L // s) if same else (L - p) // s + 1
total = max((outs - 1) * s + p - L, 0) if same else 0
before, after = total // 2, total - total // 2
if kind == 'max':
    y = F.max_pool1d(F.pad(x, (before, after), value=float('-inf')), p, s)
else:
    ones = torch.ones_like(x)
    y = F.avg_pool1d(F.pad(x, (before, after)), p, s) / F.avg_pool1d(F.pad(ones, (before, after)), p, s)
out = l(y.permute(0, 2, 1))`, settings.map(([kind, poolSize, strides, padding]) => ({ x: x.toArray(), poolSize, strides, padding, kind })));
    settings.forEach(([kind, poolSize, strides, padding], i) => {
      const y = (kind === 'max' ? ops.maxPool1d : ops.avgPool1d)(x, { poolSize, strides, padding });
      assertClose(y, expected[i]!, 1e-12, `${kind} pool ${poolSize}/${strides} ${padding}`);
    });
  });
});

describe('einsum against PyTorch (float64)', { skip: skip ?? false }, () => {
  const cases: [string, number[], number[]][] = [
    ['abc,cde->abde', [2, 3, 4], [4, 2, 5]],
    ['abcd,cde->abe', [2, 3, 2, 4], [2, 4, 3]],
    ['aecd,abcd->acbe', [2, 5, 3, 4], [2, 6, 3, 4]],
    ['acbe,aecd->abcd', [2, 3, 6, 5], [2, 5, 3, 4]],
    ['ab,bc->ac', [3, 4], [4, 2]],
    ['ab,cb->ca', [3, 4], [2, 4]],
    ['abc,abd->acd', [2, 3, 4], [2, 3, 5]],
    ['ab,cd->abcd', [2, 3], [4, 2]],
    ['abc,b->ac', [2, 3, 4], [3]],
    ['abc,d->a', [2, 3, 4], [5]],
  ];
  const operands = cases.map(([, sa, sb]) => [rand(sa), rand(sb)] as const);
  let expected: Nested[] | null = null;
  cases.forEach(([equation], i) => {
    test(equation, () => {
      expected ??= runTorch<Nested>(
        `out = l(torch.einsum(inp['eq'], t(inp['a']), t(inp['b'])))`,
        cases.map(([eq], j) => ({ eq, a: operands[j]![0].toArray(), b: operands[j]![1].toArray() })),
      );
      assertClose(ops.einsum(equation, operands[i]![0], operands[i]![1]), expected[i]!, 1e-12, equation);
    });
  });
});

describe('einsum errors', () => {
  test('names the equation, the operand and the letter', () => {
    assert.throws(() => ops.einsum('ab,bc', rand([2, 3]), rand([3, 4])), /einsum: argument 'equation' expected .*one "->"/);
    assert.throws(() => ops.einsum('ab,bc,cd->ad', rand([2, 3]), rand([3, 4])), /exactly two operands/);
    assert.throws(() => ops.einsum('...a,ab->b', rand([2, 3]), rand([3, 4])), /letters only/);
    assert.throws(() => ops.einsum('ab,bc->az', rand([2, 3]), rand([3, 4])), /output letter "z"/);
    assert.throws(() => ops.einsum('ab,bc->ac', rand([2, 3]), rand([4, 4])), /letter "b" has size 3 in operand 'a' \[2, 3\] but 4 in operand 'b'/);
    assert.throws(() => ops.einsum('abc,bc->ac', rand([2, 3]), rand([3, 4])), /operand 'a' expected rank 3 for "abc", received shape \[2, 3\]/);
  });
});

describe('masked softmax', () => {
  test('masked positions get 0, the rest a softmax of their own; a fully masked row is uniform', () => {
    const x = tensor([[1, 2, 3, 4], [0.5, -1, 2, 0], [3, 3, 1, 9]]);
    const mask = tensor([[true, false, true, true], [false, false, false, false], [true, true, true, true]]);
    const y = ops.maskedSoftmax(x, mask).toArray() as number[][];
    const e = [Math.exp(1), Math.exp(3), Math.exp(4)], s = e[0]! + e[1]! + e[2]!;
    const expected = [[e[0]! / s, 0, e[1]! / s, e[2]! / s], [0.25, 0.25, 0.25, 0.25], (ops.softmax(x.slice([2, 0], [1, 4])).toArray() as number[][])[0]!];
    y.flat().forEach((v, i) => assert.ok(Math.abs(v - expected.flat()[i]!) < 1e-6, `element ${i}: ${v} vs ${expected.flat()[i]}`));
  });

  test('a mask broadcasts over heads; numbers count as keep where nonzero', () => {
    const x = rand([2, 3, 2, 4]);
    const mask = tensor([[[[1, 1, 0, 1], [1, 0, 0, 0]]], [[[1, 1, 1, 1], [0, 1, 1, 0]]]], { shape: [2, 1, 2, 4] });
    const y = ops.maskedSoftmax(x, mask);
    const values = y.data();
    for (let i = 0; i < values.length; i++) {
      const [b, , q, key] = [Math.floor(i / 24), Math.floor(i / 8) % 3, Math.floor(i / 4) % 2, i % 4];
      if (mask.data()[b * 8 + q * 4 + key] === 0) assert.equal(values[i], 0);
    }
    const rows = ops.sum(y, -1).data();
    rows.forEach((r) => assert.ok(Math.abs(r - 1) < 1e-12));
  });

  test('errors name the argument', () => {
    assert.throws(() => ops.maskedSoftmax(rand([2, 3]), tensor([true, false])), /maskedSoftmax: .*shapes \[2\] and \[2, 3\] cannot be broadcast|maskedSoftmax: argument 'mask'/);
    assert.throws(() => ops.maskedSoftmax(rand([2, 3]), rand([2, 2, 3])), /maskedSoftmax: argument 'mask' of shape \[2, 2, 3\] does not broadcast to x's shape \[2, 3\]/);
  });

  test('causalMask is lower triangular', () => {
    assert.deepEqual(ops.causalMask(3, 4).toArray(), [[true, false, false, false], [true, true, false, false], [true, true, true, false]]);
  });
});
