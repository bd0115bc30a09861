/**
 * `layerwise worker URL --allow FOLDER`: takes cross-validation folds and search trials from the Redis
 * queue at URL until stopped (Ctrl-C finishes the running task, a second Ctrl-C or SIGTERM hands it back
 * to the queue). `--concurrency N` runs N worker processes, each on its share of the cores.
 * `layerwise cluster ls URL [NAME]` lists the runs Redis holds (or one run's tasks); `cluster rm URL NAME`
 * removes one.
 */
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { availableParallelism } from 'node:os';
import type { Command } from 'commander';
import type { ClusterWorkerEvent, ClusterWorkerOptions } from '../index.js';
import { backendInfo, clusterRunTasks, formatTable, listClusterRuns, removeClusterRun, setThreads, startClusterWorker } from '../index.js';
import { positiveInteger } from './arguments.js';

interface WorkerFlags {
  allow: string[];
  concurrency: number;
  threads?: number;
  name?: string;
  lockDuration?: number;
  stalledInterval?: number;
  timeout?: number;
}

export function addClusterCommands(program: Command): void {
  program
    .command('worker')
    .description('Run cross-validation folds and search trials from the Redis queue at <url> until stopped (Ctrl-C finishes the running task; twice, or SIGTERM, hands it back).')
    .argument('<url>', "Redis URL, e.g. redis://host:6379/0 or rediss://:password@host:6380/0")
    .requiredOption('--allow <folder...>', 'folders whose modules tasks may import (model factories, preprocessing, scorers); every other module is refused')
    .option('-c, --concurrency <n>', 'tasks run at once, each in its own worker process', positiveInteger, 1)
    .option('--threads <n>', 'compute threads per task (default: the cores divided by the concurrency)', positiveInteger)
    .option('--name <name>', 'name shown in results and listings (default: host:pid)')
    .option('--lock-duration <ms>', "how long a task's lock lasts: a dead worker's task goes to another after this", positiveInteger, 30000)
    .option('--stalled-interval <ms>', 'how often to look for tasks whose worker died', positiveInteger, 30000)
    .option('--timeout <ms>', 'how long Redis may stay unreachable before the worker stops with an error', positiveInteger, 30000)
    .action(async (url: string, flags: WorkerFlags) => (flags.concurrency > 1 ? runWorkerProcesses(url, flags) : runWorker(url, flags)));

  const cluster = program.command('cluster').description('List and remove the cross-validations and searches kept in Redis.');
  cluster
    .command('ls')
    .description('List the runs Redis holds, or with a name, the tasks of that run: state, worker, time, attempts, scores.')
    .argument('<url>', 'Redis URL')
    .argument('[name]', 'a run to show task by task')
    .action(async (url: string, name?: string) => console.log(name === undefined ? await runsTable(url) : await tasksTable(url, name)));
  cluster
    .command('rm')
    .description("Remove a run's tasks, results and data from Redis.")
    .argument('<url>', 'Redis URL')
    .argument('<name>', 'the run to remove (cluster ls lists them)')
    .action(async (url: string, name: string) => {
      const { removed, running } = await removeClusterRun(url, name);
      console.log(running === 0 ? `Removed run '${name}' (${removed} tasks).` : `Removed ${removed} tasks of run '${name}'; ${running} are running: run cluster rm again when they end.`);
    });
}

function describeEvent(e: ClusterWorkerEvent): string {
  switch (e.kind) {
    case 'started':
      return `started ${e.run}: ${e.task}${e.attempt > 1 ? ` (attempt ${e.attempt})` : ''}`;
    case 'done':
      return `done ${e.run}: ${e.task} in ${e.seconds.toFixed(1)} s`;
    case 'failed':
      return `failed ${e.run}: ${e.task}: ${e.message}`;
    case 'refused':
      return `refused ${e.run}: ${e.task}: ${e.message}`;
    case 'handed-back':
      return `handed back ${e.run}: ${e.task}`;
    case 'error':
      return `error: ${e.message}`;
    default:
      return e satisfies never;
  }
}

