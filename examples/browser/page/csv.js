// The CSV page: pick a CSV file (or take the sample), choose the label column, and a small Dense network
// learns it in the page: classification when the label column holds text, regression when it holds
// numbers. csvDataset streams the file again on every pass; Dataset stages split, encode, shuffle and
// batch it. The features are the other number columns, standardized with the training rows' means and
// deviations, so that a missing value (NaN) imputed with the mean becomes 0. The last 20% of the rows
// validate (as Keras's validationSplit takes them), and the figure beside the result is what a model
// without features scores: the training rows' most common class, or their mean. Progress is in
// window.csvDemo.
import { Adam, Dense, Sequential, backend, csvDataset, preloadWasmKernels, setBackend, setSeed, tensor } from 'layerwise';
import { LossChart } from './charts.js';

const SAMPLE = '/data/seattle-weather.csv';
const VALIDATION_SHARE = 0.2;
const BATCH_SIZE = 32;
/** A frame is drawn at least this often while training holds the main thread. */
const FRAME_MS = 50;

const $ = (id) => document.getElementById(id);
const nextFrame = () => document.visibilityState === 'hidden' ? Promise.resolve() : new Promise((resolve) => {
  requestAnimationFrame(resolve);
  setTimeout(resolve, 100);
});
const percent = (v) => `${(100 * v).toFixed(1)}%`;
const demo = { state: 'loading', columns: [], task: null, metric: null, baseline: null, losses: [], epochs: [], error: null };
window.csvDemo = demo;
/** The picked File, or the sample's URL: csvDataset reads either. */
let source = null;

function setState(state, message) {
  demo.state = state;
  document.body.dataset.state = state;
  $('status').textContent = message;
}

/** Reads the first row for the columns' names and types, and offers them as labels. */
async function choose(picked, name) {
  source = picked;
  setState('loading', `Reading the columns of ${name}…`);
  const [first] = await csvDataset(source).take(1).toArray();
  if (first === undefined) throw new Error(`${name} has a header but no rows`);
  demo.columns = Object.entries(first).map(([column, value]) => ({ name: column, type: typeof value }));
  $('columns').textContent = `${name}: ${demo.columns.map((c) => `${c.name} (${c.type === 'number' ? 'number' : 'text'})`).join(', ')}`;
  $('label').replaceChildren(...demo.columns.map((c) => new Option(c.name, c.name)));
  $('label').value = demo.columns.at(-1).name;
  $('label').disabled = $('train').disabled = false;
  setState('chosen', 'Choose the label column and press Train.');
}

/** Mean and standard deviation of the numbers seen, missing ones (NaN) left out. */
class Moments {
  count = 0;
  mean = 0;
  #m2 = 0;
  add(v) {
    if (Number.isNaN(v)) return;
    this.count++;
    const d = v - this.mean;
    this.mean += d / this.count;
    this.#m2 += d * (v - this.mean);
  }
  get std() {
    return this.count > 1 && this.#m2 > 0 ? Math.sqrt(this.#m2 / this.count) : 1;
  }
}

/** Two passes over the rows: their number, then the training rows' statistics and the validation rows' labels. */
async function measure(rows, features, label, classification) {
  let n = 0;
  for await (const _ of rows) n++;
  const trainCount = Math.round(n * (1 - VALIDATION_SHARE));
  const scales = features.map(() => new Moments());
  const target = new Moments();
  const classCounts = new Map();
  for await (const row of rows.take(trainCount)) {
    features.forEach((f, j) => scales[j].add(row[f]));
    if (!classification) target.add(row[label]);
    else if (row[label] !== '') classCounts.set(row[label], (classCounts.get(row[label]) ?? 0) + 1);
  }
  const classes = [...classCounts.keys()].sort((a, b) => classCounts.get(b) - classCounts.get(a));
  const validationLabels = [];
  for await (const row of rows.skip(trainCount)) validationLabels.push(row[label]);
  return { n, trainCount, scales, target, classes, validationLabels };
}

/** What a model without features scores on the validation rows. */
function baselineOf(stats, classification) {
  if (classification) {
    const known = stats.validationLabels.filter((v) => stats.classes.includes(v));
    const hits = known.filter((v) => v === stats.classes[0]).length;
    return { value: hits / known.length, text: `accuracy ${percent(hits / known.length)}, always "${stats.classes[0]}" (the training rows' most common class)` };
  }
  const known = stats.validationLabels.filter(Number.isFinite);
  const rmse = Math.sqrt(known.reduce((s, v) => s + (v - stats.target.mean) ** 2, 0) / known.length);
  return { value: rmse, text: `RMSE ${rmse.toPrecision(4)}, always ${stats.target.mean.toPrecision(4)} (the training rows' mean)` };
}

/** Charts each batch's loss (from the epoch's running mean), writes a line per epoch, and lets frames through. */
function progress(chart, epochs, describe) {
  let previousMean = 0, lastFrame = performance.now();
  return {
    onEpochBegin() {
      previousMean = 0;
    },
    async onBatchEnd(batch, logs) {
      // Batches are of equal size but the last, so the running mean gives each batch's loss closely enough for a chart.
      const loss = logs.loss * (batch + 1) - previousMean * batch;
      previousMean = logs.loss;
      demo.losses.push(loss);
      chart.push(loss);
      if (performance.now() - lastFrame > FRAME_MS) {
        await nextFrame();
        lastFrame = performance.now();
      }
    },
    onEpochEnd(epoch, logs) {
      demo.epochs.push({ ...logs });
      const line = document.createElement('li');
      line.textContent = `epoch ${epoch + 1} of ${epochs}: ${describe(logs)}`;
      $('epoch-log').append(line);
      line.scrollIntoView({ block: 'nearest' });
    },
  };
}

