/**
 * The fused epilogue of matmul and conv2d in WGSL: out = activation(acc + bias[channel]), the bias
 * optional (told by a parameter word, the shader binding a placeholder where there is none).
 */
import type { FusableActivation } from '../../kernels.js';
import { unaryExpression } from '../wgsl.js';

/** A WGSL function `epilogue(v, channel)`; `hasBias` and `alpha` are parameter words. */
export function epilogueCode(activation: FusableActivation, hasBias: number, alpha: number): string {
  return `
fn epilogue(acc: f32, channel: u32) -> f32 {
  var v = acc;
  if (P(${hasBias}u) != 0u) { v = v + bias[channel]; }
  return ${unaryExpression(activation, 'v', `F(${alpha}u)`)};
}`;
}
