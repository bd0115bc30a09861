/**
 * A caller for the cluster test to kill mid-search: runs the test's grid search on the queue at argv[2]
 * under the name argv[3] and prints each progress report as a JSON line.
 */
import { gridSearch, moduleExport, randomNormal, setSeed, tensor } from '../src/index.js';

const [url, name] = process.argv.slice(2) as [string, string];
setSeed(1);
const noise = randomNormal([90, 4]).toArray() as number[][];
const centers = [[10, 20, 0, 5], [14, 16, 4, 5], [8, 24, 2, 10]];
const labels = Array.from({ length: 90 }, (_, i) => i % 3);
const x = tensor(noise.map((r, i) => r.map((v, j) => centers[labels[i]!]![j]! + v)));
const y = tensor(labels);
const models = new URL('./cluster-models/models.js', import.meta.url);
setSeed(61);
await gridSearch(moduleExport(models, 'buildClassifier'), { units: [4, 16], learningRate: [0.05, 0.3] }, x, y, {
  fit: { epochs: 40, batchSize: 16 },
  preprocess: moduleExport(models, 'preprocess'),
  scoring: moduleExport(models, 'scoring'),
  validation: { folds: 2 },
  cluster: { url, name },
  verbose: 0,
  onProgress: (p) => console.log(JSON.stringify(p)),
});
