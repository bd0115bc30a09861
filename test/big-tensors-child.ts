/**
 * Child process of big-tensors.test.ts: asks the given backend for one tensor larger than it can hold and
 * prints the error as JSON ({ name, message }), or { ok: true } where the tensor was made. An abort kills
 * this process, not the test runner.
 */
import * as lw from '../src/index.js';

const [backend, what] = process.argv.slice(2) as [lw.BackendName, string];
lw.setBackend(backend);
const cases: Record<string, () => unknown> = {
  zeros: () => lw.zeros([2 ** 30 + 1]),
  matmul: () => lw.matmul(lw.ones([70000, 1]), lw.ones([1, 70000])),
  dense: () => new lw.Sequential([new lw.Dense({ units: 1e9, inputShape: [4] })]),
};
try {
  cases[what]!();
  console.log(JSON.stringify({ ok: true }));
} catch (e) {
  console.log(JSON.stringify({ name: e instanceof Error ? e.constructor.name : typeof e, message: e instanceof Error ? e.message : String(e), library: e instanceof lw.LayerwiseError }));
}
