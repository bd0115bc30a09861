/**
 * layerwise: deep learning for TypeScript. This file is the public API; everything a user (or the command
 * line) needs is exported here, and nothing else is part of the contract.
 */
import './ops/tensor-methods.js';

export { Tensor } from './tensor/tensor.js';
export type { NestedArray } from './tensor/tensor.js';
export { Variable } from './tensor/variable.js';
export type { VariableOptions } from './tensor/variable.js';
export {
  tensor, scalar, fill, zeros, ones, zerosLike, onesLike, range, eye, randomUniform, randomNormal, truncatedNormal,
} from './tensor/creation.js';
export type { TensorLike, TensorOptions, NormalOptions } from './tensor/creation.js';
export { grad, valueAndGrad, variableGrads, noGrad } from './tensor/tape.js';
export type { ValueAndGrads, VariableGrads } from './tensor/tape.js';
export * from './ops/index.js';
export { backend, backendInfo, setBackend, availableBackends, setThreads } from './backend/index.js';
export type { BackendName } from './backend/index.js';
export { setSeed, getSeed } from './util/random.js';
export type { DType } from './util/dtype.js';
export { LayerwiseError, ShapeError, ValueError, DTypeError, NumericsError } from './util/errors.js';
