/**
 * The HTML reports in a real browser: Debian's Chromium, driven by playwright-core. Each page renders
 * without errors or requests, every chart draws the points it should (one per epoch and series, per
 * fold, per trial) with the best epoch marked, and screenshots are written to out/ (git-ignored):
 * out/report-screenshot.png for a training run, out/cross-validation-screenshot.png and
 * out/search-screenshot.png. Skipped where Chromium is missing.
 */
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { CHROMIUM, launchChromium } from './chromium.js';
import type { Browser } from 'playwright-core';
import {
  Dense, Dropout, Sequential, crossValidate, crossValidationReport, gridSearch, historyReport, randomNormal, searchReport, setSeed, toCategorical,
  writeReport,
} from '../src/index.js';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const out = join(root, 'out');

const skip = !existsSync(CHROMIUM) && `${CHROMIUM} is not installed`;

interface ChartCount {
  name: string | null;
  points: number;
  lines: number;
  rules: number;
  size: number[];
}


/** Opens a report, checks it loads cleanly, screenshots it, and counts what each chart drew. */
async function open(browser: Browser, file: string, title: string, screenshot: string): Promise<{ charts: ChartCount[]; tableRows: number }> {
  const tab = await browser.newPage({ viewport: { width: 1200, height: 900 } });
  const errors: string[] = [];
  tab.on('pageerror', (e) => errors.push(e.message));
  tab.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
  const requests: string[] = [];
  tab.on('request', (r) => r.url() !== pathToFileURL(file).href && requests.push(r.url()));
  await tab.goto(pathToFileURL(file).href);
  assert.equal(await tab.title(), title);
  const charts = await tab.$$eval('figure.chart', (figures) => figures.map((f) => {
    const svg = f.querySelector('svg')!.getBoundingClientRect();
    return {
      name: f.getAttribute('data-chart'),
      points: f.querySelectorAll('.mark-symbol.role-mark path').length,
      lines: f.querySelectorAll('.mark-line.role-mark path').length,
      rules: f.querySelectorAll('.mark-rule.role-mark line, .mark-rule.role-mark path').length,
      size: [svg.width, svg.height],
    };
  }));
  for (const c of charts) assert.ok(c.size[0]! > 300 && c.size[1]! > 150, `${c.name}: drawn at ${c.size.join(' x ')}`);
  const tableRows = await tab.$$eval('section table tbody tr', (trs) => trs.length);
  assert.deepEqual(errors, []);
  assert.deepEqual(requests, [], 'nothing is fetched');
  await tab.screenshot({ path: screenshot, fullPage: true });
  assert.ok(statSync(screenshot).size > 20_000, `screenshot written to ${screenshot}`);
  await tab.close();
  return { charts, tableRows };
}

function classifier(units = 16): Sequential {
  const model = new Sequential([new Dense({ units, activation: 'relu', inputShape: [6] }), new Dropout({ rate: 0.2 }), new Dense({ units: 2, activation: 'softmax' })]);
  model.compile({ optimizer: 'adam', loss: 'categorical_crossentropy', metrics: ['accuracy'] });
  return model;
}

test('the reports render in Chromium with the points they should have, and screenshots', { skip }, async () => {
  setSeed(5);
  const x = randomNormal([150, 6]);
  const y = toCategorical(x.slice([0, 0], [150, 1]).greater(0).cast('int32').reshape([150]), 2);
  mkdirSync(out, { recursive: true });

  const epochs = 12;
  const model = classifier(32);
  const history = await model.fit(x, y, { epochs, batchSize: 16, validationSplit: 0.3, verbose: 0 });
  const runPage = writeReport(join(out, 'report-test.html'), await historyReport(history, { model, settings: { data: 'synthetic, 150 samples' } }));

  const cv = await crossValidate(() => classifier(), x, y, { folds: 3, fit: { epochs: 5, batchSize: 16 } });
  const cvPage = writeReport(join(out, 'cross-validation-test.html'), await crossValidationReport(cv));

  const search = await gridSearch((p) => classifier(p.units), { units: [4, 32] }, x, y, { validation: { folds: 2 }, fit: { epochs: 4, batchSize: 16 } });
  const searchPage = writeReport(join(out, 'search-test.html'), await searchReport(search));

  const browser = await launchChromium();
  if (typeof browser === 'string') throw new Error(browser);
  try {
    const run = await open(browser, runPage, 'Training report', join(out, 'report-screenshot.png'));
    assert.deepEqual(run.charts.map((c) => c.name), ['loss', 'accuracy']);
    for (const c of run.charts) {
      assert.equal(c.points, 2 * epochs, `${c.name}: one point per epoch for training and for validation`);
      assert.equal(c.lines, 2, `${c.name}: a training and a validation line`);
      assert.equal(c.rules, 1, `${c.name}: the best epoch is marked`);
    }
    assert.equal(run.tableRows, epochs + 4 + 1, 'a row per epoch, and per setting (fit\'s four and ours)');

    const folds = await open(browser, cvPage, 'Cross-validation report', join(out, 'cross-validation-screenshot.png'));
    assert.deepEqual(folds.charts.map((c) => [c.name, c.points]), [
      ['loss of every fold', 3], ['accuracy of every fold', 3], ['val_loss per epoch', 4 * 5], ['val_accuracy per epoch', 4 * 5],
    ], 'a point per fold; per epoch for each fold and their mean');
    assert.equal(folds.tableRows, 3 + 1, 'every fold and the mean');

    const trials = await open(browser, searchPage, 'Hyperparameter search report', join(out, 'search-screenshot.png'));
    assert.deepEqual(trials.charts.map((c) => [c.name, c.points]), [
      ['loss by rank', 2], ['loss by units', 2], ['val_loss per epoch', 3 * 4], ['val_accuracy per epoch', 3 * 4],
    ], 'a point per trial; per epoch for each of the best trial\'s folds and their mean');
  } finally {
    await browser.close();
  }
});
