/**
 * TensorFlow.js's WebAssembly backend lacks some kernels that training needs (Conv2DBackpropFilter among
 * them); stock, `trainOnBatch` stops with "Kernel 'Conv2DBackpropFilter' not registered for backend 'wasm'".
 *
 * Two ways to patch them in, both reported by the benchmark:
 * - `cpu-kernels`: every kernel the cpu backend has and the wasm backend lacks is registered as a bridge
 *   that copies the inputs to the cpu backend, runs the cpu kernel and copies the outputs back. The cpu
 *   backend's Conv2DBackpropFilter is a plain JavaScript loop about 100x slower than its forward conv, so
 *   this measures that kernel more than the wasm backend.
 * - `wasm-ops`: the same, except Conv2DBackpropFilter, which is written as a dilated convolution of the
 *   transposed input with the transposed output gradient, so it runs on the wasm backend's own conv2d.
 */
import * as tf from '@tensorflow/tfjs';

export const WASM_PATCHES = ['cpu-kernels', 'wasm-ops'] as const;
export type WasmPatch = (typeof WASM_PATCHES)[number];

export interface PatchedKernels {
  /** Each patched kernel and how it was implemented. */
  registered: Map<string, 'cpu kernel' | 'wasm ops'>;
  /** How often each patched kernel actually ran. */
  calls: Map<string, number>;
}

function moveTensorInfo(from: tf.KernelBackend, to: tf.KernelBackend, info: tf.TensorInfo): tf.TensorInfo {
  return { dataId: to.write(from.readSync(info.dataId), info.shape, info.dtype), shape: info.shape, dtype: info.dtype };
}

function cpuBridge(config: tf.KernelConfig, cpu: tf.KernelBackend, wasm: tf.KernelBackend): tf.KernelFunc {
  return ({ inputs, attrs }) => {
    const cpuInputs: tf.NamedTensorInfoMap = {};
    const copies: tf.TensorInfo[] = [];
    for (const [name, info] of Object.entries(inputs)) {
      if (info === undefined) continue;
      const copy = moveTensorInfo(wasm, cpu, info);
      cpuInputs[name] = copy;
      copies.push(copy);
    }
    const result = config.kernelFunc(attrs === undefined ? { inputs: cpuInputs, backend: cpu } : { inputs: cpuInputs, backend: cpu, attrs });
    const outputs = (Array.isArray(result) ? result : [result]).map((info) => {
      const moved = moveTensorInfo(cpu, wasm, info);
      cpu.disposeData(info.dataId);
      return moved;
    });
    for (const copy of copies) cpu.disposeData(copy.dataId);
    return Array.isArray(result) ? outputs : outputs[0]!;
  };
}

interface FilterGradientAttrs {
  strides: [number, number];
  pad: 'valid' | 'same';
  filterShape: [number, number, number, number];
}

function pairOf(value: unknown): [number, number] | null {
  if (typeof value === 'number') return [value, value];
  if (!Array.isArray(value) || value.length !== 2) return null;
  const [first, second] = value;
  return typeof first === 'number' && typeof second === 'number' ? [first, second] : null;
}

function filterGradientAttrs(attrs: tf.NamedAttrMap | undefined): FilterGradientAttrs {
  const strides = pairOf(attrs?.['strides']);
  const pad = attrs?.['pad'] === 'valid' ? 'valid' : attrs?.['pad'] === 'same' ? 'same' : null;
  const shape = attrs?.['filterShape'];
  const dataFormat = attrs?.['dataFormat'] ?? 'NHWC';
  if (strides === null || pad === null || dataFormat !== 'NHWC' || !Array.isArray(shape) || shape.length !== 4) {
    throw new Error(
      `Conv2DBackpropFilter (wasm ops): expected NHWC with strides, 'valid' or 'same' padding and a rank-4 filterShape, ` +
        `received ${JSON.stringify(attrs)}`,
    );
  }
  const [kH = 0, kW = 0, inC = 0, outC = 0] = shape.map(Number);
  return { strides, pad, filterShape: [kH, kW, inC, outC] };
}

/**
 * dW[kh, kw, ci, co] = sum over b, oh, ow of x[b, oh*sH + kh - padTop, ow*sW + kw - padLeft, ci] * dy[b, oh, ow, co]:
 * a stride-1 convolution of x viewed as [ci, H, W, b] with dy viewed as the filter [oH, oW, b, co], dilated by the stride.
 */
