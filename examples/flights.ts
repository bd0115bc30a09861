/**
 * Will this flight arrive more than 15 minutes late? Three million real US flights of January to June 2001
 * (vega-datasets' flights-3m.parquet), streamed from the Parquet file one row group at a time, never
 * loaded whole. The seed's workflow on them:
 *   the problem and a measure of success (20% of flights are late: accuracy alone flatters, so ROC AUC too),
 *   an evaluation protocol (the flights are in time order: train on 1 January to 25 May, validate on the
 *   next 300,000 flights, to 13 June, test once on the last 300,000, as a model would meet the future),
 *   features engineered from the training part only (hour of departure and weekday one-hot, airports
 *   one-hot with the rare ones together, distance log-scaled and standardized, missing values imputed),
 *   a baseline, a small network that beats it, the HTML report, and the peak memory of the process.
 *
 * Run: npm run build && node dist/examples/flights.js [--epochs 6] [--steps 800] [--report flights-report.html]
 * An epoch is --steps batches of 512 flights of one shuffled stream that goes on across epochs, so the
 * default 6 × 800 batches is about one pass over the 2.4 million training flights.
 */
import { parseArgs } from 'node:util';
import { fileURLToPath } from 'node:url';
import {
  Dense, Sequential, Tensor, historyReport, majorityClassBaseline, metrics, parquetDataset, setSeed, tensor, writeReport,
} from '../src/index.js';
import type { Batched, Dataset, TableRow } from '../src/index.js';

const FILE = fileURLToPath(new URL('../../node_modules/vega-datasets/data/flights-3m.parquet', import.meta.url));
const LATE = 15; // minutes: the airlines' own threshold for a late arrival
const [TRAIN, VALIDATION] = [2_400_000, 300_000]; // of 3,000,000, in time order; the rest is the test part
const BATCH = 512;
const RARE = 1000; // an airport with fewer training flights than this shares one "other" column

const { values } = parseArgs({
  options: {
    epochs: { type: 'string', default: '6' },
    steps: { type: 'string', default: '800' },
    report: { type: 'string', default: 'flights-report.html' },
    seed: { type: 'string', default: '2001' },
  },
});
const [epochs, steps] = [Number(values.epochs), Number(values.steps)];
const started = Date.now();
const elapsed = () => `${((Date.now() - started) / 1000).toFixed(0)} s`;
const peakRss = () => process.resourceUsage().maxRSS / 1024; // MiB
setSeed(Number(values.seed));

// Rows are records of the file's columns: date (ms), delay (minutes), distance (miles), origin, destination.
const flights = parquetDataset(FILE, { select: ['date', 'delay', 'distance', 'origin', 'destination'] });
const number = (row: TableRow, column: string): number => {
  const v = row[column];
  if (typeof v !== 'number') throw new Error(`flights: column ${column} holds ${typeof v}, expected numbers`);
  return v;
};
const text = (row: TableRow, column: string): string => String(row[column]);
const trainPart = flights.take(TRAIN);
const validationPart = flights.skip(TRAIN).take(VALIDATION);
const testPart = flights.skip(TRAIN + VALIDATION);

console.log(`The problem: from the scheduled departure (date and hour), the airports and the distance, will a flight arrive more than ${LATE} minutes late? Binary classification.`);
console.log(`Protocol: the flights are in time order; the first ${TRAIN.toLocaleString('en')} train, the next ${VALIDATION.toLocaleString('en')} validate, the last ${(3_000_000 - TRAIN - VALIDATION).toLocaleString('en')} (13 to 30 June) test, once.`);

