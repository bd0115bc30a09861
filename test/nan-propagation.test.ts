/**
 * NaN and infinities go through every op as in PyTorch and TensorFlow: one NaN in the input must come out
 * as NaN, never as a finite number (a relu that maps NaN to 0 hides it: the loss stays finite and the model
 * learns a constant). The kernel parity suite holds every backend to the reference on such inputs; here
 * the public ops are held to PyTorch (and NumPy for sign) on every backend that loads, when /usr/bin/python3
 * has torch, and a model given a NaN feature predicts NaN on every backend.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { describe, test } from 'node:test';
import * as lw from '../src/index.js';

const PYTHON = '/usr/bin/python3';

const ROW = [NaN, Infinity, -Infinity, -1.5, -0, 0, 2, 0.25];
const MATRIX = [
  [1, NaN, 3, 2], [Infinity, 1, 2, 3], [-Infinity, 1, 2, 3], [-Infinity, -Infinity, -Infinity, -Infinity], [4, 3, NaN, Infinity], [1, 2, 3, 4],
];
// NHWC [1, 4, 4, 1] with a NaN and infinities; 2x2 windows, stride 2.
const IMAGE = [1, NaN, 3, 4, 5, 6, -Infinity, -Infinity, Infinity, 0, -Infinity, -Infinity, 2, 3, 1, -1];
const KERNEL = [[0.5, -1], [2, 0.25], [-0.75, 1], [1, 1]];
const BIAS = [0.1, -0.2];
const FILTER = [1, -1, 0.5, 2];

/** What PyTorch (and NumPy for sign) computes on the same inputs, as strings so that NaN and ±inf survive. */
const TORCH_SCRIPT = `
import json, math, numpy as np, torch
import torch.nn.functional as F
row = torch.tensor([float(v) for v in ${JSON.stringify(ROW.map(String))}], dtype=torch.float32)
m = torch.tensor([[float(v) for v in r] for r in ${JSON.stringify(MATRIX.map((r) => r.map(String)))}], dtype=torch.float32)
img = torch.tensor([float(v) for v in ${JSON.stringify(IMAGE.map(String))}], dtype=torch.float32).reshape(1, 4, 4, 1).permute(0, 3, 1, 2)
w = torch.tensor(${JSON.stringify(KERNEL)}, dtype=torch.float32)
b = torch.tensor(${JSON.stringify(BIAS)}, dtype=torch.float32)
f = torch.tensor(${JSON.stringify(FILTER)}, dtype=torch.float32).reshape(1, 1, 2, 2)
out = lambda t: [str(float(v)) for v in t.detach().reshape(-1).tolist()]
print(json.dumps({
  'relu': out(F.relu(row)), 'leakyRelu': out(F.leaky_relu(row, 0.2)), 'elu': out(F.elu(row, 0.7)), 'selu': out(F.selu(row)),
  'sign': [str(float(v)) for v in np.sign(row.numpy())],
  'clip': out(torch.clamp(row, -1, 1)), 'maximum': out(torch.maximum(row, torch.tensor(0.5))), 'minimum': out(torch.minimum(row, torch.tensor(0.5))),
  'max': out(m.max(dim=1).values), 'min': out(m.min(dim=1).values),
  'argmax': [str(int(v)) for v in m.argmax(dim=1).tolist()], 'argmin': [str(int(v)) for v in m.argmin(dim=1).tolist()],
  'softmax': out(torch.softmax(m, 1)), 'logSoftmax': out(torch.log_softmax(m, 1)),
  'maxPool2d': out(F.max_pool2d(img, 2).permute(0, 2, 3, 1)),
  'linearRelu': out(F.relu(m @ w + b)),
  'conv2dRelu': out(F.relu(F.conv2d(img, f, torch.tensor([0.5]))).permute(0, 2, 3, 1)),
}))
`;

function torchExpectations(): Record<string, number[]> | string {
  if (!existsSync(PYTHON)) return `${PYTHON} is missing`;
  const r = spawnSync(PYTHON, ['-c', TORCH_SCRIPT], { encoding: 'utf8', timeout: 120_000 });
  if (r.status !== 0) return `PyTorch does not run in ${PYTHON} (apt install python3-torch): ${r.stderr.split('\n').slice(-2).join(' ')}`;
  const raw = JSON.parse(r.stdout) as Record<string, string[]>;
  const number = (v: string): number => (v === 'inf' ? Infinity : v === '-inf' ? -Infinity : v === 'nan' ? NaN : Number(v));
  return Object.fromEntries(Object.entries(raw).map(([k, v]) => [k, v.map(number)]));
}

