/**
 * The closed list of differentiable ops. `op()` only records names from this list, and the gradient-check
 * table in test/gradients.test.ts is typed `Record<DifferentiableOp, ...>`, so an op without a gradient
 * check does not compile.
 */
export const DIFFERENTIABLE_OPS = [
  // elementwise arithmetic
  'add', 'sub', 'mul', 'div', 'neg', 'pow', 'sqrt', 'rsqrt', 'square', 'exp', 'log', 'log1p', 'abs',
  'reciprocal', 'maximum', 'minimum', 'clip', 'where', 'cast', 'squaredDifference',
  // activations
  'relu', 'leakyRelu', 'elu', 'selu', 'gelu', 'sigmoid', 'tanh', 'softplus',
  'relu6', 'swish', 'mish', 'hardSigmoid', 'hardSwish', 'softsign',
  // reductions
  'sum', 'mean', 'max', 'min', 'prod', 'logSumExp', 'variance',
  // shape
  'reshape', 'transpose', 'expandDims', 'squeeze', 'slice', 'concat', 'stack', 'gather', 'pad',
  'broadcastTo',
  // linear algebra
  'matmul', 'linear',
  // neural network
  'conv2d', 'maxPool2d', 'avgPool2d', 'globalAvgPool2d', 'globalMaxPool2d', 'softmax', 'logSoftmax',
  'layerNorm', 'dropout',
  'conv2dTranspose', 'depthwiseConv2d', 'conv3d', 'conv3dTranspose', 'maxPool3d', 'avgPool3d',
  'globalAvgPool3d', 'globalMaxPool3d', 'upSampling2d', 'upSampling3d',
  // recurrent layers
  'lstmSequence', 'gruSequence',
  // images
  'imageTransform',
] as const;

export type DifferentiableOp = (typeof DIFFERENTIABLE_OPS)[number];
