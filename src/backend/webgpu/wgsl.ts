/**
 * Pieces every WGSL compute function shares: declarations of the bindings and of the parameters (64
 * words of a uniform, read as P(i) for u32, I(i) for i32 and F(i) for f32), the thread index over a
 * grid of up to 65535 x 65535 workgroups, and float functions that follow IEEE-754 (and the reference
 * backend) on zeros, infinities and NaN explicitly, since WGSL leaves them to the implementation.
 */
import type { DType } from '../../util/dtype.js';
import { ValueError } from '../../util/errors.js';
import type { GpuTensor } from './kernel.js';
import type { Access, Shader } from './recorder.js';

/** Threads of a one-dimensional workgroup. */
export const WORKGROUP = 256;
const MAX_GROUPS = 65535;

/** The WGSL element type of a dtype on the device (bool is a u32 of 0 or 1). */
export function wgslType(dtype: DType): 'f32' | 'i32' | 'u32' {
  switch (dtype) {
    case 'float32':
      return 'f32';
    case 'int32':
      return 'i32';
    case 'bool':
      return 'u32';
    case 'float64':
      throw new ValueError('webgpu: float64 has no WGSL type');
    default:
      return dtype satisfies never;
  }
}

export interface BindingDecl {
  readonly name: string;
  readonly type: 'f32' | 'i32' | 'u32';
  readonly access: Access;
}

/** Declarations of the bindings (in order), then the parameters' uniform and its readers. */
export function declarations(bindings: readonly BindingDecl[]): string {
  const lines = bindings.map(
    (b, i) => `@group(0) @binding(${i}) var<storage, ${b.access === 'read' ? 'read' : 'read_write'}> ${b.name}: array<${b.type}>;`,
  );
  lines.push(
    'struct Params { v: array<vec4<u32>, 16> };',
    `@group(0) @binding(${bindings.length}) var<uniform> params: Params;`,
    'fn P(i: u32) -> u32 { return params.v[i / 4u][i % 4u]; }',
    'fn I(i: u32) -> i32 { return bitcast<i32>(P(i)); }',
    'fn F(i: u32) -> f32 { return bitcast<f32>(P(i)); }',
  );
  return lines.join('\n');
}

/** A compute entry point over one thread per index below `count` (a WGSL expression), with `body` using `i`. */
export function entry(count: string, body: string, workgroup = WORKGROUP): string {
  return `
@compute @workgroup_size(${workgroup})
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(local_invocation_index) lid: u32, @builtin(num_workgroups) nwg: vec3<u32>) {
  let i = (wid.y * nwg.x + wid.x) * ${workgroup}u + lid;
  if (i >= ${count}) { return; }
${body}
}`;
}

/** Workgroups for `threads` threads of `per`-thread workgroups, on a two-dimensional grid. */
export function groups(threads: number, per = WORKGROUP): [number, number, number] {
  const n = Math.ceil(threads / per);
  if (n === 0) return [0, 1, 1];
  const x = Math.min(n, MAX_GROUPS);
  return [x, Math.ceil(n / x), 1];
}

/** A shader whose code is generated when its key is first seen. */
export function shader(key: string, access: readonly Access[], code: () => string): Shader {
  return { key, access, code };
}

/** Binding declarations for tensors, named in order. */
export function bind(names: readonly string[], tensors: readonly (GpuTensor | { dtype: DType })[], access: readonly Access[]): BindingDecl[] {
  return names.map((name, i) => ({ name, type: wgslType(tensors[i]!.dtype), access: access[i]! }));
}

