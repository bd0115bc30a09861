/**
 * The benchmark driver: runs every entry of runners.ts one after another, each in its own process so
 * peak memory is its own, waits for the machine to be idle before each, and writes bench/results.json
 * and bench/RESULTS.md.
 *
 *   npm run bench                      everything
 *   npm run bench -- --quick           fewer, shorter windows and no epoch (about a minute)
 *   npm run bench -- --only PyTorch    rerun the entries whose name contains the text (repeatable);
 *                                      the others keep their figures from bench/results.json
 */
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { mnistFiles } from '../src/data/idx.js';
import { busyCores, machineBusySeconds, machineInfo, waitForIdle } from './machine.js';
import { makePlan } from './plan.js';
import { type BenchResults, type EntryResult, type PeerReport, RESULTS_FORMAT, type RunConditions } from './protocol.js';
import { renderResults } from './report.js';
import { dataRunners, runDataEntry } from './data.js';
import { type Runner, type SkippedRunner, allRunners } from './runners.js';
import { runSequenceEntry, sequenceRunners } from './sequence.js';

/** Fewer cores than this busy with other work counts as idle. */
const IDLE_CORES = 0.25;

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

function parseReport(stdout: string): PeerReport | null {
  const line = stdout.trim().split('\n').reverse().find((l) => l.startsWith('{'));
  if (line === undefined) return null;
  try {
    const parsed: unknown = JSON.parse(line);
    const report = parsed as PeerReport;
    return typeof report.framework === 'string' && typeof report.train?.median === 'number' ? report : null;
  } catch {
    return null;
  }
}

function lastLines(text: string, count: number): string {
  return text.trim().split('\n').slice(-count).join('\n');
}

