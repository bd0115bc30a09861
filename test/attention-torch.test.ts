/**
 * MultiHeadAttention against PyTorch 1.13 in float64: torch.nn.MultiheadAttention with the weights of a
 * layerwise layer copied in (self- and cross-attention, key and value widths of their own, an attention
 * mask, padding masks, the causal mask; outputs and per-head attention weights), and, where PyTorch's
 * module cannot express the layer (value heads of another size, an output shape of its own, attention
 * over two axes), the same maths written out in torch.einsum. Skips where
 * /usr/bin/python3 has no torch.
 */
import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import '../src/ops/tensor-methods.js';
import { MultiHeadAttention } from '../src/layers/index.js';
import { tensor } from '../src/tensor/creation.js';
import type { Tensor } from '../src/tensor/tensor.js';
import { setSeed } from '../src/util/random.js';
import { rand } from './grad-check.js';
import { runTorch, torchUnavailable } from './torch-runner.js';

type Nested = number | Nested[];
const flat = (v: Nested): number[] => (Array.isArray(v) ? v.flatMap(flat) : [v]);

function assertClose(actual: Tensor, expected: Nested, what: string, tolerance = 1e-10): void {
  const e = flat(expected), a = [...actual.data()];
  assert.equal(a.length, e.length, `${what}: ${a.length} values, expected ${e.length}`);
  const worst = Math.max(0, ...a.map((v, i) => Math.abs(v - e[i]!)));
  assert.ok(worst <= tolerance, `${what}: largest difference ${worst}`);
}

interface Case {
  name: string;
  heads: number;
  keyDim: number;
  query: number[];
  value: number[];
  key?: number[];
  attentionMask?: boolean[][][];
  valueMask?: boolean[][];
  queryMask?: boolean[][];
  causal?: boolean;
  useBias?: boolean;
}

/** PyTorch's module with layerwise's weights: q/k/v kernels [features, heads, size] become [heads * size, features]. */
const TORCH_MODULE = `
from torch import nn
E, N = inp['embed'], inp['heads']
w = [t(x) for x in inp['weights']]
# Without biases the weights are the four kernels alone: give each bias its slot as None.
if not inp['bias']: w = [w[0], None, w[1], None, w[2], None, w[3], None]
kdim, vdim = w[2].shape[0], w[4].shape[0]
m = nn.MultiheadAttention(E, N, bias=inp['bias'], batch_first=True, kdim=kdim, vdim=vdim, dtype=torch.float64)
flatten = lambda k: k.reshape(k.shape[0], -1).T
with torch.no_grad():
    if m._qkv_same_embed_dim:
        m.in_proj_weight.copy_(torch.cat([flatten(w[0]), flatten(w[2]), flatten(w[4])]))
    else:
        m.q_proj_weight.copy_(flatten(w[0])); m.k_proj_weight.copy_(flatten(w[2])); m.v_proj_weight.copy_(flatten(w[4]))
    m.out_proj.weight.copy_(w[6].reshape(-1, w[6].shape[-1]).T)
    if inp['bias']:
        m.in_proj_bias.copy_(torch.cat([w[1].reshape(-1), w[3].reshape(-1), w[5].reshape(-1)]))
        m.out_proj.bias.copy_(w[7])
q, v = t(inp['query']), t(inp['value'])
k = t(inp['key']) if inp['key'] is not None else v
T, S = q.shape[1], v.shape[1]
allowed = torch.ones(q.shape[0], T, S, dtype=torch.bool)
if inp['attentionMask'] is not None: allowed &= torch.tensor(inp['attentionMask'])
if inp['queryMask'] is not None: allowed &= torch.tensor(inp['queryMask'])[:, :, None]
if inp['causal']: allowed &= torch.ones(T, S, dtype=torch.bool).tril()[None]
# PyTorch masks say where attention is NOT allowed, per batch and head.
attn_mask = (~allowed).repeat_interleave(N, 0)
padding = ~torch.tensor(inp['valueMask']) if inp['valueMask'] is not None else None
y, weights = m(q, k, v, attn_mask=attn_mask, key_padding_mask=padding, need_weights=True, average_attn_weights=False)
out = [l(y), l(weights)]
`;

const cases: Case[] = [
  { name: 'self-attention, 2 heads', heads: 2, keyDim: 3, query: [2, 4, 6], value: [2, 4, 6] },
  { name: 'cross-attention, key and value of their own widths', heads: 2, keyDim: 2, query: [2, 3, 4], value: [2, 5, 3], key: [2, 5, 7] },
  { name: 'no bias, one head', heads: 1, keyDim: 4, query: [1, 3, 4], value: [1, 2, 4], useBias: false },
  {
    name: 'attention mask [batch, queries, keys]', heads: 2, keyDim: 2, query: [2, 3, 4], value: [2, 4, 4],
    attentionMask: [[[true, false, true, true], [false, true, false, true], [true, true, true, false]], [[true, true, false, false], [false, false, false, true], [true, false, true, false]]],
  },
  { name: 'value padding mask', heads: 2, keyDim: 3, query: [2, 3, 6], value: [2, 4, 6], valueMask: [[true, true, true, false], [true, false, false, false]] },
  { name: 'causal, with a value padding mask', heads: 3, keyDim: 2, query: [2, 4, 6], value: [2, 4, 6], causal: true, valueMask: [[true, true, true, true], [true, true, false, false]] },
];

