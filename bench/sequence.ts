/**
 * The text model of the benchmark (bench/peers/sequence-common.ts: Embedding(10000, 128) -> LSTM(128) ->
 * Dense(1, sigmoid), sequences of 100 tokens, batches of 64, Adam, binary cross-entropy): its entries,
 * how the driver runs them, and its section of bench/RESULTS.md. Every entry's name starts with
 * "text model", so `npm run bench -- --only "text model"` reruns this part alone.
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import type { Measured } from './peers/sequence-common.js';
import type { Plan, RunConditions } from './protocol.js';
import { type Runner, type RunnerContext, type SkippedRunner, PYTORCH_MALLOC, pythonWithTorch } from './runners.js';

export type SequenceEntry =
  | { name: string; status: 'ok'; measured: Measured; conditions: RunConditions }
  | { name: string; status: 'failed'; error: string; conditions: RunConditions }
  | { name: string; status: 'skipped'; reason: string };

const PREFIX = 'text model:';

/**
 * Windows per entry. TensorFlow.js's LSTM runs every timestep as separate ops and records each for its
 * gradient, a minute or more per batch on 2 cores: one batch after one of warm-up.
 */
function timing(plan: Plan, slow: boolean): string[] {
  if (slow) return ['--windows', '1', '--seconds', '1', '--warmup', '1'];
  return plan.quick ? ['--windows', '2', '--seconds', '2', '--warmup', '2'] : ['--windows', '5', '--seconds', '4', '--warmup', '3'];
}

export function sequenceRunners(context: RunnerContext): (Runner | SkippedRunner)[] {
  const node = (name: string, script: string, args: string[], slow: boolean, env: Runner['env'] = {}): Runner => ({
    name: `${PREFIX} ${name}`,
    group: name.startsWith('layerwise') ? 'layerwise' : 'peer',
    command: process.execPath,
    args: [join(context.root, 'dist', 'bench', 'peers', `${script}.js`), ...args, ...timing(context.plan, slow)],
    env,
    timeoutSeconds: slow ? 1200 : 600,
  });
  const runners: (Runner | SkippedRunner)[] = [
    node('layerwise native', 'sequence-layerwise', ['--backend', 'native'], false),
    node('layerwise native 1 thread', 'sequence-layerwise', ['--backend', 'native'], false, { LAYERWISE_THREADS: '1' }),
    node('layerwise wasm', 'sequence-layerwise', ['--backend', 'wasm'], false),
  ];
  const python = pythonWithTorch();
  for (const threads of [1, 2]) {
    const name = `${PREFIX} PyTorch ${threads} thread${threads > 1 ? 's' : ''}`;
    if (python === null) {
      runners.push({ name, group: 'peer', skipped: "neither python3 nor /usr/bin/python3 can 'import torch' (Debian: apt-get install python3-torch)" });
      continue;
    }
    runners.push({
      name,
      group: 'peer',
      command: python,
      args: [join(context.root, 'bench', 'peers', 'sequence-pytorch.py'), '--threads', `${threads}`, ...timing(context.plan, false)],
      // OpenBLAS's tuning variables halve PyTorch's speed on these machines: unset for this command alone.
      env: { ...PYTORCH_MALLOC, OMP_NUM_THREADS: `${threads}`, MKL_NUM_THREADS: `${threads}`, OPENBLAS_NUM_THREADS: `${threads}`, OPENBLAS_CORETYPE: null, OPENBLAS_L2_SIZE: null },
      timeoutSeconds: 600,
    });
  }
  // Last: TensorFlow.js takes minutes per entry.
  runners.push(node('TensorFlow.js cpu', 'sequence-tfjs', ['--backend', 'cpu'], true), node('TensorFlow.js wasm', 'sequence-tfjs', ['--backend', 'wasm'], true));
  return runners;
}

