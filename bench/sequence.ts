/**
 * The sequence models of the benchmark: the text model (bench/peers/sequence-common.ts: Embedding(10000,
 * 128) -> LSTM(128) -> Dense(1, sigmoid), sequences of 100 tokens, batches of 64, Adam, binary
 * cross-entropy) and the transformer (bench/peers/transformer-common.ts): their entries, how the driver
 * runs them, and their sections of bench/RESULTS.md. Every entry's name starts with "text model:" or
 * "transformer:", so `npm run bench -- --only "text model"` (or `--only transformer`) reruns one part alone.
 */
import { join } from 'node:path';
import type { Measured } from './peers/sequence-common.js';
import { TRANSFORMER } from './peers/transformer-common.js';
import type { Plan, RunConditions } from './protocol.js';
import { type Runner, type RunnerContext, type SkippedRunner, PYTORCH_MALLOC, pythonWithTorch, runToEnd } from './runners.js';

export type SequenceEntry =
  | { name: string; status: 'ok'; measured: Measured; conditions: RunConditions }
  | { name: string; status: 'failed'; error: string; conditions: RunConditions }
  | { name: string; status: 'skipped'; reason: string };

const TEXT = 'text model:';
const TRANSFORMER_PREFIX = 'transformer:';
const PREFIXES = [TEXT, TRANSFORMER_PREFIX] as const;

/**
 * Windows per entry. TensorFlow.js's LSTM runs every timestep as separate ops and records each for its
 * gradient, a minute or more per batch on 2 cores: one batch after one of warm-up.
 */
function timing(plan: Plan, slow: boolean): string[] {
  if (slow) return ['--windows', '1', '--seconds', '1', '--warmup', '1'];
  return plan.quick ? ['--windows', '2', '--seconds', '2', '--warmup', '2'] : ['--windows', '5', '--seconds', '4', '--warmup', '3'];
}

export function sequenceRunners(context: RunnerContext): (Runner | SkippedRunner)[] {
  const node = (prefix: string, name: string, script: string, args: string[], slow: boolean, env: Runner['env'] = {}): Runner => ({
    name: `${prefix} ${name}`,
    group: name.startsWith('layerwise') ? 'layerwise' : 'peer',
    command: process.execPath,
    args: [join(context.root, 'dist', 'bench', 'peers', `${script}.js`), ...args, ...timing(context.plan, slow)],
    env,
    timeoutSeconds: slow ? 1200 : 600,
  });
  const layerwise = (prefix: string, script: string): Runner[] => [
    node(prefix, 'layerwise native', script, ['--backend', 'native'], false),
    node(prefix, 'layerwise native 1 thread', script, ['--backend', 'native'], false, { LAYERWISE_THREADS: '1' }),
    node(prefix, 'layerwise wasm', script, ['--backend', 'wasm'], false),
  ];
  const python = pythonWithTorch();
  const pytorch = (prefix: string, script: string, args: string[]): (Runner | SkippedRunner)[] =>
    [1, 2].map((threads) => {
      const name = `${prefix} PyTorch ${threads} thread${threads > 1 ? 's' : ''}`;
      if (python === null) return { name, group: 'peer', skipped: "neither python3 nor /usr/bin/python3 can 'import torch' (Debian: apt-get install python3-torch)" };
      return {
        name,
        group: 'peer',
        command: python,
        args: [join(context.root, 'bench', 'peers', script), ...args, '--threads', `${threads}`, ...timing(context.plan, false)],
        // OpenBLAS's tuning variables halve PyTorch's speed on these machines: unset for this command alone.
        env: { ...PYTORCH_MALLOC, OMP_NUM_THREADS: `${threads}`, MKL_NUM_THREADS: `${threads}`, OPENBLAS_NUM_THREADS: `${threads}`, OPENBLAS_CORETYPE: null, OPENBLAS_L2_SIZE: null },
        timeoutSeconds: 600,
      };
    });
  return [
    ...layerwise(TEXT, 'sequence-layerwise'),
    ...pytorch(TEXT, 'sequence-pytorch.py', []),
    ...layerwise(TRANSFORMER_PREFIX, 'transformer-layerwise'),
    ...pytorch(TRANSFORMER_PREFIX, 'pytorch-transformer.py', ['--config', JSON.stringify(TRANSFORMER)]),
    { name: `${TRANSFORMER_PREFIX} TensorFlow.js`, group: 'peer', skipped: 'TensorFlow.js 4.22 has no MultiHeadAttention layer' },
    // Last: TensorFlow.js takes minutes per entry.
    node(TEXT, 'TensorFlow.js cpu', 'sequence-tfjs', ['--backend', 'cpu'], true),
    node(TEXT, 'TensorFlow.js wasm', 'sequence-tfjs', ['--backend', 'wasm'], true),
  ];
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
  const run = runToEnd(runner);
  const measured = run.error === null ? lastJson(run.stdout) : null;
  const conditions: RunConditions = { startedAt: run.startedAt, wallSeconds: run.wallSeconds, loadAverageBefore, busyCoresAtStart, otherCoresBusy: measured?.otherCoresBusy ?? null };
  if (measured !== null) return { name: runner.name, status: 'ok', measured, conditions };
  return { name: runner.name, status: 'failed', error: run.error ?? 'printed no JSON report', conditions };
}

