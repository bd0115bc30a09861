/**
 * The side-by-side part of the sequence examples: a list of named model builders, each trained on the
 * inputs it reads, scored once on the held-out test set, and one HTML report with every model's curves.
 * A new model is one more entry in an example's list.
 */
import type { History, Model, Tensor } from '../src/index.js';
import { lineChartSvg, setSeed, writeReport } from '../src/index.js';

/** One prepared input: its training, validation and test parts. */
export interface Parts {
  train: Tensor;
  val: Tensor;
  test: Tensor;
}

export interface Candidate<Input extends string> {
  name: string;
  /** Which prepared input the model reads. */
  input: Input;
  epochs: number;
  batchSize: number;
  /** A fresh, compiled model. */
  build(): Model;
}

export interface Scored {
  name: string;
  history: History;
  /** evaluate's figures on the test set: the loss, then each metric. */
  test: number[];
  seconds: number;
}

/** Trains each candidate from the same seed, validating on `val`, then evaluates it on `test` once. */
export async function trainEach<Input extends string>(
  candidates: readonly Candidate<Input>[], inputs: Readonly<Record<Input, Parts>>, y: Parts,
): Promise<Scored[]> {
  const scored: Scored[] = [];
  for (const c of candidates) {
    setSeed(7);
    const started = Date.now();
    const model = c.build();
    const x = inputs[c.input];
    const history = await model.fit(x.train, y.train, { epochs: c.epochs, batchSize: c.batchSize, validationData: [x.val, y.val], verbose: 0 });
    const test = await model.evaluate(x.test, y.test, { batchSize: 256, verbose: 0 });
    const seconds = (Date.now() - started) / 1000;
    console.log(`    ${c.name.padEnd(28)} ${test.map((v) => v.toFixed(4)).join('  ')}   (${seconds.toFixed(0)} s, ${c.epochs} epochs)`);
    scored.push({ name: c.name, history, test, seconds });
  }
  return scored;
}

/** One self-contained HTML page: the comparison table, then each model's training and validation curves. */
export async function writeComparison(path: string, title: string, intro: string, headers: readonly string[], rows: readonly (readonly string[])[], scored: readonly Scored[]): Promise<string> {
  const cell = (tag: string, text: string) => `<${tag}>${text.replace(/&/g, '&amp;').replace(/</g, '&lt;')}</${tag}>`;
  const table = `<table><tr>${headers.map((h) => cell('th', h)).join('')}</tr>${rows.map((r) => `<tr>${r.map((v) => cell('td', v)).join('')}</tr>`).join('')}</table>`;
  const curves = await Promise.all(scored.map(async (s) => {
    const h = s.history.history, epochs = h['loss']!.map((_, i) => i + 1);
    const metrics = Object.keys(h).filter((m) => !m.startsWith('val_'));
    const charts = await Promise.all(metrics.map((m) => lineChartSvg({
      title: `${s.name}: ${m.replace(/_/g, ' ')}`, x: epochs, xTitle: 'epoch', yTitle: m.replace(/_/g, ' '),
      series: [{ name: 'training', values: h[m]! }, ...(h[`val_${m}`] ? [{ name: 'validation', values: h[`val_${m}`]! }] : [])],
    })));
    return `<h2>${s.name}</h2>${charts.join('\n')}`;
  }));
  const html = `<!doctype html><html><head><meta charset="utf-8"><title>${title}</title>
<style>body{font-family:system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem}table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:.3rem .6rem;text-align:right}td:first-child,th:first-child{text-align:left}</style>
</head><body><h1>${title}</h1><p>${intro}</p>${table}${curves.join('\n')}</body></html>`;
  return writeReport(path, html);
}