function lastJson(stdout: string): Measured | null {
  const line = stdout.trim().split('\n').reverse().find((l) => l.startsWith('{'));
  if (line === undefined) return null;
  try {
    const parsed = JSON.parse(line) as Measured;
    return typeof parsed.samplesPerSecond?.median === 'number' ? parsed : null;
  } catch {
    return null;
  }
}

/** Runs one entry to the end (the peers time themselves), with the runner's environment. */
export function runSequenceEntry(runner: Runner, busyCoresAtStart: number | null, loadAverageBefore: number): SequenceEntry {
  const env = { ...process.env };
  for (const [name, value] of Object.entries(runner.env)) {
    if (value === null) delete env[name];
    else env[name] = value;
  }
  const startedAt = new Date().toISOString();
  const start = performance.now();
  const result = spawnSync(runner.command, runner.args, { env, encoding: 'utf8', timeout: runner.timeoutSeconds * 1000, maxBuffer: 64 << 20 });
  const wallSeconds = (performance.now() - start) / 1000;
  const measured = result.status === 0 ? lastJson(result.stdout) : null;
  const conditions: RunConditions = { startedAt, wallSeconds, loadAverageBefore, busyCoresAtStart, otherCoresBusy: measured?.otherCoresBusy ?? null };
  if (measured !== null) return { name: runner.name, status: 'ok', measured, conditions };
  const tail = `${result.stdout ?? ''}\n${result.stderr ?? ''}`.trim().split('\n').slice(-5).join('\n');
  const error = result.error ? result.error.message : `exited with ${result.status ?? result.signal}: ${tail}`;
  return { name: runner.name, status: 'failed', error, conditions };
}

const rate = (n: number): string => (n >= 100 ? Math.round(n).toString() : n.toFixed(1));

/** The section of bench/RESULTS.md: throughput of each entry, and layerwise's ratio to PyTorch's best. */
export function renderSequence(entries: readonly SequenceEntry[]): string {
  const ok = entries.filter((e): e is Extract<SequenceEntry, { status: 'ok' }> => e.status === 'ok');
  const pytorch = ok.filter((e) => e.name.includes('PyTorch')).sort((a, b) => b.measured.samplesPerSecond.median - a.measured.samplesPerSecond.median)[0];
  const rows = entries.map((e) => {
    const name = e.name.slice(PREFIX.length).trim();
    switch (e.status) {
      case 'ok': {
        const s = e.measured.samplesPerSecond, busy = e.measured.otherCoresBusy;
        const ratio = pytorch === undefined ? '' : (s.median / pytorch.measured.samplesPerSecond.median).toFixed(2);
        return `| ${name} | ${e.measured.setting} | ${rate(s.median)} | ${rate(s.worst)}–${rate(s.best)} | ${ratio} | ${busy === null ? '?' : busy.toFixed(2)} |`;
      }
      case 'failed':
        return `| ${name} | failed: ${e.error.replace(/\|/g, '\\|').replace(/\n/g, ' ')} | | | | |`;
      case 'skipped':
        return `| ${name} | skipped: ${e.reason} | | | | |`;
      default:
        return e satisfies never;
    }
  });
  return `## Text model: Embedding → LSTM → Dense

Embedding(10000, 128) → LSTM(128) → Dense(1, sigmoid), sequences of 100 random tokens, batches of 64, Adam
(Keras's defaults), binary cross-entropy: training samples per second (the median window; higher is better).
PyTorch runs the same model with \`nn.LSTM\` (its fused CPU kernel) and OPENBLAS_CORETYPE and
OPENBLAS_L2_SIZE unset; TensorFlow.js's LSTM is given Keras's sigmoid gates and unit forget bias.
"× PyTorch" divides by PyTorch's best setting${pytorch === undefined ? ' (none completed)' : ` (${pytorch.measured.setting})`}. "Other load" is the cores other
processes kept busy meanwhile. Rerun this part alone: \`npm run bench -- --only "text model"\`.

| entry | setting | samples/s | windows | × PyTorch | other load |
| --- | --- | ---: | ---: | ---: | ---: |
${rows.join('\n')}
`;
}
