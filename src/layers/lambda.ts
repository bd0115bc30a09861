/**
 * Lambda: a layer made of a function, for computations that need no weights (`new Lambda({ function: (x)
 * => x.mul(2) })`). A model file cannot hold code, so a saved Lambda records the function's source text
 * for the reader and nothing runs it: loading such a model asks for the function by the layer's name,
 * `loadModel(path, { customLayers: { Lambda: Lambda.withFunctions({ double: (x) => x.mul(2) }) } })`,
 * the way TensorFlow.js asks for custom layer classes to be registered.
 */
import { zeros } from '../tensor/creation.js';
import { noGrad } from '../tensor/tape.js';
import { Tensor } from '../tensor/tensor.js';
import type { SpecFor } from '../util/checks.js';
import { is, optionsSpec } from '../util/checks.js';
import { ValueError, describe } from '../util/errors.js';
import type { JsonObject } from '../util/json.js';
import { isJsonObject } from '../util/json.js';
import type { LayerConfig, LayerOptions } from './base-layer.js';
import type { ConfigReader } from './config.js';
import { Layer } from './layer.js';
import { LAYER_OPTIONS, isNull } from './layer-options.js';
import type { LayerShape } from './layer-shape.js';

export type LambdaFunction = (x: Tensor) => Tensor;

export interface LambdaOptions extends LayerOptions {
  /** The computation, from the input batch to the output batch (Keras's `function`). */
  function: LambdaFunction;
  /** One sample's output shape; by default found by running the function on a small input. */
  outputShape?: readonly (number | null)[];
}

const OPTIONS = optionsSpec({
  ...LAYER_OPTIONS,
  function: is.func<LambdaFunction>(),
  outputShape: is.arrayOf(is.positiveInteger.or(isNull)).optional(),
} satisfies SpecFor<LambdaOptions>);

export class Lambda extends Layer {
  readonly function: LambdaFunction;
  readonly outputShape: readonly (number | null)[] | null;

  constructor(options: LambdaOptions) {
    super(options);
    const o = OPTIONS.parse(this.label, options);
    this.function = o.function;
    this.outputShape = o.outputShape ?? null;
  }

  call(x: Tensor): Tensor {
    const y = this.function(x);
    if (!(y instanceof Tensor)) throw new ValueError(`${this.label}: the function expected to return a Tensor, returned ${describe(y)}`);
    return y;
  }

  /** The given output shape, else the shape of the function's output on zeros (unknown sizes read as 1). */
  override computeOutputShape(inputShape: LayerShape): LayerShape {
    if (this.outputShape) return [inputShape[0] ?? null, ...this.outputShape];
    const probe = noGrad(() => this.call(zeros(inputShape.map((d) => d ?? 1), this.dtype)));
    return [inputShape[0] ?? null, ...probe.shape.slice(1)];
  }

  override getConfig(): LayerConfig {
    return {
      function: { class_name: '__lambda__', config: { code: this.function.toString() } },
      output_shape: this.outputShape ? [...this.outputShape] : null,
      arguments: {},
      ...super.getConfig(),
    };
  }

  /** A loader of saved Lambda layers from the functions given for their names (for loadModel's customLayers). */
  static withFunctions(functions: Readonly<Record<string, LambdaFunction>>): (config: ConfigReader) => Lambda {
    return (c) => {
      const name = c.string('name');
      const fn = functions[name];
      if (typeof fn !== 'function') throw needsCode(c, `Lambda.withFunctions was given functions for ${Object.keys(functions).map((n) => `'${n}'`).join(', ') || 'no layer'}, not for '${name}'`);
      const shape = c.get('output_shape');
      return new Lambda({ ...c.base(), function: fn, ...(Array.isArray(shape) ? { outputShape: c.shape('output_shape') } : {}) });
    };
  }

  /** What loading does without the function: refuse, saying how to give it. */
  static refuse(c: ConfigReader): never {
    throw needsCode(c, 'a model file holds no code');
  }
}

function needsCode(c: ConfigReader, why: string): ValueError {
  const name = typeof c.get('name') === 'string' ? c.string('name') : 'lambda';
  const saved = c.get('function');
  const code = isJsonObject(saved) && isJsonObject(saved['config']) ? (saved['config'] as JsonObject)['code'] : undefined;
  const source = typeof code === 'string' ? ` (saved source: ${code.length > 200 ? `${code.slice(0, 200)}…` : code})` : '';
  return new ValueError(
    `the Lambda layer '${name}' needs its function${source}, and ${why}; supply it when loading: ` +
      `loadModel(path, { customLayers: { Lambda: Lambda.withFunctions({ ${name}: (x) => ... }) } })`,
  );
}