describe('MultiHeadAttention against torch.nn.MultiheadAttention (float64)', { skip: torchUnavailable() ?? false }, () => {
  const runs = cases.map((c) => {
    setSeed(5);
    const layer = new MultiHeadAttention({ numHeads: c.heads, keyDim: c.keyDim, useBias: c.useBias ?? true, dtype: 'float64', biasInitializer: 'randomNormal' });
    const query = rand(c.query), value = rand(c.value), key = c.key ? rand(c.key) : undefined;
    const [output, scores] = layer.apply(query, value, {
      returnAttentionScores: true,
      ...(key ? { key } : {}),
      ...(c.attentionMask ? { attentionMask: tensor(c.attentionMask) } : {}),
      ...(c.valueMask ? { valueMask: tensor(c.valueMask) } : {}),
      ...(c.queryMask ? { queryMask: tensor(c.queryMask) } : {}),
      useCausalMask: c.causal ?? false,
    });
    const input = {
      embed: c.query[2], heads: c.heads, bias: c.useBias ?? true, weights: layer.getWeights().map((w) => w.toArray()),
      query: query.toArray(), value: value.toArray(), key: key?.toArray() ?? null,
      attentionMask: c.attentionMask ?? null, valueMask: c.valueMask ?? null, queryMask: c.queryMask ?? null, causal: c.causal ?? false,
    };
    return { c, output, scores, input };
  });
  let expected: [Nested, Nested][] = [];
  before(() => {
    expected = runTorch<[Nested, Nested]>(TORCH_MODULE, runs.map((r) => r.input));
  });
  runs.forEach((r, i) => {
    test(r.c.name, () => {
      assertClose(r.output, expected[i]![0], 'output');
      assertClose(r.scores, expected[i]![1], 'attention weights');
    });
  });
});

/** The layer's maths in torch.einsum, from its weights: for what PyTorch's module cannot express. */
const TORCH_EINSUM = `
w = [t(x) for x in inp['weights']]
q, v = t(inp['query']), t(inp['value'])
k = v
def proj(x, kernel, bias, eq):
    y = torch.einsum(eq, x, kernel)
    return y + bias if bias is not None else y
r = q.dim()
letters = 'abcdefgh'
free = letters[:r - 1]
inp_eq = lambda n: f'{letters[:n - 1]}{letters[n - 1]},{letters[n - 1]}yz->{letters[:n - 1]}yz'
Q = proj(q, w[0], w[1], inp_eq(r)) / (inp['keyDim'] ** 0.5)
K = proj(k, w[2], w[3], inp_eq(r))
V = proj(v, w[4], w[5], inp_eq(r))
scores = torch.einsum(inp['dot'], K, Q)
# The softmax runs over all the key's attention axes together.
n = len(inp['axes'])
probs = torch.softmax(scores.reshape(*scores.shape[:-n], -1), -1).reshape(scores.shape)
combined = torch.einsum(inp['combine'], probs, V)
o_kernel = w[6]
out_eq = f'{free}yz,yz{"".join("pqrs"[:o_kernel.dim() - 2])}->{free}{"".join("pqrs"[:o_kernel.dim() - 2])}'
y = torch.einsum(out_eq, combined, o_kernel) + w[7]
out = [l(y), l(probs)]
`;

describe('MultiHeadAttention against its maths in torch.einsum (float64)', { skip: torchUnavailable() ?? false }, () => {
  const settings = [
    { name: 'value heads of another size and an output shape of its own', options: { numHeads: 2, keyDim: 3, valueDim: 5, outputShape: [2, 3] }, query: [2, 4, 6], value: [2, 3, 6], dot: 'aecd,abcd->acbe', combine: 'acbe,aecd->abcd', axes: [1] },
    { name: 'attention over two axes of a 2-D input', options: { numHeads: 2, keyDim: 2, attentionAxes: [1, 2] }, query: [2, 3, 2, 4], value: [2, 2, 3, 4], dot: 'afgde,abcde->adbcfg', combine: 'adbcfg,afgde->abcde', axes: [1, 2] },
    { name: 'attention over the second axis only (the first a batch axis)', options: { numHeads: 2, keyDim: 2, attentionAxes: [2] }, query: [2, 3, 4, 4], value: [2, 3, 2, 4], dot: 'abfde,abcde->abdcf', combine: 'abdcf,abfde->abcde', axes: [2] },
  ];
  const runs = settings.map((s) => {
    setSeed(9);
    const layer = new MultiHeadAttention({ ...s.options, dtype: 'float64', biasInitializer: 'randomNormal' });
    const query = rand(s.query), value = rand(s.value);
    const [output, scores] = layer.apply(query, value, { returnAttentionScores: true });
    return { s, output, scores, input: { weights: layer.getWeights().map((w) => w.toArray()), query: query.toArray(), value: value.toArray(), keyDim: s.options.keyDim, dot: s.dot, combine: s.combine, axes: s.axes } };
  });
  let expected: [Nested, Nested][] = [];
  before(() => {
    expected = runTorch<[Nested, Nested]>(TORCH_EINSUM, runs.map((r) => r.input));
  });
  runs.forEach((r, i) => {
    test(r.s.name, () => {
      assertClose(r.output, expected[i]![0], 'output');
      assertClose(r.scores, expected[i]![1], 'attention scores');
    });
  });
});
