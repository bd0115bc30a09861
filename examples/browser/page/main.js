// The demo: choose a backend (WebGPU where the browser has a GPU, else WebAssembly), train a small convnet
// on MNIST with a live loss chart, then classify digits drawn on the pad. Query parameters shorten a run:
// ?samples=3200&testSamples=500 (also epochs and batchSize); ?backend=webgpu or ?backend=wasm chooses the
// backend (webgpu then also runs on a software adapter). The page's progress is in <body data-state> and
// in window.demo.
import {
  Adam, Conv2D, Dense, Flatten, MaxPooling2D, Sequential, backend, backendInfo, preloadWasmKernels, preloadWebGPU, setBackend, setSeed, sliceRows,
  tensor,
} from 'layerwise';
import { LossChart, showProbabilities } from './charts.js';
import { DrawingPad } from './drawing.js';
import { loadMnist } from './mnist.js';

/** A frame is drawn at least this often while training holds the main thread. */
const FRAME_MS = 50;
/** Test images evaluated between two frames. */
const TEST_CHUNK = 1000;

const $ = (id) => document.getElementById(id);
/** Lets the page draw; a hidden page draws nothing, and training must not wait for it. */
const nextFrame = () => document.visibilityState === 'hidden' ? Promise.resolve() : new Promise((resolve) => {
  requestAnimationFrame(resolve);
  setTimeout(resolve, 100);
});
const demo = { state: 'loading', backend: null, backendInfo: null, isolated: crossOriginIsolated, losses: [], batchesPerSecond: null, testAccuracy: null, prediction: null, error: null };
window.demo = demo;

function readSettings() {
  const query = new URLSearchParams(location.search);
  const positiveInteger = (name, fallback) => {
    const value = query.get(name);
    if (value === null) return fallback;
    const n = Number(value);
    if (!Number.isInteger(n) || n < 1) throw new Error(`query parameter '${name}' expected a positive integer, received ${JSON.stringify(value)}`);
    return n;
  };
  const oneOf = (name, choices) => {
    const value = query.get(name);
    if (value !== null && !choices.includes(value)) throw new Error(`query parameter '${name}' expected one of ${choices.join(', ')}, received ${JSON.stringify(value)}`);
    return value;
  };
  return {
    samples: positiveInteger('samples', 60000),
    testSamples: positiveInteger('testSamples', 10000),
    epochs: positiveInteger('epochs', 1),
    batchSize: positiveInteger('batchSize', 64),
    backend: oneOf('backend', ['webgpu', 'wasm']),
  };
}

function setState(state, message) {
  demo.state = state;
  document.body.dataset.state = state;
  $('status').textContent = message;
}

function showBackend() {
  demo.backend = backend();
  demo.backendInfo = backendInfo();
  const isolation = crossOriginIsolated ? 'cross-origin isolated' : 'not cross-origin isolated, so one thread';
  $('backend').textContent = demo.backend === 'webgpu' ? `Backend: ${demo.backendInfo}` : `Backend: ${demo.backendInfo} · ${isolation}`;
}

/**
 * WebGPU where this browser has a GPU adapter (a software one, slower than WebAssembly, only when asked
 * with ?backend=webgpu); else the wasm backend where this browser has WebAssembly SIMD; else the
 * reference (plain JavaScript) backend.
 */
async function chooseBackend(requested) {
  if (requested !== 'wasm' && navigator.gpu) {
    try {
      const adapter = await preloadWebGPU();
      if (!adapter.fallback || requested === 'webgpu') {
        setBackend('webgpu');
        showBackend();
        return;
      }
      console.info(`layerwise demo: WebGPU's adapter here is a software one (${adapter.description}); using WebAssembly (?backend=webgpu uses it anyway)`);
    } catch (e) {
      console.warn(`layerwise demo: no WebGPU: ${e.message}`);
    }
  }
  try {
    await preloadWasmKernels();
    setBackend('wasm');
  } catch (e) {
    console.warn(`layerwise demo: staying on the ${backend()} backend: ${e.message}`);
  }
  showBackend();
}

function convnet() {
  const model = new Sequential([
    new Conv2D({ filters: 16, kernelSize: 3, activation: 'relu', inputShape: [28, 28, 1] }),
    new MaxPooling2D({ poolSize: 2 }),
    new Conv2D({ filters: 32, kernelSize: 3, activation: 'relu' }),
    new MaxPooling2D({ poolSize: 2 }),
    new Flatten(),
    new Dense({ units: 10, activation: 'softmax' }),
  ]);
  model.compile({ optimizer: new Adam({ learningRate: 0.003 }), loss: 'sparse_categorical_crossentropy', metrics: ['accuracy'] });
  return model;
}

