/**
 * The fused epilogue of matmul and conv2d in WGSL: out = activation(acc + bias[channel]), the bias
 * optional and the activation chosen by parameter words (the shader binds a placeholder where there is
 * no bias). One pipeline serves every activation: the branch is the same for all threads of a dispatch,
 * and compiling a pipeline per activation costs more (seconds each on a software adapter) than it saves.
 */
import { FUSABLE_ACTIVATIONS } from '../../kernel-table.js';
import type { FusableActivation } from '../../kernels.js';
import type { Params } from '../recorder.js';
import { unaryExpression } from '../wgsl.js';

/** A WGSL function `epilogue(v, channel)` reading the words at `at` (has bias, activation, alpha). */
export function epilogueCode(at: number): string {
  const cases = FUSABLE_ACTIVATIONS.map((a, k) => `    case ${k}u: { return ${unaryExpression(a, 'v', `F(${at + 2}u)`)}; }`).join('\n');
  return `
fn epilogue(acc: f32, channel: u32) -> f32 {
  var v = acc;
  if (P(${at}u) != 0u) { v = v + bias[channel]; }
  switch (P(${at + 1}u)) {
${cases}
    default: { return v; }
  }
}`;
}

/** Writes the epilogue's words from `at`. */
export function writeEpilogue(p: Params, at: number, hasBias: boolean, activation: FusableActivation, alpha: number): void {
  p.u32(at, hasBias ? 1 : 0);
  p.u32(at + 1, FUSABLE_ACTIVATIONS.indexOf(activation));
  p.f32(at + 2, alpha);
}
