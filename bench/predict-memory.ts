/**
 * Peak memory and time of predict against evaluate on the 60,000 MNIST training images, with the seed's
 * convnet (untrained: memory does not depend on the weights). Run under /usr/bin/time -v for the peak
 * resident set size:
 *
 *   /usr/bin/time -v node dist/bench/predict-memory.js predict
 *   /usr/bin/time -v node dist/bench/predict-memory.js evaluate
 *
 * Prints the backend, the seconds the call took and, from inside the process, its peak RSS in MiB.
 */
import { Conv2D, Dense, Flatten, MaxPooling2D, Sequential, backendInfo, datasets, setSeed, toCategorical } from '../src/index.js';

const mode = process.argv[2] ?? 'predict';
if (mode !== 'predict' && mode !== 'evaluate') throw new Error(`usage: predict-memory.js predict|evaluate, received ${mode}`);
setSeed(1);
const { train } = datasets.mnist.loadData();
const x = train.x.reshape([60000, 28, 28, 1]).div(255);
const model = new Sequential([
  new Conv2D({ filters: 32, kernelSize: 3, activation: 'relu', inputShape: [28, 28, 1] }), new MaxPooling2D({ poolSize: 2 }),
  new Conv2D({ filters: 64, kernelSize: 3, activation: 'relu' }), new MaxPooling2D({ poolSize: 2 }),
  new Conv2D({ filters: 64, kernelSize: 3, activation: 'relu' }), new Flatten(),
  new Dense({ units: 64, activation: 'relu' }), new Dense({ units: 10, activation: 'softmax' }),
]);
model.compile({ optimizer: 'rmsprop', loss: 'categorical_crossentropy', metrics: ['accuracy'] });
const start = performance.now();
if (mode === 'predict') await model.predict(x);
else await model.evaluate(x, toCategorical(train.y, 10), { verbose: 0 });
const seconds = (performance.now() - start) / 1000;
console.log(JSON.stringify({ mode, backend: backendInfo(), seconds: Number(seconds.toFixed(2)), peakRssMiB: Math.round(process.resourceUsage().maxRSS / 1024) }));
