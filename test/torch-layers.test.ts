/**
 * Layers TensorFlow.js lacks or computes differently, against PyTorch (Debian's python3-torch) on the same
 * inputs: GroupNormalization against torch.nn.functional.group_norm, and bilinear UpSampling2D (Keras's
 * half-pixel rule) against torch.nn.functional.interpolate(align_corners=False). Skips, saying why,
 * where /usr/bin/python3 with torch is missing.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { test } from 'node:test';
import { GroupNormalization, UpSampling2D, randomUniform, setSeed } from '../src/index.js';
import type { Tensor } from '../src/index.js';

const PYTHON = '/usr/bin/python3';

function unavailable(): string | null {
  if (!existsSync(PYTHON)) return `${PYTHON} is missing`;
  const probe = spawnSync(PYTHON, ['-c', 'import torch'], { encoding: 'utf8' });
  return probe.status === 0 ? null : `torch does not import in ${PYTHON} (apt install python3-torch)`;
}
const skip = unavailable();

/** Runs `script` with `x` (nested lists, NHWC) bound as a float64 torch tensor; the script prints JSON. */
function torch(script: string, x: Tensor): number[] {
  const program = `import json, sys, torch\nimport torch.nn.functional as F\nx = torch.tensor(json.loads(sys.stdin.read()), dtype=torch.float64)\n${script}`;
  const run = spawnSync(PYTHON, ['-c', program], { input: JSON.stringify(x.toArray()), encoding: 'utf8', maxBuffer: 1 << 26 });
  if (run.status !== 0) throw new Error(`python failed: ${run.stderr}`);
  return JSON.parse(run.stdout) as number[];
}

function assertClose(ours: Tensor, theirs: number[], tolerance: number, what: string): void {
  const a = ours.data();
  assert.equal(a.length, theirs.length, `${what}: value count`);
  let worst = 0;
  for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(a[i]! - theirs[i]!));
  assert.ok(worst < tolerance, `${what}: largest difference ${worst}`);
}

test('GroupNormalization equals torch.nn.functional.group_norm', { skip: skip ?? false }, () => {
  setSeed(3);
  const x = randomUniform([2, 5, 4, 6], { minval: -2, maxval: 3, dtype: 'float64' });
  const layer = new GroupNormalization({ groups: 3, epsilon: 1e-3, gammaInitializer: 'randomNormal', betaInitializer: 'randomNormal', dtype: 'float64' });
  const y = layer.apply(x);
  const [gamma, beta] = layer.weights;
  const script = `gamma = torch.tensor(${JSON.stringify(gamma!.toArray())}, dtype=torch.float64)
beta = torch.tensor(${JSON.stringify(beta!.toArray())}, dtype=torch.float64)
y = F.group_norm(x.permute(0, 3, 1, 2), 3, gamma, beta, eps=1e-3).permute(0, 2, 3, 1)
print(json.dumps(y.flatten().tolist()))`;
  assertClose(y, torch(script, x), 1e-9, 'group_norm');
});

test('bilinear UpSampling2D equals torch.nn.functional.interpolate with align_corners=False', { skip: skip ?? false }, () => {
  setSeed(4);
  const x = randomUniform([2, 3, 5, 2], { minval: -1, maxval: 1, dtype: 'float64' });
  const y = new UpSampling2D({ size: [2, 3], interpolation: 'bilinear', dtype: 'float64' }).apply(x);
  const script = `y = F.interpolate(x.permute(0, 3, 1, 2), scale_factor=(2, 3), mode='bilinear', align_corners=False).permute(0, 2, 3, 1)
print(json.dumps(y.flatten().tolist()))`;
  assertClose(y, torch(script, x), 1e-12, 'interpolate');
});