function runOne(runner: Runner, busyCoresAtStart: number | null): Promise<EntryResult> {
  const env = { ...process.env };
  for (const [name, value] of Object.entries(runner.env)) {
    if (value === null) delete env[name];
    else env[name] = value;
  }
  const startedAt = new Date().toISOString();
  const loadAverageBefore = os.loadavg()[0] ?? 0;
  const busyBefore = machineBusySeconds();
  const start = performance.now();
  return new Promise((done) => {
    const child = spawn(runner.command, runner.args, { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    let timedOut = false;
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, runner.timeoutSeconds * 1000);
    const finish = (error: string | null): void => {
      clearTimeout(timer);
      const wallSeconds = (performance.now() - start) / 1000;
      const busyAfter = machineBusySeconds();
      const report = error === null ? parseReport(stdout) : null;
      const others = busyBefore === null || busyAfter === null || report === null ? null : (busyAfter - busyBefore - report.cpuSeconds) / wallSeconds;
      const otherCoresBusy = others === null ? null : Math.max(others, 0);
      const conditions: RunConditions = { startedAt, wallSeconds, loadAverageBefore, busyCoresAtStart, otherCoresBusy };
      const base = { name: runner.name, group: runner.group, conditions };
      if (report !== null) done({ ...base, status: 'ok', report });
      else done({ ...base, status: 'failed', error: error ?? `printed no JSON report; its output ended with: ${lastLines(`${stdout}\n${stderr}`, 5)}` });
    };
    child.on('error', (error) => finish(`could not start ${runner.command}: ${error.message}`));
    child.on('close', (code, signal) => {
      if (timedOut) finish(`timed out after ${runner.timeoutSeconds} s`);
      else if (code !== 0) finish(`exited with ${code ?? signal}: ${lastLines(stderr, 5) || lastLines(stdout, 5)}`);
      else finish(null);
    });
  });
}

function summary(entry: EntryResult): string {
  switch (entry.status) {
    case 'ok': {
      const r = entry.report;
      return `${Math.round(r.train.median)} train / ${Math.round(r.inference.median)} inference samples/s (${Math.round(entry.conditions.wallSeconds)} s)`;
    }
    case 'failed':
      return `FAILED: ${entry.error}`;
    case 'skipped':
      return `skipped: ${entry.reason}`;
    default:
      return entry satisfies never;
  }
}

/** Entries of an earlier run with the same plan, by name, so `--only` can keep what it does not rerun. */
function earlierEntries(path: string, quick: boolean): Map<string, EntryResult> {
  if (!existsSync(path)) return new Map();
  const earlier = JSON.parse(readFileSync(path, 'utf8')) as Partial<BenchResults>;
  if (earlier.format !== RESULTS_FORMAT || earlier.quick !== quick || earlier.entries === undefined) return new Map();
  return new Map(earlier.entries.map((e) => [e.name, e]));
}

type SectionEntry = { name: string } & ({ status: 'ok' } | { status: 'failed'; error: string } | { status: 'skipped'; reason: string });

/**
 * Runs the entries of a section that times itself (the sequence models, the data pipelines) one after
 * another on an idle machine; entries `--only` does not select keep their earlier figures.
 */
async function runSection<E extends SectionEntry>(
  runners: (Runner | SkippedRunner)[], earlier: readonly E[], selected: (name: string) => boolean, quick: boolean,
  run: (runner: Runner, busyCoresAtStart: number | null, loadAverageBefore: number) => E, figures: (entry: Extract<E, { status: 'ok' }>) => string,
): Promise<E[]> {
  const kept = new Map(earlier.map((e) => [e.name, e]));
  const entries: E[] = [];
  for (const [i, runner] of runners.entries()) {
    process.stdout.write(`[${i + 1}/${runners.length}] ${runner.name} … `);
    if (!selected(runner.name)) {
      const before = kept.get(runner.name);
      entries.push(before ?? ({ name: runner.name, status: 'skipped', reason: 'not selected by --only, and no earlier result' } as E));
      console.log(before === undefined ? 'not selected' : 'kept from the earlier run');
      continue;
    }
    const entry = 'skipped' in runner
      ? ({ name: runner.name, status: 'skipped', reason: runner.skipped } as E)
      : run(runner, await waitForIdle(IDLE_CORES, quick ? 5 : 60), os.loadavg()[0] ?? 0);
    entries.push(entry);
    console.log(entry.status === 'ok' ? figures(entry as Extract<E, { status: 'ok' }>) : entry.status === 'failed' ? `FAILED: ${entry.error}` : `skipped: ${entry.reason}`);
  }
  return entries;
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { quick: { type: 'boolean', default: false }, only: { type: 'string', multiple: true } } });
  const quick = values.quick === true;
  const only = (values.only ?? []).map((text) => text.toLowerCase());
  const selected = (name: string) => only.length === 0 || only.some((text) => name.toLowerCase().includes(text));
  const resultsPath = join(root, 'bench', 'results.json');
  const earlier = only.length > 0 ? earlierEntries(resultsPath, quick) : new Map<string, EntryResult>();
  const plan = makePlan(quick);
  const warnings: string[] = [];
  const load = os.loadavg()[0] ?? 0;
  if (load > os.availableParallelism() / 4) {
    const busy = await busyCores(2);
    const now = busy === null ? '' : `; ${busy.toFixed(2)} cores were busy over the 2 s before it (the load average lags)`;
    const message = `the 1-minute load average was ${load.toFixed(2)} when the benchmark started${now}`;
    warnings.push(message);
    console.warn(`warning: ${message}`);
  }
  const runners = allRunners({ plan, root, mnistDir: dirname(mnistFiles().trainImages) });
  const entries: EntryResult[] = [];
  for (const [i, runner] of runners.entries()) {
    process.stdout.write(`[${i + 1}/${runners.length}] ${runner.name} … `);
    const kept = earlier.get(runner.name);
    if (!selected(runner.name)) {
      entries.push(kept ?? { name: runner.name, group: runner.group, status: 'skipped', reason: 'not selected by --only, and no earlier result' });
      console.log(kept === undefined ? 'not selected' : 'kept from the earlier run');
      continue;
    }
    if ('skipped' in runner) {
      entries.push({ name: runner.name, group: runner.group, status: 'skipped', reason: runner.skipped });
    } else {
      const busyCoresAtStart = await waitForIdle(IDLE_CORES, quick ? 5 : 60);
      entries.push(await runOne(runner, busyCoresAtStart));
    }
    console.log(summary(entries[entries.length - 1]!));
  }
  const earlierResults = only.length > 0 && existsSync(resultsPath) ? (JSON.parse(readFileSync(resultsPath, 'utf8')) as Partial<BenchResults>) : {};
  const context = { plan, root, mnistDir: '' };
  const sequence = await runSection(sequenceRunners(context), earlierResults.sequence ?? [], selected, quick, runSequenceEntry, (e) => `${Math.round(e.measured.samplesPerSecond.median)} train samples/s`);
  const data = await runSection(dataRunners(context), earlierResults.data ?? [], selected, quick, runDataEntry, (e) => `${e.table.rows.length} rows of figures`);
  const results: BenchResults = { format: RESULTS_FORMAT, date: new Date().toISOString(), quick, plan, machine: machineInfo(), entries, warnings, sequence, data };
  writeFileSync(resultsPath, `${JSON.stringify(results, null, 2)}\n`);
  writeFileSync(join(root, 'bench', 'RESULTS.md'), renderResults(results));
  console.log('wrote bench/RESULTS.md and bench/results.json');
}

await main();