/** Float helpers with explicit IEEE behaviour (WGSL may otherwise assume no NaN or infinity). */
export const MATH = `
// Private variables, not constants: WGSL rejects NaN and infinity in constant expressions.
var<private> NAN_BITS: u32 = 0x7fc00000u;
var<private> INF_BITS: u32 = 0x7f800000u;
fn nan_f() -> f32 { return bitcast<f32>(NAN_BITS); }
fn inf_f(negative: bool) -> f32 { return bitcast<f32>(INF_BITS | select(0u, 0x80000000u, negative)); }
fn is_nan(x: f32) -> bool { return (bitcast<u32>(x) & 0x7fffffffu) > 0x7f800000u; }
fn is_inf(x: f32) -> bool { return (bitcast<u32>(x) & 0x7fffffffu) == 0x7f800000u; }
fn is_finite(x: f32) -> bool { return (bitcast<u32>(x) & 0x7f800000u) != 0x7f800000u; }
fn sign_bit(x: f32) -> bool { return (bitcast<u32>(x) & 0x80000000u) != 0u; }
fn max_f(a: f32, b: f32) -> f32 { if (is_nan(a) || is_nan(b)) { return nan_f(); } return select(b, a, a > b); }
fn min_f(a: f32, b: f32) -> f32 { if (is_nan(a) || is_nan(b)) { return nan_f(); } return select(b, a, a < b); }
fn div_f(a: f32, b: f32) -> f32 {
  if (b == 0.0 && !is_nan(a)) {
    if (a == 0.0) { return nan_f(); }
    return inf_f(sign_bit(a) != sign_bit(b));
  }
  return a / b;
}
fn recip_f(x: f32) -> f32 { return div_f(1.0, x); }
fn exp_f(x: f32) -> f32 {
  if (is_nan(x)) { return x; }
  if (x > 88.72283) { return inf_f(false); }
  if (x < -103.97208) { return 0.0; }
  return exp(x);
}
fn log_f(x: f32) -> f32 {
  if (is_nan(x) || x < 0.0) { return nan_f(); }
  if (x == 0.0) { return inf_f(true); }
  if (is_inf(x)) { return x; }
  return log(x);
}
fn sqrt_f(x: f32) -> f32 {
  if (is_nan(x) || x < 0.0) { return nan_f(); }
  if (x == 0.0 || is_inf(x)) { return x; }
  return sqrt(x);
}
fn rsqrt_f(x: f32) -> f32 {
  if (x == 0.0) { return inf_f(sign_bit(x)); }
  return div_f(1.0, sqrt_f(x));
}
fn log1p_f(x: f32) -> f32 {
  if (is_nan(x) || x < -1.0) { return nan_f(); }
  if (x == -1.0) { return inf_f(true); }
  if (is_inf(x)) { return x; }
  let u = 1.0 + x;
  if (u == 1.0) { return x; }
  return log(u) * x / (u - 1.0);
}
fn expm1_f(x: f32) -> f32 {
  if (is_nan(x)) { return x; }
  if (x > 88.72283) { return inf_f(false); }
  if (x < -20.0) { return -1.0; }
  let u = exp(x);
  if (u == 1.0) { return x; }
  let um1 = u - 1.0;
  if (um1 == -1.0) { return -1.0; }
  return um1 * x / log(u);
}
fn sigmoid_f(x: f32) -> f32 {
  if (is_nan(x)) { return x; }
  if (x >= 0.0) { return 1.0 / (1.0 + exp_f(-x)); }
  let e = exp_f(x);
  return e / (1.0 + e);
}
fn tanh_f(x: f32) -> f32 {
  if (is_nan(x)) { return x; }
  if (x > 10.0) { return 1.0; }
  if (x < -10.0) { return -1.0; }
  // tanh|x| = -expm1(-2|x|) / (2 + expm1(-2|x|)): no cancellation near 0.
  let e = expm1_f(-2.0 * abs(x));
  let t = -e / (2.0 + e);
  return select(t, -t, x < 0.0);
}
fn softplus_f(x: f32) -> f32 {
  if (is_nan(x)) { return x; }
  if (x > 0.0) { return x + log1p_f(exp_f(-x)); }
  return log1p_f(exp_f(x));
}
fn erf_f(x: f32) -> f32 {
  let z = abs(x);
  let t = 1.0 / (1.0 + 0.5 * z);
  let r = t * exp_f(-z * z - 1.26551223 + t * (1.00002368 + t * (0.37409196 + t * (0.09678418 + t * (-0.18628806 +
    t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277)))))))));
  return select(r - 1.0, 1.0 - r, x >= 0.0);
}
fn gelu_f(x: f32) -> f32 { return 0.5 * x * (1.0 + erf_f(x * 0.7071067811865476)); }
fn is_odd_integer(b: f32) -> bool {
  if (!is_finite(b) || floor(b) != b || abs(b) >= 16777216.0) { return false; }
  return (i32(b) & 1) == 1;
}
fn pow_f(a: f32, b: f32) -> f32 {
  if (b == 0.0) { return 1.0; }
  if (is_nan(a) || is_nan(b)) { return nan_f(); }
  if (is_inf(b)) {
    let m = abs(a);
    if (m == 1.0) { return nan_f(); }
    return select(0.0, inf_f(false), (m > 1.0) == (b > 0.0));
  }
  let odd = is_odd_integer(b);
  if (a == 0.0 || is_inf(a)) {
    let big = (a == 0.0) == (b < 0.0);
    let negative = sign_bit(a) && odd;
    if (big) { return inf_f(negative); }
    return select(0.0, -0.0, negative);
  }
  if (a < 0.0) {
    if (floor(b) != b) { return nan_f(); }
    let r = exp2(b * log2(-a));
    return select(r, -r, odd);
  }
  return pow(a, b);
}
`;