const rate = (n: number): string => (n >= 100 ? Math.round(n).toString() : n.toFixed(1));

const SECTIONS: Record<(typeof PREFIXES)[number], { title: string; about: string }> = {
  [TEXT]: {
    title: 'Text model: Embedding → LSTM → Dense',
    about: `Embedding(10000, 128) → LSTM(128) → Dense(1, sigmoid), sequences of 100 random tokens, batches of 64, Adam
(Keras's defaults), binary cross-entropy: training samples per second (the median window; higher is better).
PyTorch runs the same model with \`nn.LSTM\` (its fused CPU kernel); TensorFlow.js's LSTM is given Keras's
sigmoid gates and unit forget bias.`,
  },
  [TRANSFORMER_PREFIX]: {
    title: 'Transformer encoder',
    about: `Dense to width 128, a learned positional embedding, 2 post-norm encoder blocks (4 heads, feed-forward 512,
dropout 0.1), mean over steps, a two-class head; sequences of 128 steps of 128 random features, batches of 32,
Adam: training samples per second (the median window; higher is better). layerwise builds it from public layers
(examples/transformer.ts); PyTorch runs the same with \`nn.TransformerEncoderLayer\`.`,
  },
};

/** The sections of bench/RESULTS.md: throughput of each entry, and layerwise's ratio to PyTorch's best. */
export function renderSequence(entries: readonly SequenceEntry[]): string {
  return PREFIXES.map((prefix) => renderSection(prefix, entries.filter((e) => e.name.startsWith(prefix)))).filter((s) => s !== '').join('\n');
}

function renderSection(prefix: (typeof PREFIXES)[number], entries: readonly SequenceEntry[]): string {
  if (entries.length === 0) return '';
  const ok = entries.filter((e): e is Extract<SequenceEntry, { status: 'ok' }> => e.status === 'ok');
  const pytorch = ok.filter((e) => e.name.includes('PyTorch')).sort((a, b) => b.measured.samplesPerSecond.median - a.measured.samplesPerSecond.median)[0];
  const rows = entries.map((e) => {
    const name = e.name.slice(prefix.length).trim();
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
  const { title, about } = SECTIONS[prefix];
  const only = prefix.slice(0, -1);
  return `## ${title}

${about}
PyTorch runs with OPENBLAS_CORETYPE and OPENBLAS_L2_SIZE unset. "× PyTorch" divides by PyTorch's best
setting${pytorch === undefined ? ' (none completed)' : ` (${pytorch.measured.setting})`}. "Other load" is the cores other processes kept busy meanwhile.
Rerun this part alone: \`npm run bench -- --only "${only}"\`.

| entry | setting | samples/s | windows | × PyTorch | other load |
| --- | --- | ---: | ---: | ---: | ---: |
${rows.join('\n')}
`;
}
