import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { test } from 'node:test';
// The Node entry: it gives fit its in-place progress line.
import { Dense, ProgressBar, Sequential } from '../../index.js';

/** A stream that says it is a terminal and keeps what is written to it. */
function fakeTerminal(): Writable & { isTTY: boolean; text: () => string } {
  let out = '';
  const sink = new Writable({ write(chunk, _enc, done) { out += String(chunk); done(); } });
  return Object.assign(sink, { isTTY: true, columns: 120, text: () => out });
}

test('on a terminal, the Node entry redraws the progress line in place, and the final line stays', async () => {
  const terminal = fakeTerminal();
  const model = new Sequential([new Dense({ units: 1, inputShape: [2] })]);
  model.compile({ loss: 'mse' });
  const bar = new ProgressBar(terminal);
  const setContext = bar.setContext.bind(bar);
  bar.setContext = (m, params) => setContext(m, { ...params, verbose: 1 });
  await model.fit([[0, 1], [1, 0], [1, 1], [0, 0]], [[1], [1], [2], [0]], { epochs: 2, batchSize: 2, verbose: 0, callbacks: [bar] });
  const text = terminal.text();
  assert.match(text, /Epoch 1\/2\n/);
  assert.match(text, /\x1b\[1G0\/2 /, 'the line starts at step 0 and is redrawn from the first column');
  assert.match(text, /\x1b\[1G2\/2 ━{20} \d+s \d+(us|ms)\/step - loss: \d\.\d{4}\x1b\[0K/, 'the last drawing is the full line');
});
