/**
 * Times the compute of the catalogue's layers at the shapes of MobileNetV2's blocks (batch 32 unless --batch says otherwise) and of a
 * decoder: each op and, where one exists, its composed form (the oracle the op is tested against), forward
 * alone and forward + backward (gradients of the input and the filter). Median milliseconds of a few runs
 * after a warm-up; run it on an otherwise idle machine.
 *
 *   node dist/bench/layer-kernels.js [--runs 5] [--backend native|wasm|reference] [--only depthwise] [--batch 32]
 *
 * A smaller --batch keeps the composed depthwise form (which holds every tap's window for the backward pass)
 * within a shared machine's memory.
 */
import { parseArgs } from 'node:util';
import {
  backendInfo, conv2dTranspose, depthwiseConv2d, depthwiseConv2dComposed, mul, randomUniform, setBackend, setSeed, sum, upSampling2d,
  upSampling2dComposed, valueAndGrad,
} from '../src/index.js';
import type { BackendName, Tensor } from '../src/index.js';

const { values } = parseArgs({ options: { runs: { type: 'string', default: '5' }, backend: { type: 'string' }, only: { type: 'string', multiple: true }, batch: { type: 'string', default: '32' } } });
if (values.backend) setBackend(values.backend as BackendName);
const runs = Number(values.runs), batch = Number(values.batch);

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
}

function time(f: () => unknown): number {
  f();
  const ms: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    f();
    ms.push(performance.now() - t0);
  }
  return median(ms);
}

function random(shape: number[]): Tensor {
  return randomUniform(shape, { minval: -1, maxval: 1 });
}

interface Row {
  what: string;
  forward: number;
  backward: number;
}

/** Forward alone, and forward + backward through a fixed projection of the output. */
function measure(what: string, f: (...xs: Tensor[]) => Tensor, inputs: Tensor[]): Row {
  const projection = random([...f(...inputs).shape]);
  const loss = valueAndGrad((...xs: Tensor[]) => sum(mul(f(...xs), projection)));
  return { what, forward: time(() => f(...inputs).data()), backward: time(() => loss(...inputs).grads.map((g) => g.data())) };
}

setSeed(1);
const rows: Row[] = [];
const wanted = (name: string) => !values.only || values.only.some((o) => name.includes(o));

// MobileNetV2's depthwise 3x3 convolutions at 224x224 input: [h, w, channels, stride].
const depthwiseBlocks: [number, number, number, number][] = [[112, 112, 32, 1], [56, 56, 144, 1], [56, 56, 144, 2], [28, 28, 192, 1], [14, 14, 576, 1], [7, 7, 960, 1]];
for (const [h, w, c, s] of depthwiseBlocks) {
  if (!wanted('depthwise')) break;
  const x = random([batch, h, w, c]), k = random([3, 3, c, 1]);
  const opts = { strides: s, padding: 'same' as const };
  rows.push(measure(`depthwiseConv2d [${batch}, ${h}, ${w}, ${c}] 3x3 stride ${s}`, (a, b) => depthwiseConv2d(a, b, opts), [x, k]));
  rows.push(measure(`  composed`, (a, b) => depthwiseConv2dComposed(a, b, opts), [x, k]));
}

// A decoder's transposed convolutions (3x3, stride 2, "same"): [h, w, in, out].
for (const [h, w, ci, co] of [[28, 28, 64, 32], [14, 14, 128, 64]] as const) {
  if (!wanted('transpose')) break;
  const x = random([batch, h, w, ci]), k = random([3, 3, co, ci]);
  rows.push(measure(`conv2dTranspose [${batch}, ${h}, ${w}, ${ci}] -> ${co}, 3x3 stride 2`, (a, b) => conv2dTranspose(a, b, { strides: 2, padding: 'same' }), [x, k]));
}

for (const [h, w, c] of [[28, 28, 64], [14, 14, 128]] as const) {
  for (const interpolation of ['nearest', 'bilinear'] as const) {
    if (!wanted('upSampling')) continue;
    const x = random([batch, h, w, c]);
    rows.push(measure(`upSampling2d [${batch}, ${h}, ${w}, ${c}] x2 ${interpolation}`, (a) => upSampling2d(a, 2, { interpolation }), [x]));
    rows.push(measure(`  composed`, (a) => upSampling2dComposed(a, 2, { interpolation }), [x]));
  }
}

console.log(`${backendInfo()}, median of ${runs} runs\n`);
console.log('| op and shape | forward ms | forward + backward ms |\n| --- | ---: | ---: |');
for (const r of rows) console.log(`| ${r.what} | ${r.forward.toFixed(1)} | ${r.backward.toFixed(1)} |`);
