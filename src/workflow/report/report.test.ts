import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import '../../ops/tensor-methods.js';
import { Dense } from '../../layers/index.js';
import { Sequential } from '../../models/index.js';
import type { CrossValidation, FoldResult } from '../cross-validate.js';
import type { SearchResult } from '../search.js';
import { analyzeHistory, historyOf } from './analysis.js';
import { crossValidationReport } from './cross-validation-report.js';
import { historyReport } from './history-report.js';
import { formatNumber } from './html.js';
import { searchReport } from './search-report.js';
import { lossChart } from './terminal.js';

/** Validation loss bottoms out at the 4th epoch and rises after it while training loss keeps falling. */
const overfitting = historyOf({
  loss: [1.0, 0.7, 0.5, 0.4, 0.3, 0.2, 0.15],
  val_loss: [1.1, 0.8, 0.6, 0.55, 0.6, 0.7, 0.8],
  accuracy: [0.5, 0.6, 0.7, 0.8, 0.85, 0.9, 0.95],
  val_accuracy: [0.45, 0.55, 0.65, 0.7, 0.68, 0.66, 0.65],
});

/** The number of plotted points in each chart of a report (symbol marks, legend symbols excluded). */
function pointsPerChart(html: string): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [, name, body] of html.matchAll(/<figure class="chart" data-chart="([^"]+)">([\s\S]*?)<\/figure>/g)) {
    out[name!] = [...body!.matchAll(/<g class="mark-symbol role-mark[^"]*"[^>]*>([\s\S]*?)<\/g>/g)].reduce((n, [, g]) => n + (g!.match(/<path/g)?.length ?? 0), 0);
  }
  return out;
}

function fold(repeat: number, index: number, scores: Record<string, number>, valLoss: number[]): FoldResult {
  return { repeat, fold: index, trainSize: 8, testSize: 2, scores, history: { loss: valLoss.map((v) => v * 0.8), val_loss: valLoss } };
}

