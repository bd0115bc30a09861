/**
 * The data pipelines of the benchmark: training the seed's convnet from a folder of PNG files against
 * training it from tensors in memory, the table readers against their peers, and training on a file
 * larger than the memory the process is given. Each entry is one of the scripts beside this file, run
 * to the end; its last output line is a table (data-table.ts) that goes into bench/RESULTS.md as it is.
 * Every entry's name starts with "data:", so `npm run bench -- --only data:` reruns this part alone.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { type DataTable, isDataTable, markdownTable } from './data-table.js';
import type { RunConditions } from './protocol.js';
import { type Runner, type RunnerContext, type SkippedRunner, runToEnd } from './runners.js';

export type DataEntry =
  | { name: string; status: 'ok'; table: DataTable; conditions: RunConditions }
  | { name: string; status: 'failed'; error: string; conditions: RunConditions }
  | { name: string; status: 'skipped'; reason: string };

const PREFIX = 'data:';
const FASHION_MNIST = '/usr/share/datasets/fashion-mnist/train-images-idx3-ubyte.gz';

interface DataScript {
  name: string;
  title: string;
  about: string;
  script: string;
  args: string[];
  timeoutSeconds: number;
  skipped?: string;
}

function scripts(quick: boolean): DataScript[] {
  return [
    {
      name: 'PNG folder training',
      title: 'Training from a folder of PNG files',
      about: `The seed's convnet (native backend, batches of 64, RMSprop) trained on 4,096 Fashion-MNIST images written as
28 × 28 grayscale PNG files (examples/fashion-mnist-folder.ts writes them into out/ when they are missing), loaded
by \`imageDatasetFromDirectory\`: decoded again every epoch, and with \`cache()\` after the first epoch, against the
same images as tensors in memory. Images per second of a training epoch (the median of the epochs after the
first), each source in its own process for its own peak RSS.`,
      script: 'image-folder-training',
      args: ['--make', ...(quick ? ['--epochs', '2', '--images', '1024'] : [])],
      timeoutSeconds: 900,
      ...(existsSync(FASHION_MNIST) ? {} : { skipped: `${FASHION_MNIST} is missing (Debian: apt-get install dataset-fashion-mnist)` }),
    },
    {
      name: 'table readers',
      title: 'Reading CSV, Parquet and Arrow files',
      about: `Rows per second of each reader over a whole file, the median of repeated passes: a generated CSV (8 number
columns and a label), vega-datasets' flights-3m.parquet (3 million rows) and flights-200k.arrow; TensorFlow.js's
\`tf.data.csv\` and pandas (where Debian's python3-pandas is installed) read the same CSV. The last rows time a
CPU-heavy \`map\` on this thread and on worker threads.`,
      script: 'data-readers',
      args: quick ? ['--rows', '100000', '--repeats', '1'] : [],
      timeoutSeconds: 1200,
    },
    {
      name: 'larger than memory',
      title: 'Training on a file larger than memory',
      about: `A CSV written from flights-3m.parquet again and again until it is 4 times an RSS ceiling of 128 MiB (into out/,
not committed), trained on for one pass by a process started with \`--max-old-space-size=32\`; its peak RSS is what
the kernel counted (getrusage). The target: the whole pass ends with the peak below the ceiling.`,
      script: 'larger-than-memory',
      args: [],
      timeoutSeconds: 3600,
      ...(quick ? { skipped: 'not run with --quick (a pass over 512 MiB of CSV takes minutes)' } : {}),
    },
  ];
}

export function dataRunners(context: RunnerContext): (Runner | SkippedRunner)[] {
  return scripts(context.plan.quick).map((s): Runner | SkippedRunner => {
    const name = `${PREFIX} ${s.name}`;
    if (s.skipped !== undefined) return { name, group: 'layerwise', skipped: s.skipped };
    return { name, group: 'layerwise', command: process.execPath, args: [join(context.root, 'dist', 'bench', `${s.script}.js`), ...s.args], env: {}, timeoutSeconds: s.timeoutSeconds };
  });
}

/** Runs one entry to the end and reads the table it printed last. */
export function runDataEntry(runner: Runner, busyCoresAtStart: number | null, loadAverageBefore: number): DataEntry {
  const run = runToEnd(runner);
  const conditions: RunConditions = { startedAt: run.startedAt, wallSeconds: run.wallSeconds, loadAverageBefore, busyCoresAtStart, otherCoresBusy: null };
  if (run.error !== null) return { name: runner.name, status: 'failed', error: run.error, conditions };
  const last = run.stdout.trim().split('\n').reverse().find((l) => l.startsWith('{'));
  let table: unknown = null;
  try {
    table = last === undefined ? null : JSON.parse(last);
  } catch {
    // Reported below as printing no table.
  }
  if (!isDataTable(table)) return { name: runner.name, status: 'failed', error: 'printed no table as its last JSON line', conditions };
  return { name: runner.name, status: 'ok', table, conditions };
}

/** The section of bench/RESULTS.md: each entry's table under its title. */
export function renderData(entries: readonly DataEntry[], quick: boolean): string {
  if (entries.length === 0) return '';
  const parts = scripts(quick).map((s) => {
    const entry = entries.find((e) => e.name === `${PREFIX} ${s.name}`);
    if (entry === undefined) return '';
    let body: string;
    switch (entry.status) {
      case 'ok': {
        const c = entry.conditions;
        body = `${markdownTable(entry.table)}\n\n${entry.table.notes.map((n) => `- ${n}`).join('\n')}${entry.table.notes.length > 0 ? '\n' : ''}` +
          `- Ran at ${c.startedAt.slice(0, 16).replace('T', ' ')} UTC for ${Math.round(c.wallSeconds)} s; the 1-minute load average before it was ${c.loadAverageBefore.toFixed(2)}.\n` +
          `- Rerun: \`node dist/bench/${s.script}.js${s.args.length > 0 ? ` ${s.args.join(' ')}` : ''}\` or \`npm run bench -- --only "${entry.name}"\`.`;
        break;
      }
      case 'failed':
        body = `Failed: ${entry.error}`;
        break;
      case 'skipped':
        body = `Skipped: ${entry.reason}`;
        break;
      default:
        return entry satisfies never;
    }
    return `### ${s.title}\n\n${s.about}\n\n${body}\n`;
  });
  return `## Data pipelines\n\nRerun this part alone: \`npm run bench -- --only data:\`.\n\n${parts.filter((p) => p !== '').join('\n')}`;
}