/** WGSL for the reference's unary functions (see reference/elementwise.ts), of f32 `x` with parameter `alpha`. */
export function unaryExpression(op: string, x: string, alpha: string): string {
  switch (op) {
    case 'neg': return `-${x}`;
    case 'abs': return `abs(${x})`;
    // NaN and ±0 compare false both ways and pass through, as in the reference.
    case 'sign': return `select(select(${x}, -1.0, ${x} < 0.0), 1.0, ${x} > 0.0)`;
    case 'sqrt': return `sqrt_f(${x})`;
    case 'rsqrt': return `rsqrt_f(${x})`;
    case 'square': return `${x} * ${x}`;
    case 'exp': return `exp_f(${x})`;
    case 'log': return `log_f(${x})`;
    case 'log1p': return `log1p_f(${x})`;
    case 'reciprocal': return `recip_f(${x})`;
    // x <= 0 ? 0 : x, as the reference: NaN stays NaN (the compare is false), -0 gives +0.
    case 'relu': return `select(${x}, 0.0, ${x} <= 0.0)`;
    case 'leakyRelu': return `select(${alpha} * ${x}, ${x}, ${x} > 0.0)`;
    case 'elu': return `select(${alpha} * expm1_f(${x}), ${x}, ${x} > 0.0)`;
    case 'selu': return `select(1.0507009873554805 * 1.6732632423543772 * expm1_f(${x}), 1.0507009873554805 * ${x}, ${x} > 0.0)`;
    case 'gelu': return `gelu_f(${x})`;
    case 'sigmoid': return `sigmoid_f(${x})`;
    case 'tanh': return `tanh_f(${x})`;
    case 'softplus': return `softplus_f(${x})`;
    case 'floor': return `floor(${x})`;
    case 'ceil': return `ceil(${x})`;
    // WGSL's round() rounds halves to even, as the reference does.
    case 'round': return `round(${x})`;
    case 'linear': return x;
    default: throw new ValueError(`webgpu: no WGSL for unary op ${op}`);
  }
}

/** WGSL for the reference's derivatives f'(x) given x and y = f(x) (see reference/elementwise.ts derivativeFn). */
export function derivativeExpression(op: string, x: string, y: string, alpha: string): string {
  switch (op) {
    case 'neg': return '-1.0';
    case 'abs': return `select(select(0.0, -1.0, ${x} < 0.0), 1.0, ${x} > 0.0)`;
    case 'sqrt': return `div_f(0.5, ${y})`;
    case 'rsqrt': return `div_f(-0.5 * ${y}, ${x})`;
    case 'square': return `2.0 * ${x}`;
    case 'exp': return y;
    case 'log': return `recip_f(${x})`;
    case 'log1p': return `recip_f(1.0 + ${x})`;
    case 'reciprocal': return `-${y} * ${y}`;
    case 'relu': return `select(0.0, 1.0, ${y} > 0.0)`;
    case 'leakyRelu': return `select(${alpha}, 1.0, ${y} > 0.0)`;
    case 'elu': return `select(${y} + ${alpha}, 1.0, ${y} > 0.0)`;
    case 'selu': return `select(${y} + 1.0507009873554805 * 1.6732632423543772, 1.0507009873554805, ${y} > 0.0)`;
    case 'gelu': return `0.5 * (1.0 + erf_f(${x} * 0.7071067811865476)) + ${x} * exp_f(-0.5 * ${x} * ${x}) * 0.3989422804014327`;
    case 'sigmoid': return `${y} * (1.0 - ${y})`;
    case 'tanh': return `1.0 - ${y} * ${y}`;
    case 'softplus': return `-expm1_f(-${y})`;
    default: throw new ValueError(`webgpu: no WGSL derivative for ${op}`);
  }
}