describe('reports', () => {
  test('the analysis takes the best epoch and the start of overfitting from History', () => {
    const a = analyzeHistory(overfitting);
    assert.deepEqual(a.epochs, [1, 2, 3, 4, 5, 6, 7]);
    assert.deepEqual(a.metrics, ['loss', 'accuracy']);
    assert.equal(a.monitor, 'val_loss');
    assert.equal(a.epochs[a.best], 4);
    assert.equal(a.epochs[a.overfitting!], 5);
    const noValidation = analyzeHistory(historyOf({ loss: [3, 2, 2.5] }));
    assert.deepEqual([noValidation.monitor, noValidation.best, noValidation.overfitting], ['loss', 1, null]);
  });

  test('a history report: highlights, a chart per metric with every epoch, the model, settings escaped', async () => {
    const model = new Sequential([new Dense({ units: 2, inputShape: [3] })]);
    const html = await historyReport(overfitting, { model, settings: { note: '<b>raw</b>' }, title: 'Run & results', date: new Date(0) });
    assert.match(html, /<title>Run &amp; results<\/title>/);
    assert.match(html, /1970-01-01 00:00:00 UTC/);
    assert.match(html, /best epoch<\/div><div class="value">4<\/div><div class="note">lowest val loss: 0\.55/);
    assert.match(html, /overfitting starts<\/div><div class="value">epoch 5/);
    assert.deepEqual(pointsPerChart(html), { loss: 14, accuracy: 14 });
    assert.match(html, /best epoch 4<\/text>/);
    assert.match(html, /overfitting from epoch 5<\/text>/);
    assert.match(html, /Total params: 8/);
    assert.match(html, /&lt;b&gt;raw&lt;\/b&gt;/);
    assert.match(html, /<tr class="best"><td>4<\/td>/);
    assert.ok(!/<script|https?:\/\/(?!www\.w3\.org)/.test(html), 'nothing to run or fetch');
  });

  test('a cross-validation report: every fold, the mean, the fold curves and their mean', async () => {
    const folds = [
      fold(0, 0, { loss: 0.5, accuracy: 0.8 }, [0.9, 0.6, 0.5]),
      fold(0, 1, { loss: 0.7, accuracy: 0.6 }, [1.0, 0.8, 0.7]),
      fold(1, 0, { loss: 0.4, accuracy: 0.9 }, [0.8, 0.5, 0.4]),
      fold(1, 1, { loss: 0.6, accuracy: 0.7 }, [0.9, 0.7, 0.6]),
    ];
    const cv: CrossValidation = { folds, mean: { loss: 0.55, accuracy: 0.75 }, std: { loss: 0.1118, accuracy: 0.1118 }, table: () => '' };
    const html = await crossValidationReport(cv);
    assert.deepEqual(pointsPerChart(html), { 'loss of every fold': 4, 'accuracy of every fold': 4, 'val_loss per epoch': 5 * 3 });
    assert.match(html, /mean 0\.55 ± 0\.1118<\/text>/);
    assert.match(html, /<td>2\.2<\/td><td>8<\/td><td>2<\/td><td>0\.6<\/td><td>0\.7<\/td>/, 'repeat 2, fold 2');
    assert.match(html, /<td>mean ± std<\/td><td><\/td><td><\/td><td>0\.55 ± 0\.1118<\/td>/);
    assert.match(html, /2 repeats, 4 runs/);
  });

  test('a search report: trials by rank, the objective against numeric hyperparameters, the best trial\'s folds', async () => {
    const trial = (rank: number, units: number, learningRate: number, loss: number) => ({
      rank, params: { units, learningRate, activation: 'relu' }, scores: { loss }, std: { loss: 0.01 }, folds: [fold(0, 0, { loss }, [loss + 0.2, loss])],
    });
    const trials = [trial(1, 16, 0.01, 0.2), trial(2, 4, 0.001, 0.3), trial(3, 64, 0.3, 0.9)];
    const result: SearchResult<{ units: number; learningRate: number; activation: string }> = { trials, best: trials[0]!, objective: 'loss', direction: 'min', table: () => '' };
    const html = await searchReport(result);
    assert.deepEqual(pointsPerChart(html), { 'loss by rank': 3, 'loss by units': 3, 'loss by learningRate': 3, 'val_loss per epoch': 2 * 2 });
    assert.match(html, /learningRate \(log scale\)/);
    assert.match(html, /best hyperparameters<\/div><div class="value">units 16, learningRate 0\.01, activation relu/);
    assert.match(html, /<tr class="best"><td>1<\/td><td>16<\/td><td>0\.01<\/td><td>relu<\/td><td>0\.2 ± 0\.01<\/td>/);
    assert.ok(!html.includes('<th>error</th>'), 'no error column when every trial ran');
    const failed = { rank: 4, params: { units: 3, learningRate: 0.1, activation: 'relu' }, scores: { loss: NaN }, std: { loss: NaN }, folds: [], error: 'cannot build <3> units' };
    const withFailure = await searchReport({ ...result, trials: [...trials, failed] });
    assert.match(withFailure, /<th>loss<\/th><th>error<\/th>/);
    assert.match(withFailure, /<tr><td>4<\/td><td>3<\/td><td>0\.1<\/td><td>relu<\/td><td>–<\/td><td>cannot build &lt;3&gt; units<\/td><\/tr>/);
  });

  test('the terminal chart: both curves stretched to the width, a legend and the best epoch', () => {
    const text = lossChart(overfitting, { width: 40, height: 6 });
    const plot = text.split('\n').filter((r) => /[┤┼]/.test(r));
    assert.equal(plot.length, 7, 'height + 1 rows of plot');
    assert.ok(plot.every((r) => r.length === 10 + 40), 'the curves span the width asked, after a 10-character axis');
    assert.match(text, /── loss {3}── val_loss {3}best epoch 4 \(val_loss 0\.55\)/);
    assert.ok(!text.includes('\u001b['), 'no colours unless asked');
    assert.match(lossChart(overfitting, { color: true }), /\u001b\[/);
    assert.equal(lossChart(historyOf({})), '');
  });

  test('numbers: four significant digits, noise shown as 0', () => {
    assert.deepEqual([0.123456, 12, 1e-16, 123456.7, NaN].map(formatNumber), ['0.1235', '12', '0', '1.235e+5', '–']);
  });
});
