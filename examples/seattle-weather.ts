/**
 * Tomorrow's highest temperature in Seattle from the two weeks before (`vega-datasets`'s
 * seattle-weather.csv, 2012–2015): the naive "same as yesterday" forecast against an LSTM, a GRU and a
 * causal Conv1D on standardized inputs. Trained on 2012–2013, chosen on 2014, tested once on 2015; an
 * HTML report.
 *
 * Run: npm run build && node dist/examples/seattle-weather.js [report.html]
 *
 * The models are a list of named builders: another model is one more entry of MODELS.
 */
import { Conv1D, Dense, Flatten, GRU, LSTM, Sequential, setSeed, tensor } from '../src/index.js';
import type { Model } from '../src/index.js';
import { type Candidate, type Parts, trainEach, writeComparison } from './compare-models.js';
import { FEATURES, featureScaling, makeWindows, readSeattle } from './seattle-data.js';

const WINDOW = 14;
const started = Date.now();
setSeed(2024);

const days = readSeattle();
const yearStart = (year: number) => days.findIndex((d) => d.date.startsWith(`${year}-`));
const [y2014, y2015] = [yearStart(2014), yearStart(2015)];
const scaling = featureScaling(days.slice(0, y2014));
const [train, val, test] = [[0, y2014], [y2014, y2015], [y2015, days.length]].map(([from, to]) => makeWindows(days, WINDOW, from!, to!, scaling)) as [
  ReturnType<typeof makeWindows>, ReturnType<typeof makeWindows>, ReturnType<typeof makeWindows>,
];
console.log(`Seattle, ${days[0]!.date} to ${days.at(-1)!.date}: ${FEATURES.join(', ')} of the ${WINDOW} days before, to forecast the next day's highest temperature.`);
console.log(`Training on ${train.target.length} days of 2012–2013, validating on ${val.target.length} of 2014, testing once on ${test.target.length} of 2015.`);

// The target standardized like the inputs (its training mean and deviation), so the output layer starts near it.
const k = FEATURES.indexOf('tempMax'), mean = scaling.mean[k]!, std = scaling.std[k]!;
const inputs = { days: part((w) => tensor(w.x, [w.target.length, WINDOW, FEATURES.length])) };
const y = part((w) => tensor(Float32Array.from(w.target, (t) => (t - mean) / std), [w.target.length, 1]));

function part(f: (w: typeof train) => ReturnType<typeof tensor>): Parts {
  return { train: f(train), val: f(val), test: f(test) };
}

const compiled = (model: Model): Model => {
  model.compile({ optimizer: 'adam', loss: 'mse', metrics: ['mae'] });
  return model;
};

/** The models compared, each a name, the input it reads and a builder. */
export const MODELS: Candidate<'days'>[] = [
  {
    name: 'LSTM',
    input: 'days',
    epochs: 30,
    batchSize: 32,
    build: () => compiled(new Sequential([new LSTM({ units: 32 }), new Dense({ units: 1 })])),
  },
  {
    name: 'GRU',
    input: 'days',
    epochs: 30,
    batchSize: 32,
    build: () => compiled(new Sequential([new GRU({ units: 32 }), new Dense({ units: 1 })])),
  },
  {
    // Causal: each step sees only the days before it, as the recurrent layers do.
    name: 'Conv1D',
    input: 'days',
    epochs: 30,
    batchSize: 32,
    build: () => compiled(new Sequential([
      new Conv1D({ filters: 32, kernelSize: 3, padding: 'causal', activation: 'relu' }),
      new Conv1D({ filters: 32, kernelSize: 3, padding: 'causal', dilationRate: 2, activation: 'relu' }),
      new Flatten(),
      new Dense({ units: 1 }),
    ])),
  },
];

const naive = test.target.reduce((s, t, i) => s + Math.abs(t - test.yesterday[i]!), 0) / test.target.length;
const naiveVal = val.target.reduce((s, t, i) => s + Math.abs(t - val.yesterday[i]!), 0) / val.target.length;
console.log(`\nTest loss (standardized mean squared error) and mean absolute error (standardized) of each model:`);
const scored = await trainEach(MODELS, inputs, y);

const celsius = (standardized: number) => (standardized * std).toFixed(2);
console.log(`\nMean absolute error of the forecast on 2015, in °C:`);
console.log(`    same as yesterday            ${naive.toFixed(2)}`);
for (const s of scored) console.log(`    ${s.name.padEnd(28)} ${celsius(s.test[1]!)}`);
const rows = [
  ['same as yesterday', naiveVal.toFixed(2), naive.toFixed(2), ''],
  ...scored.map((s) => [s.name, celsius(Math.min(...s.history.history['val_mae']!)), celsius(s.test[1]!), s.seconds.toFixed(0)]),
];
const path = await writeComparison(
  process.argv[2] ?? 'seattle-weather-report.html',
  "Seattle: tomorrow's highest temperature",
  `Windows of ${WINDOW} days (${FEATURES.join(', ')}, standardized with 2012–2013 statistics); trained on 2012–2013, validated on 2014, tested on 2015. Errors in °C; the curves are in standardized units.`,
  ['model', 'best validation MAE (°C)', 'test MAE (°C)', 'seconds'],
  rows,
  scored,
);
console.log(`\nReport: ${path}  (${((Date.now() - started) / 1000).toFixed(0)} s in all)`);