// One streaming pass over the training part learns what the features need: the airports' counts, the
// distance's mean and spread (of its logarithm: distances are skewed), the share of late flights.
const originCount = new Map<string, number>();
const destinationCount = new Map<string, number>();
let [n, sum, sumSquares, late, missing] = [0, 0, 0, 0, 0];
const yTrainLabels = new Int32Array(TRAIN);
for await (const f of trainPart) {
  const [origin, destination, distance, delay] = [text(f, 'origin'), text(f, 'destination'), number(f, 'distance'), number(f, 'delay')];
  originCount.set(origin, (originCount.get(origin) ?? 0) + 1);
  destinationCount.set(destination, (destinationCount.get(destination) ?? 0) + 1);
  if (Number.isNaN(distance)) missing++;
  else {
    const d = Math.log1p(distance);
    sum += d;
    sumSquares += d * d;
  }
  if (Number.isNaN(delay)) missing++;
  yTrainLabels[n] = delay > LATE ? 1 : 0;
  late += yTrainLabels[n]!;
  n++;
}
const counted = n - missing;
const mean = sum / counted;
const std = Math.sqrt(sumSquares / counted - mean * mean);
const vocabulary = (counts: Map<string, number>) =>
  new Map([...counts].filter(([, c]) => c >= RARE).sort((a, b) => b[1] - a[1]).map(([airport], i) => [airport, i] as const));
const origins = vocabulary(originCount);
const destinations = vocabulary(destinationCount);
// hour 0-23, weekday 0-6, log distance, origin airports + other, destination airports + other
const HOUR = 0, WEEKDAY = 24, DISTANCE = 31, ORIGIN = 32, DESTINATION = ORIGIN + origins.size + 1;
const FEATURES = DESTINATION + destinations.size + 1;
console.log(`\nFeatures, learned from the training part only (${elapsed()}): ${FEATURES} columns`);
console.log(`    hour of departure one-hot (24), weekday one-hot (7), log(1 + distance) standardized (mean ${mean.toFixed(3)}, std ${std.toFixed(3)}),`);
console.log(`    origin one-hot (${origins.size} airports with ≥ ${RARE} training flights + 1 column for the other ${originCount.size - origins.size}),`);
console.log(`    destination one-hot (${destinations.size} + 1 for the other ${destinationCount.size - destinations.size}).`);
console.log(`    Missing values: ${missing} in the training part (a missing distance would take the mean, 0 after standardizing; a flight without a delay is left out).`);
console.log(`    ${((100 * late) / n).toFixed(1)}% of the training flights are late.`);

/** A batch of flights as the model reads it: x [B, FEATURES] and y [B, 1] (1 = late). */
function encode(batch: Batched<TableRow>): { x: Tensor; y: Tensor } {
  const numbers = (column: string) => {
    const v = batch[column];
    if (!(v instanceof Tensor)) throw new Error(`flights: column ${column} holds strings, expected numbers`);
    return v.data();
  };
  const texts = (column: string) => {
    const v = batch[column];
    if (!Array.isArray(v)) throw new Error(`flights: column ${column} holds numbers, expected strings`);
    return v;
  };
  const [hours, weekdays, delays, distances, origin, destination] = [numbers('hour'), numbers('weekday'), numbers('delay'), numbers('distance'), texts('origin'), texts('destination')];
  const b = hours.length;
  const x = new Float32Array(b * FEATURES);
  const y = new Float32Array(b);
  for (let i = 0; i < b; i++) {
    const row = i * FEATURES;
    x[row + HOUR + hours[i]!] = 1;
    x[row + WEEKDAY + weekdays[i]!] = 1;
    const d = distances[i]!;
    x[row + DISTANCE] = Number.isNaN(d) ? 0 : (Math.log1p(d) - mean) / std;
    x[row + ORIGIN + (origins.get(origin[i]!) ?? origins.size)] = 1;
    x[row + DESTINATION + (destinations.get(destination[i]!) ?? destinations.size)] = 1;
    y[i] = delays[i]! > LATE ? 1 : 0;
  }
  return { x: new Tensor(x, [b, FEATURES]), y: new Tensor(y, [b, 1]) };
}
/**
 * Hour and weekday of a flight, taken from its timestamp before batching: a batch holds numbers as
 * float32, which keeps milliseconds since 1970 only to about two minutes. The timestamps are local times
 * written as if UTC, so the UTC fields are the local hour and weekday.
 */
function timeOfDay(f: TableRow): TableRow {
  const when = new Date(number(f, 'date'));
  return { hour: when.getUTCHours(), weekday: when.getUTCDay(), delay: f['delay']!, distance: f['distance']!, origin: f['origin']!, destination: f['destination']! };
}
const prepared = (part: Dataset<TableRow>) => part.filter((f) => !Number.isNaN(number(f, 'delay'))).map(timeOfDay).batch(BATCH).map(encode).prefetch(4);

