/**
 * Conv2DTranspose: the transposed 2-D convolution (sometimes called deconvolution) that decoders use to
 * upsample, NHWC, with a [kH, kW, filters, inChannels] kernel as in Keras. With strides s and padding
 * "same" the output is s times the input; `outputPadding` picks among the sizes a strided convolution maps
 * back to the same input.
 */
import { conv2dTranspose } from '../ops/index.js';
import type { Tensor } from '../tensor/tensor.js';
import type { ConfigReader } from './config.js';
import type { ConvTransposeOptions } from './conv-transpose-base.js';
import { ConvTransposeBase } from './conv-transpose-base.js';

export type Conv2DTransposeOptions = ConvTransposeOptions;

export class Conv2DTranspose extends ConvTransposeBase {
  constructor(options: Conv2DTransposeOptions) {
    super(options, 2);
  }

  call(x: Tensor): Tensor {
    const [sh, sw] = this.strides as [number, number], [dh, dw] = this.dilationRate as [number, number];
    const p = this.outputPadding;
    return this.finish(conv2dTranspose(x, this.kernel, { strides: [sh, sw], padding: this.padding, dilations: [dh, dw], outputPadding: p ? [p[0]!, p[1]!] : null }));
  }

  static fromConfig(c: ConfigReader): Conv2DTranspose {
    return new Conv2DTranspose(ConvTransposeBase.readTransposed(c, 2));
  }
}
