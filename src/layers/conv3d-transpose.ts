/**
 * Conv3DTranspose: the transposed 3-D convolution, NDHWC, with a [kD, kH, kW, filters, inChannels] kernel
 * as in Keras; with strides s and padding "same" each spatial size is multiplied by s.
 */
import { conv3dTranspose } from '../ops/index.js';
import type { Tensor } from '../tensor/tensor.js';
import type { ConfigReader } from './config.js';
import type { ConvTransposeOptions } from './conv-transpose-base.js';
import { ConvTransposeBase } from './conv-transpose-base.js';

export type Conv3DTransposeOptions = ConvTransposeOptions;

export class Conv3DTranspose extends ConvTransposeBase {
  constructor(options: Conv3DTransposeOptions) {
    super(options, 3);
  }

  call(x: Tensor): Tensor {
    const [sd, sh, sw] = this.strides as [number, number, number], [dd, dh, dw] = this.dilationRate as [number, number, number];
    const p = this.outputPadding;
    return this.finish(conv3dTranspose(x, this.kernel, { strides: [sd, sh, sw], padding: this.padding, dilations: [dd, dh, dw], outputPadding: p ? [p[0]!, p[1]!, p[2]!] : null }));
  }

  static fromConfig(c: ConfigReader): Conv3DTranspose {
    return new Conv3DTranspose(ConvTransposeBase.readTransposed(c, 3));
  }
}