function filterGradientWithWasmOps(wasm: tf.KernelBackend): tf.KernelFunc {
  return ({ inputs, attrs }) => {
    const { x, dy } = inputs;
    if (x === undefined || dy === undefined) throw new Error('Conv2DBackpropFilter (wasm ops): expected inputs x and dy');
    const { strides, pad, filterShape } = filterGradientAttrs(attrs);
    const [kH, kW, inC, outC] = filterShape;
    const [batch = 0, inH = 0, inW = 0, channels = 0] = x.shape;
    const { padInfo } = tf.backend_util.computeConv2DInfo([batch, inH, inW, channels], filterShape, strides, 1, pad);
    // Tensors made from the inputs' buffers would free them when disposed, so take a reference first.
    wasm.incRef(x.dataId);
    wasm.incRef(dy.dataId);
    const gradient = tf.tidy(() => {
      const input = tf.engine().makeTensorFromTensorInfo(x);
      const outputGradient = tf.engine().makeTensorFromTensorInfo(dy);
      const padded = tf.pad(input, [[0, 0], [padInfo.top, padInfo.bottom], [padInfo.left, padInfo.right], [0, 0]]);
      const taps = tf.conv2d(
        tf.transpose(padded, [3, 1, 2, 0]) as tf.Tensor4D,
        tf.transpose(outputGradient, [1, 2, 0, 3]) as tf.Tensor4D,
        1,
        'valid',
        'NHWC',
        strides,
      );
      return tf.transpose(tf.slice(taps, [0, 0, 0, 0], [inC, kH, kW, outC]), [1, 2, 0, 3]);
    });
    // A fresh buffer: the engine takes ownership of what a kernel returns.
    const output = moveTensorInfo(wasm, wasm, gradient);
    gradient.dispose();
    return output;
  };
}

/** The filter gradient by its definition, in plain loops, for the check below. */
function filterGradientByDefinition(
  x: tf.Tensor4D,
  dy: tf.Tensor4D,
  filterShape: [number, number, number, number],
  stride: number,
  padTop: number,
  padLeft: number,
): Float32Array {
  const [batch, inH, inW, inC] = x.shape;
  const [, outH, outW, outC] = dy.shape;
  const [kH, kW] = filterShape;
  const xs = x.dataSync();
  const dys = dy.dataSync();
  const dw = new Float32Array(kH * kW * inC * outC);
  for (let b = 0; b < batch; b++)
    for (let oh = 0; oh < outH; oh++)
      for (let ow = 0; ow < outW; ow++)
        for (let kh = 0; kh < kH; kh++)
          for (let kw = 0; kw < kW; kw++) {
            const ih = oh * stride + kh - padTop;
            const iw = ow * stride + kw - padLeft;
            if (ih < 0 || ih >= inH || iw < 0 || iw >= inW) continue;
            for (let ci = 0; ci < inC; ci++)
              for (let co = 0; co < outC; co++) {
                dw[((kh * kW + kw) * inC + ci) * outC + co]! +=
                  xs[((b * inH + ih) * inW + iw) * inC + ci]! * dys[((b * outH + oh) * outW + ow) * outC + co]!;
              }
          }
  return dw;
}

/** Checks the wasm-ops formulation against the definition, so a wrong gradient cannot pass as a fast one. */
function checkFilterGradient(): void {
  for (const { stride, pad, size } of [
    { stride: 1, pad: 'valid', size: 9 },
    { stride: 2, pad: 'same', size: 8 },
  ] as const) {
    const filterShape: [number, number, number, number] = [3, 3, 3, 4];
    const x = tf.randomUniform([2, size, size, 3], -1, 1, 'float32', 1) as tf.Tensor4D;
    const info = tf.backend_util.computeConv2DInfo([2, size, size, 3], filterShape, stride, 1, pad);
    const dy = tf.randomUniform([2, info.outHeight, info.outWidth, 4], -1, 1, 'float32', 2) as tf.Tensor4D;
    const attrs = { strides: [stride, stride], pad, dataFormat: 'NHWC', filterShape };
    const gradient = tf.engine().runKernel<tf.Tensor>('Conv2DBackpropFilter', { x, dy }, attrs);
    const actual = gradient.dataSync();
    const expected = filterGradientByDefinition(x, dy, filterShape, stride, info.padInfo.top, info.padInfo.left);
    const worst = expected.reduce((m, v, i) => Math.max(m, Math.abs(v - (actual[i] ?? NaN))), 0);
    if (actual.length !== expected.length || !(worst < 1e-4)) {
      throw new Error(`Conv2DBackpropFilter (wasm ops): differs from its definition by ${worst} (stride ${stride}, ${pad})`);
    }
    tf.dispose([x, dy, gradient]);
  }
}

/** Call once the wasm backend is active. */
export function patchMissingWasmKernels(patch: WasmPatch): PatchedKernels {
  const cpu = tf.findBackend('cpu');
  const wasm = tf.findBackend('wasm');
  if (cpu === null || wasm === null) {
    throw new Error(`tfjs: expected the cpu and wasm backends to be registered, found ${tf.engine().backendNames().join(', ')}`);
  }
  const present = new Set(tf.getKernelsForBackend('wasm').map((k) => k.kernelName));
  const registered: PatchedKernels['registered'] = new Map();
  const calls = new Map<string, number>();
  for (const config of tf.getKernelsForBackend('cpu')) {
    const name = config.kernelName;
    if (present.has(name)) continue;
    const useWasmOps = patch === 'wasm-ops' && name === 'Conv2DBackpropFilter';
    const kernelFunc = useWasmOps ? filterGradientWithWasmOps(wasm) : cpuBridge(config, cpu, wasm);
    registered.set(name, useWasmOps ? 'wasm ops' : 'cpu kernel');
    tf.registerKernel({
      kernelName: name,
      backendName: 'wasm',
      kernelFunc: (params) => {
        calls.set(name, (calls.get(name) ?? 0) + 1);
        return kernelFunc(params);
      },
    });
  }
  if (patch === 'wasm-ops') checkFilterGradient();
  calls.clear();
  return { registered, calls };
}
