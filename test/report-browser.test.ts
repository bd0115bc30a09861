/**
 * The HTML report in a real browser: Debian's Chromium, driven by playwright-core. The page renders
 * without errors, every chart draws one point per epoch and series with the best epoch marked, and a
 * screenshot is written to out/report-screenshot.png (git-ignored). Skipped where Chromium is missing.
 */
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Dense, Dropout, Sequential, historyReport, randomNormal, setSeed, toCategorical, writeReport } from '../src/index.js';

const CHROMIUM = '/usr/bin/chromium';
const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const out = join(root, 'out');

test('the HTML report renders in Chromium with one point per epoch and a screenshot', { skip: !existsSync(CHROMIUM) && `${CHROMIUM} is not installed` }, async () => {
  setSeed(5);
  const x = randomNormal([150, 6]);
  const y = toCategorical(x.slice([0, 0], [150, 1]).greater(0).cast('int32').reshape([150]), 2);
  const model = new Sequential([new Dense({ units: 32, activation: 'relu', inputShape: [6] }), new Dropout({ rate: 0.2 }), new Dense({ units: 2, activation: 'softmax' })]);
  model.compile({ optimizer: 'adam', loss: 'categorical_crossentropy', metrics: ['accuracy'] });
  const epochs = 12;
  const history = await model.fit(x, y, { epochs, batchSize: 16, validationSplit: 0.3, verbose: 0 });
  mkdirSync(out, { recursive: true });
  const page = writeReport(join(out, 'report-test.html'), await historyReport(history, { model, settings: { data: 'synthetic, 150 samples' } }));

  const { chromium } = await import('playwright-core');
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
  try {
    const tab = await browser.newPage({ viewport: { width: 1200, height: 900 } });
    const errors: string[] = [];
    tab.on('pageerror', (e) => errors.push(e.message));
    tab.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
    const requests: string[] = [];
    tab.on('request', (r) => r.url() !== pathToFileURL(page).href && requests.push(r.url()));
    await tab.goto(pathToFileURL(page).href);
    assert.equal(await tab.title(), 'Training report');
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
    assert.deepEqual(charts.map((c) => c.name), ['loss', 'accuracy']);
    for (const c of charts) {
      assert.equal(c.points, 2 * epochs, `${c.name}: one point per epoch for training and for validation`);
      assert.equal(c.lines, 2, `${c.name}: a training and a validation line`);
      assert.equal(c.rules, 1, `${c.name}: the best epoch is marked`);
      assert.ok(c.size[0]! > 300 && c.size[1]! > 150, `${c.name}: drawn at ${c.size.join(' x ')}`);
    }
    const rows = await tab.$$eval('section table tbody tr', (trs) => trs.length);
    assert.equal(rows, epochs + 4 + 1, 'a row per epoch, and per setting (fit\'s four and ours)');
    assert.deepEqual(errors, []);
    assert.deepEqual(requests, [], 'nothing is fetched');
    const screenshot = join(out, 'report-screenshot.png');
    await tab.screenshot({ path: screenshot, fullPage: true });
    assert.ok(statSync(screenshot).size > 20_000, `screenshot written to ${screenshot}`);
  } finally {
    await browser.close();
  }
});
