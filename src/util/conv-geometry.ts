/**
 * Output sizes and padding of 2-D convolutions and pooling windows, NHWC like Keras and TensorFlow.
 * `same` padding puts the extra pixel at the bottom/right, as TensorFlow does, so weights move between
 * frameworks without shifting the output.
 */
import { ShapeError, ValueError, describe, fmtShape } from './errors.js';

export type Padding = 'valid' | 'same';

export interface ConvInfo {
  batch: number;
  inH: number;
  inW: number;
  inC: number;
  outH: number;
  outW: number;
  outC: number;
  kH: number;
  kW: number;
  strideH: number;
  strideW: number;
  dilationH: number;
  dilationW: number;
  padTop: number;
  padLeft: number;
}

export interface PoolInfo {
  batch: number;
  inH: number;
  inW: number;
  channels: number;
  outH: number;
  outW: number;
  kH: number;
  kW: number;
  strideH: number;
  strideW: number;
  padTop: number;
  padLeft: number;
}

/** Accepts `3` or `[3, 3]`; checks positive integers. */
export function pair(where: string, arg: string, value: number | readonly number[]): [number, number] {
  const p: readonly unknown[] = typeof value === 'number' ? [value, value] : Array.isArray(value) ? value : [];
  if (p.length !== 2 || !p.every((v) => Number.isSafeInteger(v) && (v as number) > 0)) {
    throw new ValueError(`${where}: argument '${arg}' expected a positive integer or a pair of positive integers, received ${describe(value)}`);
  }
  return [p[0] as number, p[1] as number];
}

export function checkPadding(where: string, padding: unknown): Padding {
  if (padding !== 'valid' && padding !== 'same') {
    throw new ValueError(`${where}: argument 'padding' expected "valid" or "same", received ${describe(padding)}`);
  }
  return padding;
}

/** Accepts `3` or `[3, 3, 3]` (n entries); checks integers of at least `min` (default 1). */
export function tuple(where: string, arg: string, value: number | readonly number[], n: number, min = 1): number[] {
  const p = typeof value === 'number' ? new Array<number>(n).fill(value) : Array.isArray(value) ? [...value] : [];
  if (p.length !== n || !p.every((v) => Number.isInteger(v) && v >= min)) {
    const kind = min === 1 ? 'positive integer' : min === 0 ? 'non-negative integer' : `integer >= ${min}`;
    throw new ValueError(`${where}: argument '${arg}' expected a ${kind} or ${n === 2 ? 'a pair' : n} of them, received ${describe(value)}`);
  }
  return p;
}

/**
 * One spatial axis of a sliding window: its output size and the padding before it (TensorFlow's rule:
 * for "same", the extra pixel goes after). `effK` is the window size with dilation.
 */
export function outputSize(inSize: number, effK: number, stride: number, padding: Padding): { out: number; padBefore: number } {
  if (padding === 'same') {
    const out = Math.ceil(inSize / stride);
    const total = Math.max((out - 1) * stride + effK - inSize, 0);
    return { out, padBefore: Math.floor(total / 2) };
  }
  return { out: Math.max(Math.floor((inSize - effK) / stride) + 1, 0), padBefore: 0 };
}

/**
 * Keras's output length of a transposed convolution along one axis (`deconv_output_length`): without
 * `outputPadding`, the largest input a forward convolution maps to `inSize`; with it, PyTorch's formula.
 */
export function transposedOutputSize(inSize: number, kernel: number, stride: number, padding: Padding, dilation: number, outputPadding: number | null): number {
  const effK = (kernel - 1) * dilation + 1;
  if (outputPadding === null) return padding === 'valid' ? inSize * stride + Math.max(effK - stride, 0) : inSize * stride;
  const pad = padding === 'same' ? Math.floor(effK / 2) : 0;
  return (inSize - 1) * stride + effK - 2 * pad + outputPadding;
}

export function convGeometry(
  where: string,
  xShape: readonly number[],
  wShape: readonly number[],
  strides: [number, number],
  padding: Padding,
  dilations: [number, number],
): ConvInfo {
  if (xShape.length !== 4) {
    throw new ShapeError(`${where}: argument 'x' expected rank 4 [batch, height, width, channels], received shape ${fmtShape(xShape)}`);
  }
  if (wShape.length !== 4) {
    throw new ShapeError(
      `${where}: argument 'filter' expected rank 4 [kernelHeight, kernelWidth, inChannels, outChannels], received shape ${fmtShape(wShape)}`,
    );
  }
  const [batch, inH, inW, inC] = xShape as [number, number, number, number];
  const [kH, kW, wInC, outC] = wShape as [number, number, number, number];
  if (wInC !== inC) {
    throw new ShapeError(
      `${where}: argument 'filter' expected ${inC} input channels (dimension 2) to match x's last dimension, received shape ${fmtShape(wShape)}`,
    );
  }
  const effKH = (kH - 1) * dilations[0] + 1;
  const effKW = (kW - 1) * dilations[1] + 1;
  if (padding === 'valid' && (effKH > inH || effKW > inW)) {
    throw new ShapeError(
      `${where}: the ${effKH}x${effKW} kernel (with dilation) does not fit in the ${inH}x${inW} input with padding "valid"; use a smaller kernel or padding "same"`,
    );
  }
  const h = outputSize(inH, effKH, strides[0], padding);
  const w = outputSize(inW, effKW, strides[1], padding);
  return {
    batch, inH, inW, inC, outH: h.out, outW: w.out, outC, kH, kW,
    strideH: strides[0], strideW: strides[1], dilationH: dilations[0], dilationW: dilations[1],
    padTop: h.padBefore, padLeft: w.padBefore,
  };
}

export function poolGeometry(
  where: string,
  xShape: readonly number[],
  window: [number, number],
  strides: [number, number],
  padding: Padding,
): PoolInfo {
  if (xShape.length !== 4) {
    throw new ShapeError(`${where}: argument 'x' expected rank 4 [batch, height, width, channels], received shape ${fmtShape(xShape)}`);
  }
  const [batch, inH, inW, channels] = xShape as [number, number, number, number];
  if (padding === 'valid' && (window[0] > inH || window[1] > inW)) {
    throw new ShapeError(
      `${where}: the ${window[0]}x${window[1]} pool window does not fit in the ${inH}x${inW} input with padding "valid"`,
    );
  }
  const h = outputSize(inH, window[0], strides[0], padding);
  const w = outputSize(inW, window[1], strides[1], padding);
  return {
    batch, inH, inW, channels, outH: h.out, outW: w.out, kH: window[0], kW: window[1],
    strideH: strides[0], strideW: strides[1], padTop: h.padBefore, padLeft: w.padBefore,
  };
}