async function runWorker(url: string, flags: WorkerFlags): Promise<void> {
  if (flags.threads !== undefined) setThreads(flags.threads);
  const options: ClusterWorkerOptions = {
    allow: flags.allow,
    lockDuration: flags.lockDuration!,
    stalledInterval: flags.stalledInterval!,
    timeout: flags.timeout!,
    onEvent: (e) => console.log(`${new Date().toISOString()} ${describeEvent(e)}`),
  };
  if (flags.name !== undefined) options.name = flags.name;
  const worker = await startClusterWorker(url, options);
  console.log(`Worker ${worker.name} takes tasks from ${url.replace(/\/\/[^@/]*@/, '//***@')} (${backendInfo()}), importing only from ${flags.allow.join(', ')}`);
  let stops = 0;
  const stop = (handBack: boolean) => {
    stops++;
    if (!handBack && stops === 1) console.log('Finishing the running task, then stopping (Ctrl-C again hands it back to the queue).');
    else console.log('Handing the running task back to the queue.');
    return worker.close({ handBack: handBack || stops > 1 });
  };
  // The parent of --concurrency N workers closes their channel to say "stop" (or by dying).
  const stopped = new Promise<void>((resolve) => {
    process.on('SIGINT', () => void stop(false).then(resolve));
    process.on('SIGTERM', () => void stop(true).then(resolve));
    process.on('disconnect', () => void stop(true).then(resolve));
  });
  await Promise.race([stopped, worker.lost.catch((e: Error) => {
    // Redis is gone: nothing can be handed back, and its client would keep trying. Its task's lock expires.
    console.error(`layerwise: ${e.message}`);
    process.exit(1);
  })]);
  console.log(`Worker ${worker.name} stopped.`);
  if (process.connected) process.disconnect();
}

/** N worker processes, each with its share of the cores; they stop when this process is told to. */
async function runWorkerProcesses(url: string, flags: WorkerFlags): Promise<void> {
  const threads = flags.threads ?? Math.max(1, Math.floor(availableParallelism() / flags.concurrency));
  const base = flags.name ?? null;
  const children: ChildProcess[] = [];
  const exits: Promise<number | null>[] = [];
  for (let i = 0; i < flags.concurrency; i++) {
    const args = [process.argv[1]!, 'worker', url, '--allow', ...flags.allow, '--threads', String(threads),
      '--lock-duration', String(flags.lockDuration), '--stalled-interval', String(flags.stalledInterval), '--timeout', String(flags.timeout)];
    if (base !== null) args.push('--name', `${base}-${i + 1}`);
    // Detached: Ctrl-C reaches this process only, which tells each child once (twice hands their tasks back).
    const child = spawn(process.execPath, args, { stdio: ['ignore', 'inherit', 'inherit', 'ipc'], detached: true });
    children.push(child);
    exits.push(new Promise((resolve) => child.on('exit', (code) => resolve(code))));
  }
  let stops = 0;
  const signal = (which: NodeJS.Signals) => {
    stops++;
    for (const child of children) if (child.exitCode === null) child.kill(stops > 1 ? 'SIGTERM' : which);
  };
  process.on('SIGINT', () => signal('SIGINT'));
  process.on('SIGTERM', () => signal('SIGTERM'));
  const codes = await Promise.all(exits);
  const failed = codes.filter((c) => c !== 0).length;
  if (failed > 0) throw new Error(`${failed} of ${flags.concurrency} worker processes stopped with an error`);
}

async function runsTable(url: string): Promise<string> {
  const runs = await listClusterRuns(url);
  if (runs.length === 0) return 'No runs in Redis.';
  return formatTable(
    ['name', 'kind', 'created', 'tasks', 'done', 'failed', 'running', 'waiting', 'version'],
    runs.map((r) => [r.name, r.kind, r.created.replace('T', ' ').slice(0, 19), r.tasks, r.done, r.failed, r.running, r.waiting, r.version]),
  );
}

async function tasksTable(url: string, name: string): Promise<string> {
  const tasks = await clusterRunTasks(url, name);
  const scores = [...new Set(tasks.flatMap((t) => Object.keys(t.scores ?? {})))];
  return formatTable(
    ['#', 'task', 'state', 'worker', 'seconds', 'attempts', ...scores, 'error'],
    tasks.map((t) => [
      t.index, t.task, t.state, t.worker ?? '', t.seconds === undefined ? '' : t.seconds.toFixed(1), t.attempts,
      ...scores.map((s) => (t.scores?.[s] === undefined ? '' : t.scores[s]!)), t.error ?? '',
    ]),
  );
}