// Shuffling through a buffer of 100,000 flights (a few days) mixes airports and hours within a batch
// while memory holds the buffer, not the file.
const train = prepared(trainPart.shuffle(100_000)).repeat();
const validation = prepared(validationPart);
const test = prepared(testPart);

const yTestLabels: number[] = [];
for await (const f of parquetDataset(FILE, { select: ['delay'] }).skip(TRAIN + VALIDATION).map((f) => number(f, 'delay'))) if (!Number.isNaN(f)) yTestLabels.push(f > LATE ? 1 : 0);
const baseline = majorityClassBaseline(tensor(yTrainLabels), tensor(Int32Array.from(yTestLabels)));
console.log(`\nBaseline: always "${baseline.majorityClass === 1 ? 'late' : 'on time'}": test accuracy ${baseline.accuracy.toFixed(4)}, cross-entropy ${baseline.crossentropy.toFixed(4)}, ROC AUC 0.5.`);

const model = new Sequential();
model.add(new Dense({ units: 64, activation: 'relu', inputShape: [FEATURES] }));
model.add(new Dense({ units: 32, activation: 'relu' }));
model.add(new Dense({ units: 1, activation: 'sigmoid' }));
model.compile({ optimizer: 'adam', loss: 'binary_crossentropy', metrics: ['accuracy'] });
console.log(`\nA small network (${FEATURES}→64→32→1), ${epochs} epochs of ${steps} batches of ${BATCH} (${((epochs * steps * BATCH) / TRAIN).toFixed(2)} passes over the training part), validated each epoch:`);
const history = await model.fit(train, { epochs, stepsPerEpoch: steps, validationData: validation, verbose: process.stdout.isTTY ? 1 : 0 });
for (let e = 0; e < epochs; e++) {
  const h = (k: string) => history.history[k]![e]!.toFixed(4);
  console.log(`    epoch ${e + 1}: loss ${h('loss')} accuracy ${h('accuracy')} | validation loss ${h('val_loss')} accuracy ${h('val_accuracy')}`);
}

const [testLoss, testAccuracy] = await model.evaluate(test, { verbose: 0 });
// ROC AUC over the whole test part at once (the exact area needs every score, so it is computed here
// rather than as a running metric batch by batch).
const testAuc = metrics.rocAucScore(tensor(Int32Array.from(yTestLabels)), await model.predict(test.map(({ x }) => x)));
const rss = peakRss();
console.log(`\nTest (13 to 30 June, ${yTestLabels.length.toLocaleString('en')} flights, once): accuracy ${testAccuracy!.toFixed(4)}, cross-entropy ${testLoss!.toFixed(4)}, ROC AUC ${testAuc.toFixed(4)}`);
console.log(`    baseline:                              accuracy ${baseline.accuracy.toFixed(4)}, cross-entropy ${baseline.crossentropy.toFixed(4)}, ROC AUC 0.5000`);
console.log(`Peak memory of the process (RSS): ${rss.toFixed(0)} MiB; the file holds 3,000,000 flights and was never loaded whole. (${elapsed()} in all)`);

const html = await historyReport(history, {
  title: 'Flights: arriving more than 15 minutes late',
  model,
  settings: {
    data: `flights-3m.parquet: ${TRAIN} training flights (1 Jan to 25 May 2001), ${VALIDATION} validation, ${yTestLabels.length} test (13 to 30 June), streamed`,
    features: `${FEATURES}: hour and weekday one-hot, log distance standardized, origin and destination one-hot`,
    optimizer: 'adam',
    loss: 'binary_crossentropy',
    'test accuracy': testAccuracy!,
    'test cross-entropy': testLoss!,
    'test ROC AUC': testAuc,
    'baseline accuracy (always on time)': baseline.accuracy,
    'baseline cross-entropy': baseline.crossentropy,
    'peak RSS (MiB)': Math.round(rss),
    seed: Number(values.seed),
  },
});
console.log(`Wrote the report to ${writeReport(values.report, html)}`);