/** Charts each batch's loss (recovered from the epoch's running mean) and the speed, and lets frames through. */
function liveChart(chart) {
  let params, seen, meanSoFar, start, trained, lastFrame = performance.now();
  return {
    setContext(_model, p) {
      params = p;
      chart.expect(p.steps * p.epochs);
      trained = 0;
    },
    onEpochBegin() {
      seen = 0;
      meanSoFar = 0;
    },
    async onBatchEnd(batch, logs) {
      const size = Math.min(params.batchSize, params.samples - batch * params.batchSize);
      const loss = (logs.loss * (seen + size) - meanSoFar * seen) / size;
      seen += size;
      meanSoFar = logs.loss;
      demo.losses.push(loss);
      chart.push(loss);
      // The first batch includes one-time set-up (weights, worker start): speed counts from the second.
      trained++;
      if (trained === 1) start = performance.now();
      else demo.batchesPerSecond = (trained - 1) / ((performance.now() - start) / 1000);
      $('batches').textContent = `${trained} of ${params.steps * params.epochs}`;
      $('loss').textContent = `${loss.toFixed(3)} (epoch mean ${logs.loss.toFixed(3)}, accuracy ${(100 * logs.accuracy).toFixed(1)}%)`;
      if (demo.batchesPerSecond !== null) $('speed').textContent = `${demo.batchesPerSecond.toFixed(1)} batches/s (${params.batchSize} images each)`;
      if (performance.now() - lastFrame > FRAME_MS) {
        showBackend();
        await nextFrame();
        lastFrame = performance.now();
      }
    },
  };
}

/** Test accuracy, a chunk of images at a time so that the page shows progress and stays responsive. */
async function testAccuracy(model, test) {
  const n = test.x.shape[0];
  let correct = 0;
  for (let start = 0; start < n; start += TEST_CHUNK) {
    const end = Math.min(n, start + TEST_CHUNK);
    $('status').textContent = `Testing on ${n} images: ${start} done…`;
    await nextFrame();
    const [, accuracy] = await model.evaluate(sliceRows(test.x, start, end), sliceRows(test.y, start, end), { batchSize: 250, verbose: 0 });
    correct += accuracy * (end - start);
  }
  return correct / n;
}

async function classify(model, pixels) {
  if (pixels === null) return;
  // dataAsync: on the webgpu backend the prediction is read back from the GPU.
  const probabilities = Array.from(await model.predictOnBatch(tensor(pixels, { shape: [1, 28, 28, 1] })).dataAsync());
  const digit = showProbabilities($('probabilities'), probabilities);
  $('prediction').textContent = `Looks like a ${digit} (${(100 * probabilities[digit]).toFixed(1)}%)`;
  demo.prediction = { digit, probabilities };
}

async function main() {
  const settings = readSettings();
  setState('loading', 'Choosing a backend…');
  await chooseBackend(settings.backend);
  setSeed(1);
  setState('loading', `Loading MNIST (${settings.samples} training and ${settings.testSamples} test images)…`);
  const { train, test } = await loadMnist(settings.samples, settings.testSamples);
  const model = convnet();
  const chart = new LossChart($('loss-chart'));
  setState('training', `Training on ${train.x.shape[0]} images for ${settings.epochs} epoch(s)…`);
  await model.fit(train.x, train.y, { epochs: settings.epochs, batchSize: settings.batchSize, verbose: 0, callbacks: [liveChart(chart)] });
  setState('training', 'Testing…');
  const accuracy = await testAccuracy(model, test);
  demo.testAccuracy = accuracy;
  $('accuracy').textContent = `${(100 * accuracy).toFixed(2)}% on ${test.x.shape[0]} test images`;
  showBackend();

  const pad = new DrawingPad($('pad'), (pixels) => classify(model, pixels).catch((e) => {
    demo.error = e.message;
    console.error(e);
  }));
  $('clear').addEventListener('click', () => {
    pad.clear();
    $('probabilities').replaceChildren();
    $('prediction').textContent = '';
    demo.prediction = null;
  });
  pad.enable();
  setState('ready', 'Trained. Draw a digit on the black pad.');
}

main().catch((e) => {
  demo.error = e.message;
  console.error(e);
  setState('error', `Failed: ${e.message}`);
});
