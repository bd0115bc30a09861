/**
 * The benchmark driver (`npm run bench`, `npm run bench -- --quick`): runs every entry of runners.ts one
 * after another, each in its own process so peak memory is its own, waits for the machine to be idle
 * before each, and writes bench/results.json and bench/RESULTS.md.
 */
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import os from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { mnistFiles } from '../src/data/idx.js';
import { machineBusySeconds, machineInfo, waitForIdle } from './machine.js';
import { makePlan } from './plan.js';
import type { BenchResults, EntryResult, PeerReport, RunConditions } from './protocol.js';
import { renderResults } from './report.js';
import { type Runner, allRunners } from './runners.js';

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

function runOne(runner: Runner): Promise<EntryResult> {
  const env = { ...process.env };
  for (const [name, value] of Object.entries(runner.env)) {
    if (value === null) delete env[name];
    else env[name] = value;
  }
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
      const conditions: RunConditions = { wallSeconds, loadAverageBefore, otherCoresBusy: others === null ? null : Math.max(others, 0) };
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

async function main(): Promise<void> {
  const quick = process.argv.includes('--quick');
  const plan = makePlan(quick);
  const warnings: string[] = [];
  const load = os.loadavg()[0] ?? 0;
  if (load > os.availableParallelism() / 4) {
    const message = `the 1-minute load average was ${load.toFixed(2)} when the benchmark started: the machine was not idle`;
    warnings.push(message);
    console.warn(`warning: ${message}`);
  }
  const runners = allRunners({ plan, root, mnistDir: dirname(mnistFiles().trainImages) });
  const entries: EntryResult[] = [];
  for (const [i, runner] of runners.entries()) {
    process.stdout.write(`[${i + 1}/${runners.length}] ${runner.name} … `);
    if ('skipped' in runner) {
      entries.push({ name: runner.name, group: runner.group, status: 'skipped', reason: runner.skipped });
    } else {
      const busy = await waitForIdle(IDLE_CORES, quick ? 5 : 60);
      if (busy !== null && busy >= IDLE_CORES) {
        warnings.push(`${runner.name}: started while other work kept ${busy.toFixed(2)} cores busy`);
      }
      const entry = await runOne(runner);
      if (entry.status === 'ok' && (entry.conditions.otherCoresBusy ?? 0) >= IDLE_CORES) {
        warnings.push(`${runner.name}: other work kept ${entry.conditions.otherCoresBusy?.toFixed(2)} cores busy on average while it ran; its figures may be low`);
      }
      entries.push(entry);
    }
    console.log(summary(entries[entries.length - 1]!));
  }
  const results: BenchResults = { date: new Date().toISOString(), quick, plan, machine: machineInfo(), entries, warnings };
  writeFileSync(join(root, 'bench', 'results.json'), `${JSON.stringify(results, null, 2)}\n`);
  writeFileSync(join(root, 'bench', 'RESULTS.md'), renderResults(results));
  console.log(`wrote bench/RESULTS.md and bench/results.json${warnings.length > 0 ? ` (${warnings.length} warnings: see RESULTS.md)` : ''}`);
}

await main();