/** The public ops on the same inputs (filter given in Keras's [kH, kW, inC, outC] layout). */
function ours(): Record<string, number[]> {
  const row = lw.tensor(ROW), m = lw.tensor(MATRIX), img = lw.tensor(IMAGE, { shape: [1, 4, 4, 1] });
  const values = (t: lw.Tensor) => [...t.data()].map(Number);
  return {
    relu: values(lw.relu(row)), leakyRelu: values(lw.leakyRelu(row, 0.2)), elu: values(lw.elu(row, 0.7)), selu: values(lw.selu(row)),
    sign: values(lw.sign(row)),
    clip: values(lw.clip(row, -1, 1)), maximum: values(lw.maximum(row, 0.5)), minimum: values(lw.minimum(row, 0.5)),
    max: values(lw.max(m, 1)), min: values(lw.min(m, 1)), argmax: values(lw.argmax(m, 1)), argmin: values(lw.argmin(m, 1)),
    softmax: values(lw.softmax(m)), logSoftmax: values(lw.logSoftmax(m)),
    maxPool2d: values(lw.maxPool2d(img, { poolSize: 2, strides: 2 })),
    linearRelu: values(lw.linear(m, lw.tensor(KERNEL), { bias: lw.tensor(BIAS), activation: 'relu' })),
    conv2dRelu: values(lw.conv2d(img, lw.tensor(FILTER, { shape: [2, 2, 1, 1] }), { bias: lw.tensor([0.5]), activation: 'relu' })),
  };
}

function assertSame(actual: number[], expected: number[], label: string): void {
  assert.equal(actual.length, expected.length, `${label}: length`);
  actual.forEach((a, i) => {
    const e = expected[i]!;
    const ok = Number.isNaN(e) ? Number.isNaN(a) : !Number.isFinite(e) ? a === e : Math.abs(a - e) <= 1e-5 + 1e-5 * Math.abs(e);
    assert.ok(ok, `${label}: [${i}] expected ${e}, received ${a} (all: ${actual.join(', ')})`);
  });
}

const backends = lw.availableBackends();
const expected = torchExpectations();

describe('ops on NaN and infinities match PyTorch', { skip: typeof expected === 'string' ? expected : false }, () => {
  for (const name of backends) {
    test(`on the ${name} backend`, () => {
      if (typeof expected === 'string') return;
      const previous = lw.backend() as lw.BackendName;
      lw.setBackend(name);
      try {
        const got = ours();
        for (const [op, want] of Object.entries(expected)) assertSame(got[op]!, want, `${op} on ${name}`);
      } finally {
        lw.setBackend(previous);
      }
    });
  }
});

describe('NaN is never hidden', () => {
  for (const name of backends) {
    test(`relu, max-pooling and the fused epilogues keep a NaN input on the ${name} backend`, () => {
      const previous = lw.backend() as lw.BackendName;
      lw.setBackend(name);
      try {
        // Big enough to reach the vector loops and the threaded paths.
        const x = new Float32Array(4099).fill(-1);
        x[4097] = NaN;
        const y = lw.relu(lw.tensor(x)).data();
        assert.ok(Number.isNaN(y[4097]!), `relu(NaN) on ${name} is ${y[4097]}`);
        assert.equal(y.filter(Number.isNaN).length, 1);
        const img = new Float32Array(2 * 8 * 8 * 3).fill(0.5);
        img[3 * 8 * 3 + 5 * 3 + 1] = NaN;
        const pooled = lw.maxPool2d(lw.tensor(img, { shape: [2, 8, 8, 3] }), { poolSize: 2 }).data();
        assert.equal(pooled.filter(Number.isNaN).length, 1, `max-pooling on ${name}`);
        const conv = lw.conv2d(lw.tensor(img, { shape: [2, 8, 8, 3] }), lw.fill([3, 3, 3, 4], -1), { activation: 'relu', padding: 'same' }).data();
        // The NaN pixel reaches the 3x3 neighbourhood of outputs, in every one of the 4 channels.
        assert.equal(conv.filter(Number.isNaN).length, 9 * 4, `conv2d + relu on ${name}`);
        const rows = new Float32Array(70 * 90).fill(1);
        rows[33 * 90 + 7] = NaN;
        const dense = lw.linear(lw.tensor(rows, { shape: [70, 90] }), lw.fill([90, 64], -1), { activation: 'relu' }).data();
        assert.equal(dense.filter(Number.isNaN).length, 64, `matmul + relu on ${name}`);
      } finally {
        lw.setBackend(previous);
      }
    });

    test(`a model given one NaN feature predicts NaN for that sample on the ${name} backend`, async () => {
      const previous = lw.backend() as lw.BackendName;
      lw.setBackend(name);
      try {
        lw.setSeed(3);
        const model = new lw.Sequential([
          new lw.Dense({ units: 8, activation: 'relu', inputShape: [4] }),
          new lw.Dense({ units: 3, activation: 'softmax' }),
        ]);
        const x = lw.tensor([[1, 2, 3, 4], [1, NaN, 3, 4], [0.5, 0.5, 0.5, 0.5]]);
        const p = [...(await model.predict(x)).data()];
        assert.ok(p.slice(3, 6).every(Number.isNaN), `the sample with NaN: ${p.slice(3, 6).join(', ')}`);
        assert.ok([...p.slice(0, 3), ...p.slice(6)].every(Number.isFinite), `the other samples: ${p.join(', ')}`);
      } finally {
        lw.setBackend(previous);
      }
    });
  }
});