async function train() {
  const label = $('label').value;
  const epochs = Number($('epochs').value);
  if (!Number.isInteger(epochs) || epochs < 1) throw new Error(`epochs expected a positive integer, received ${JSON.stringify($('epochs').value)}`);
  const features = demo.columns.filter((c) => c.type === 'number' && c.name !== label).map((c) => c.name);
  if (features.length === 0) throw new Error(`there are no number columns beside "${label}" to learn from`);
  const classification = demo.columns.find((c) => c.name === label).type !== 'number';
  const left = demo.columns.filter((c) => c.type !== 'number' && c.name !== label).map((c) => c.name);
  $('label').disabled = $('train').disabled = true;
  $('epoch-log').replaceChildren();
  Object.assign(demo, { losses: [], epochs: [], metric: null, baseline: null });
  setSeed(1);

  setState('measuring', 'Measuring the rows…');
  const rows = csvDataset(source, { select: [...features, label] });
  const stats = await measure(rows, features, label, classification);
  const classIndex = new Map(stats.classes.map((c, i) => [c, i]));
  if (classification && stats.classes.length < 2) throw new Error(`the label column "${label}" holds fewer than 2 classes in the training rows`);
  demo.task = classification
    ? `classification: "${label}" is one of ${stats.classes.length} classes (${stats.classes.join(', ')})`
    : `regression: "${label}" is a number (standardized for training)`;
  $('task').textContent = `${demo.task}; features: ${features.join(', ')}${left.length > 0 ? `; text columns left out: ${left.join(', ')}` : ''}`;
  const baseline = baselineOf(stats, classification);
  demo.baseline = baseline.value;
  $('baseline').textContent = baseline.text;

  const encode = (row) => ({
    x: tensor(features.map((f, j) => (Number.isNaN(row[f]) ? 0 : (row[f] - stats.scales[j].mean) / stats.scales[j].std))),
    y: classification ? tensor(classIndex.get(row[label])) : tensor([(row[label] - stats.target.mean) / stats.target.std]),
  });
  const labelled = (row) => (classification ? classIndex.has(row[label]) : Number.isFinite(row[label]));
  const trainRows = rows.take(stats.trainCount).filter(labelled).map(encode).shuffle(1024).batch(BATCH_SIZE);
  const validationRows = rows.skip(stats.trainCount).filter(labelled).map(encode).batch(256);

  const model = new Sequential([
    new Dense({ units: 32, activation: 'relu', inputShape: [features.length] }),
    new Dense({ units: classification ? stats.classes.length : 1, activation: classification ? 'softmax' : 'linear' }),
  ]);
  model.compile({ optimizer: new Adam({ learningRate: 0.01 }), loss: classification ? 'sparse_categorical_crossentropy' : 'mse', metrics: classification ? ['accuracy'] : [] });
  const rmse = (mse) => Math.sqrt(mse) * stats.target.std;
  const describe = classification
    ? (logs) => `loss ${logs.loss.toFixed(4)}, accuracy ${percent(logs.accuracy)} · validation loss ${logs.val_loss.toFixed(4)}, accuracy ${percent(logs.val_accuracy)}`
    : (logs) => `loss ${logs.loss.toFixed(4)} (standardized) · validation RMSE ${rmse(logs.val_loss).toPrecision(4)}`;
  const chart = new LossChart($('loss-chart'));
  chart.expect(Math.ceil(stats.trainCount / BATCH_SIZE) * epochs);

  setState('training', `Training on ${stats.trainCount} rows, validating on ${stats.n - stats.trainCount}…`);
  const history = await model.fit(trainRows, { epochs, validationData: validationRows, verbose: 0, callbacks: [progress(chart, epochs, describe)] });
  const last = history.history;
  demo.metric = classification ? last.val_accuracy.at(-1) : rmse(last.val_loss.at(-1));
  $('metric').textContent = classification ? `accuracy ${percent(demo.metric)}` : `RMSE ${demo.metric.toPrecision(4)}`;
  $('label').disabled = $('train').disabled = false;
  setState('done', `Trained ${epochs} epoch(s). Pick another label or file to train again.`);
}

function run(task) {
  task().catch((e) => {
    demo.error = e.message;
    console.error(e);
    $('label').disabled = $('train').disabled = source === null;
    setState('error', `Failed: ${e.message}`);
  });
}

/** WebAssembly where the browser has SIMD, else the reference (plain JavaScript) backend. */
async function start() {
  try {
    await preloadWasmKernels();
    setBackend('wasm');
  } catch (e) {
    console.warn(`layerwise CSV demo: staying on the ${backend()} backend: ${e.message}`);
  }
  setState('ready', 'Pick a CSV file, or take the sample.');
}

$('file').addEventListener('change', () => {
  const file = $('file').files[0];
  if (file) run(() => choose(file, file.name));
});
$('sample').addEventListener('click', () => run(() => choose(SAMPLE, 'seattle-weather.csv (the sample)')));
$('train').addEventListener('click', () => run(train));
run(start);
