/**
 * The cluster end to end, with real processes: a private redis-server, `layerwise worker` processes, and
 * searches and cross-validations whose tasks they take. Each fault the cluster must survive has its test:
 * a worker killed mid-trial, a trial that throws, Redis restarted mid-search or gone for good, bad URLs
 * and passwords, a worker of another layerwise version, and a module the workers were not allowed.
 * Workers run with short locks (1.5 s) so that a dead worker's task comes back within seconds.
 */
import assert from 'node:assert/strict';
import type { ChildProcess } from 'node:child_process';
import { spawn, spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import type { CrossValidation, SearchResult, TaskProgress } from '../src/index.js';
import { clusterRunTasks, crossValidate, gridSearch, listClusterRuns, moduleExport, randomNormal, removeClusterRun, setSeed, tensor } from '../src/index.js';
import type { Tensor } from '../src/index.js';
import { RedisServer, freePort, skipWithoutRedis } from './redis-server.js';

// dist/test/cluster.test.js -> the repository root, where workers start (modules travel by their path relative to it).
const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const MAIN = join(ROOT, 'dist', 'src', 'cli', 'main.js');
const ALLOW = join('dist', 'test', 'cluster-models');
const MODELS = new URL('./cluster-models/models.js', import.meta.url);
const VERSION = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string }).version;

interface WorkerProcess {
  name: string;
  process: ChildProcess;
  lines: string[];
  exit: Promise<number | null>;
  /** Resolves with the first line (printed so far or later) that matches. */
  printed(pattern: RegExp, timeoutMs?: number): Promise<string>;
}

const spawned: ChildProcess[] = [];
after(() => {
  for (const p of spawned) if (p.exitCode === null && p.signalCode === null) p.kill('SIGKILL');
});

function startWorker(url: string, name: string, options: { allow?: string[]; cwd?: string; main?: string; args?: string[] } = {}): WorkerProcess {
  const args = [options.main ?? MAIN, 'worker', url, '--allow', ...(options.allow ?? [ALLOW]), '--name', name,
    '--lock-duration', '1500', '--stalled-interval', '500', '--timeout', '20000', '--threads', '1', ...(options.args ?? [])];
  const p = spawn(process.execPath, args, { cwd: options.cwd ?? ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  spawned.push(p);
  const lines: string[] = [];
  const waiters: { pattern: RegExp; resolve: (line: string) => void }[] = [];
  const onChunk = (chunk: string) => {
    for (const line of chunk.split('\n').filter(Boolean)) {
      lines.push(line);
      for (const w of waiters.filter((w) => w.pattern.test(line))) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve(line);
      }
    }
  };
  p.stdout!.setEncoding('utf8').on('data', onChunk);
  p.stderr!.setEncoding('utf8').on('data', onChunk);
  const exit = new Promise<number | null>((resolve) => p.on('exit', (code) => resolve(code)));
  return {
    name, process: p, lines, exit,
    printed(pattern, timeoutMs = 30_000) {
      const seen = lines.find((l) => pattern.test(l));
      if (seen) return Promise.resolve(seen);
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`worker ${name} did not print ${pattern} within ${timeoutMs} ms; it printed:\n${lines.join('\n')}`)), timeoutMs);
        waiters.push({ pattern, resolve: (line) => (clearTimeout(timer), resolve(line)) });
        void exit.then((code) => reject(new Error(`worker ${name} exited (${code}) before printing ${pattern}; it printed:\n${lines.join('\n')}`)));
      });
    },
  };
}

function cli(...args: string[]): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [MAIN, ...args], { cwd: ROOT, encoding: 'utf8', timeout: 60_000 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** Three clusters in 4 dimensions, 30 samples each. */
function clusters(): { x: Tensor; y: Tensor } {
  setSeed(1);
  const noise = randomNormal([90, 4]).toArray() as number[][];
  const centers = [[10, 20, 0, 5], [14, 16, 4, 5], [8, 24, 2, 10]];
  const labels = Array.from({ length: 90 }, (_, i) => i % 3);
  return { x: tensor(noise.map((r, i) => r.map((v, j) => centers[labels[i]!]![j]! + v))), y: tensor(labels) };
}

const experiment = (epochs: number) => ({
  fit: { epochs, batchSize: 16 },
  preprocess: moduleExport(MODELS, 'preprocess'),
  scoring: moduleExport(MODELS, 'scoring'),
});
const SPACE = { units: [4, 16], learningRate: [0.05, 0.3] };

/** The same search in this process, sequentially, under the same seed. */
async function localSearch(seed: number, epochs: number): Promise<SearchResult<{ units: number; learningRate: number }>> {
  const { x, y } = clusters();
  setSeed(seed);
  return gridSearch(moduleExport(MODELS, 'buildClassifier'), SPACE, x, y, { ...experiment(epochs), validation: { folds: 2 } });
}

describe('cluster', { skip: skipWithoutRedis }, () => {
  let redis: RedisServer;
  let workers: WorkerProcess[];
  let pool: WorkerProcess;
  // One `layerwise worker --concurrency 2`: two worker processes, pool-1 and pool-2.
  const POOL = /^pool-[12]$/;
  before(async () => {
    redis = await RedisServer.start();
    pool = startWorker(redis.url, 'pool', { args: ['--concurrency', '2'] });
    await pool.printed(/Worker pool-1 takes tasks from/);
    await pool.printed(/Worker pool-2 takes tasks from/);
    workers = [pool];
  });
  after(async () => {
    pool.process.kill('SIGKILL');
    await redis.dispose();
  });

  test('scores equal a local sequential run, trial by trial; a run under the same name picks its results up from Redis; cluster ls and rm', async () => {
    const { x, y } = clusters();
    const local = await localSearch(11, 4);
    const progress: TaskProgress[] = [];
    const remote = async () => {
      setSeed(11);
      return gridSearch(moduleExport(MODELS, 'buildClassifier'), SPACE, x, y, {
        ...experiment(4), validation: { folds: 2 }, cluster: { url: redis.url, name: 'grid' }, verbose: 0, onProgress: (p) => progress.push(p),
      });
    };
    const first = await remote();
    assert.deepEqual(first.trials, local.trials);
    assert.equal(first.table(), local.table());
    const { best, ...counts } = progress.at(-1)!;
    assert.deepEqual(counts, { total: 8, done: 8, running: 0, failed: 0, retried: 0 });
    assert.equal(best!.value, local.best.scores['loss'], 'the best score so far ends as the best trial\'s');

    // Which worker ran what, how long, and the scores stay in Redis.
    const tasks = await clusterRunTasks(redis.url, 'grid');
    assert.equal(tasks.length, 8);
    for (const t of tasks) {
      assert.equal(t.state, 'done');
      assert.match(t.worker!, POOL);
      assert.ok(t.seconds! >= 0 && t.seconds! < 60);
      assert.equal(t.attempts, 1);
    }
    const trial1 = first.trials.find((t) => t.params.units === 4 && t.params.learningRate === 0.05)!;
    assert.deepEqual(tasks[1]!.scores, trial1.folds[1]!.scores);
    assert.equal(tasks[1]!.task, 'trial 1 of 4 (units=4, learningRate=0.05), fold 2');

    // Again under the name: nothing is trained again.
    const started = workers.map((w) => w.lines.filter((l) => / started /.test(l)).length);
    progress.length = 0;
    const second = await remote();
    assert.deepEqual(second.trials, local.trials);
    assert.ok(progress.every((p) => p.running === 0));
    assert.deepEqual(workers.map((w) => w.lines.filter((l) => / started /.test(l)).length), started, 'no worker started a task');

    // Another seed under the same name is another run.
    setSeed(12);
    await assert.rejects(
      gridSearch(moduleExport(MODELS, 'buildClassifier'), SPACE, x, y, { ...experiment(4), validation: { folds: 2 }, cluster: { url: redis.url, name: 'grid' }, verbose: 0 }),
      /^ValueError: gridSearch: Redis already holds a run named 'grid' \(a gridSearch of .*\) with other data, settings or seeds: give another name, remove it \(layerwise cluster rm grid\), or call setSeed/,
    );

    // crossValidate too, under its default name.
    setSeed(5);
    const cvLocal: CrossValidation = await crossValidate(moduleExport(MODELS, 'buildClassifier'), x, y, { folds: 3, params: { units: 8 }, ...experiment(3) });
    setSeed(5);
    const cvRemote = await crossValidate(moduleExport(MODELS, 'buildClassifier'), x, y, { folds: 3, params: { units: 8 }, ...experiment(3), cluster: redis.url, verbose: 0 });
    assert.deepEqual(cvRemote.folds, cvLocal.folds);
    assert.deepEqual(cvRemote.mean, cvLocal.mean);

    const ls = cli('cluster', 'ls', redis.url);
    assert.equal(ls.status, 0, ls.stderr);
    assert.match(ls.stdout, /^name\s+kind\s+created\s+tasks\s+done\s+failed\s+running\s+waiting\s+version\n/);
    assert.match(ls.stdout, new RegExp(`\\ngrid\\s+gridSearch\\s+[\\d-]+ [\\d:]+\\s+8\\s+8\\s+0\\s+0\\s+0\\s+${VERSION.replace(/\./g, '\\.')}\\n`));
    assert.match(ls.stdout, /\ncrossValidate-[0-9a-f]{10}\s+crossValidate\s+.*\s+3\s+3\s+0\s+0\s+0\s/);
    const one = cli('cluster', 'ls', redis.url, 'grid');
    assert.match(one.stdout, /^#\s+task\s+state\s+worker\s+seconds\s+attempts\s+loss\s+accuracy\s+auc\s+error\n/);
    assert.match(one.stdout, /\n1\s+trial 1 of 4 \(units=4, learningRate=0\.05\), fold 2\s+done\s+pool-[12]\s+\d+\.\d\s+1\s+\d\.\d{4}\s+\d\.\d{4}\s+\d\.\d{4}\n/);
    const rm = cli('cluster', 'rm', redis.url, 'grid');
    assert.equal(rm.stdout, "Removed run 'grid' (8 tasks).\n");
    assert.deepEqual((await listClusterRuns(redis.url)).map((r) => r.name).filter((n) => n === 'grid'), []);
  });

  test('a caller killed mid-search: running the search again under its name picks up the finished trials instead of training them again', async () => {
    const local = await localSearch(61, 40);
    const caller = spawn(process.execPath, [join(ROOT, 'dist', 'test', 'cluster-caller.js'), redis.url, 'orphan'], { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] });
    spawned.push(caller);
    await new Promise<void>((resolve, reject) => {
      caller.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
        if (chunk.split('\n').some((l) => l.startsWith('{') && (JSON.parse(l) as TaskProgress).done >= 2)) resolve();
      });
      caller.on('exit', () => reject(new Error('the caller ended before it was killed')));
    });
    caller.kill('SIGKILL');
    const { x, y } = clusters();
    setSeed(61);
    const again = await gridSearch(moduleExport(MODELS, 'buildClassifier'), SPACE, x, y, {
      ...experiment(40), validation: { folds: 2 }, cluster: { url: redis.url, name: 'orphan' }, verbose: 0,
    });
    assert.deepEqual(again.trials, local.trials);
    // The tasks the dead caller saw finish (2 or more), and any that finished since, were not trained again.
    const started = pool.lines.filter((l) => / started orphan: /.test(l)).map((l) => l.replace(/^\S+ /, ''));
    assert.equal(started.length, 8, `each of the 8 tasks started once:\n${started.join('\n')}`);
    assert.equal(new Set(started).size, 8);
  });

  test('a worker killed with SIGKILL mid-trial: its task is retried on another worker after the lock expires; the table equals the local one; nothing counted twice', async () => {
    const { x, y } = clusters();
    const local = await localSearch(21, 20);
    const victim = startWorker(redis.url, 'victim');
    await victim.printed(/takes tasks from/);
    const progress: TaskProgress[] = [];
    setSeed(21);
    const running = gridSearch(moduleExport(MODELS, 'buildClassifier'), SPACE, x, y, {
      ...experiment(20), validation: { folds: 2 }, cluster: { url: redis.url, name: 'killed' }, verbose: 0, onProgress: (p) => progress.push(p),
    });
    const line = await victim.printed(/ started killed: /);
    victim.process.kill('SIGKILL');
    const task = /started killed: (.*)$/.exec(line)![1]!;
    const remote = await running;
    assert.deepEqual(remote.trials, local.trials);
    assert.equal(remote.table(), local.table());
    const records = await clusterRunTasks(redis.url, 'killed');
    const retried = records.find((r) => r.task === task)!;
    assert.equal(retried.state, 'done');
    assert.equal(retried.attempts, 2, 'started twice: on the victim, then on another worker');
    assert.match(retried.worker!, POOL);
    assert.ok(records.every((r) => r.state === 'done' && r.worker !== 'victim'), 'the victim finished nothing');
    assert.ok(progress.every((p) => p.done + p.failed <= p.total));
    const { best: _best, ...counts } = progress.at(-1)!;
    assert.deepEqual(counts, { total: 8, done: 8, running: 0, failed: 0, retried: 1 });
    assert.ok(workers.some((w) => w.lines.some((l) => l.endsWith(`started killed: ${task} (attempt 2)`))));
  });

  test('Ctrl-C on a worker finishes its task; a second Ctrl-C hands it back to the queue for another worker', async () => {
    const { x, y } = clusters();
    // Three long trials (a second or so each) for three idle workers, so that this one takes one, and the
    // second Ctrl-C comes while it runs.
    const space = { units: [4, 8, 16] };
    const options = { ...experiment(150), validation: { testSize: 0.25 } };
    setSeed(31);
    const local = await gridSearch(moduleExport(MODELS, 'buildClassifier'), space, x, y, options);
    const stopping = startWorker(redis.url, 'stopping');
    await stopping.printed(/takes tasks from/);
    setSeed(31);
    const running = gridSearch(moduleExport(MODELS, 'buildClassifier'), space, x, y, { ...options, cluster: { url: redis.url, name: 'handed' }, verbose: 0 });
    const task = /started handed: (.*)$/.exec(await stopping.printed(/ started handed: /).catch((e: Error) => (stopping.process.kill('SIGKILL'), Promise.reject(e))))![1]!;
    stopping.process.kill('SIGINT');
    await stopping.printed(/Finishing the running task, then stopping \(Ctrl-C again hands it back to the queue\)\./);
    stopping.process.kill('SIGINT');
    await stopping.printed(new RegExp(`handed back handed: ${task.replace(/[()]/g, '\\$&')}$`));
    assert.equal(await stopping.exit, 0);
    assert.match(stopping.lines.at(-1)!, /^Worker stopping stopped\.$/);
    const remote = await running;
    assert.deepEqual(remote.trials, local.trials);
    const record = (await clusterRunTasks(redis.url, 'handed')).find((r) => r.task === task)!;
    assert.match(record.worker!, POOL);
    assert.equal(record.attempts, 2);
  });

  test('a trial that throws is reported with its error and hyperparameters, the search goes on; maxFailures stops it', async () => {
    const { x, y } = clusters();
    const space = { units: [4, 3, 8] };
    const options = { ...experiment(2), validation: { folds: 2 } };
    setSeed(41);
    const local = await gridSearch(moduleExport(MODELS, 'buildOrThrow'), space, x, y, options);
    setSeed(41);
    const remote = await gridSearch(moduleExport(MODELS, 'buildOrThrow'), space, x, y, { ...options, cluster: redis.url, verbose: 0 });
    assert.deepEqual(remote.trials, local.trials);
    const failed = remote.trials.find((t) => t.params.units === 3)!;
    assert.equal(failed.rank, 3);
    assert.equal(failed.error, 'this factory cannot build 3 units');
    assert.match(remote.table(), /\n3\s+3\s+failed: this factory cannot build 3 units$/);
    setSeed(41);
    await assert.rejects(
      gridSearch(moduleExport(MODELS, 'buildOrThrow'), space, x, y, { ...options, cluster: redis.url, verbose: 0, maxFailures: 0 }),
      /^LayerwiseError: gridSearch: trial 2 of 3 \(units=3\), fold [12] failed: this factory cannot build 3 units$/,
    );
  });

  test('a module outside the allowed folders is refused, and the run stops with the reason', async () => {
    const { x, y } = clusters();
    const outside = moduleExport(new URL('../src/workflow/testing.js', import.meta.url), 'buildClassifier');
    await assert.rejects(
      gridSearch(outside, { units: [4, 8] }, x, y, { fit: { epochs: 1 }, cluster: redis.url, verbose: 0 }),
      /^LayerwiseError: gridSearch: trial [12] of 2 \(units=\d\): a worker refused it: worker pool-[12]: module dist\/src\/workflow\/testing\.js \(.*dist\/src\/workflow\/testing\.js\) is outside the folders this worker may import from \(.*dist\/test\/cluster-models\): start the worker with --allow for its folder$/,
    );
    assert.ok(workers.some((w) => w.lines.some((l) => / refused gridSearch-[0-9a-f]+: trial . of 2 \(units=\d\): module dist\/src\/workflow\/testing\.js/.test(l))));
  });

  test('Ctrl-C on `layerwise worker --concurrency 2` stops both of its worker processes', async () => {
    pool.process.kill('SIGINT');
    assert.equal(await pool.exit, 0);
    assert.ok(pool.lines.includes('Worker pool-1 stopped.') && pool.lines.includes('Worker pool-2 stopped.'));
  });
});

describe('cluster faults', { skip: skipWithoutRedis }, () => {
  test('Redis restarted mid-search: workers and caller reconnect and go on; Redis gone longer than the timeout: a clear error, never a hang', async () => {
    const redis = await RedisServer.start({ persist: true });
    try {
      const pair = ['R1', 'R2'].map((n) => startWorker(redis.url, n, { args: ['--timeout', '4000'] }));
      await Promise.all(pair.map((w) => w.printed(/takes tasks from/)));
      const { x, y } = clusters();
      const local = await localSearch(51, 20);
      setSeed(51);
      let restarted: Promise<void> | null = null;
      const remote = await gridSearch(moduleExport(MODELS, 'buildClassifier'), SPACE, x, y, {
        ...experiment(20), validation: { folds: 2 }, cluster: { url: redis.url, name: 'restarted', timeout: 20_000, checkInterval: 1000 }, verbose: 0,
        onProgress: (p) => {
          if (p.done === 2 && !restarted) restarted = redis.stop().then(() => new Promise((r) => setTimeout(r, 300))).then(() => redis.restart());
        },
      });
      await restarted;
      assert.ok(restarted, 'Redis was restarted during the search');
      assert.deepEqual(remote.trials, local.trials);

      // Now gone for good: the caller fails after its timeout, and so do the workers.
      setSeed(52);
      const started = Date.now();
      let stopped: Promise<void> | null = null;
      await assert.rejects(
        gridSearch(moduleExport(MODELS, 'buildClassifier'), SPACE, x, y, {
          ...experiment(20), validation: { folds: 2 }, cluster: { url: redis.url, timeout: 1500 }, verbose: 0,
          onProgress: (p) => void (p.done === 1 && !stopped && (stopped = redis.stop())),
        }),
        new RegExp(`^LayerwiseError: gridSearch: lost Redis at redis://127\\.0\\.0\\.1:${redis.port}/0 for more than 1\\.5 s`),
      );
      assert.ok(Date.now() - started < 15_000);
      assert.deepEqual(await Promise.all(pair.map((w) => w.exit)), [1, 1], 'the workers give up after their timeout too');
      for (const w of pair) {
        assert.match(w.lines.at(-1)!, new RegExp(`^layerwise: startClusterWorker: lost Redis at redis://127\\.0\\.0\\.1:${redis.port}/0 for more than 4 s`));
      }
    } finally {
      await redis.dispose();
    }
  });

  test('a worker whose layerwise version differs from the caller\'s is refused, with both versions named', async () => {
    const redis = await RedisServer.start();
    // Another installation: the same build under a package.json of another version.
    const other = mkdtempSync(join(tmpdir(), 'layerwise-other-'));
    try {
      cpSync(join(ROOT, 'dist', 'src'), join(other, 'dist', 'src'), { recursive: true });
      cpSync(join(ROOT, ALLOW), join(other, ALLOW), { recursive: true });
      const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string };
      writeFileSync(join(other, 'package.json'), JSON.stringify({ ...pkg, version: '0.0.1-old' }));
      symlinkSync(join(ROOT, 'node_modules'), join(other, 'node_modules'));
      mkdirSync(join(other, 'build'));
      symlinkSync(join(ROOT, 'build', 'Release'), join(other, 'build', 'Release'));
      const old = startWorker(redis.url, 'old', { cwd: other, main: join(other, 'dist', 'src', 'cli', 'main.js') });
      await old.printed(/takes tasks from/);
      const { x, y } = clusters();
      await assert.rejects(
        gridSearch(moduleExport(MODELS, 'buildClassifier'), { units: [4] }, x, y, { fit: { epochs: 1 }, cluster: redis.url, verbose: 0 }),
        new RegExp(`^LayerwiseError: gridSearch: trial 1 of 1 \\(units=4\\): a worker refused it: worker old: this worker runs layerwise 0\\.0\\.1-old and the caller ${VERSION.replace(/\./g, '\\.')}: install the same version on both$`),
      );
      old.process.kill('SIGKILL');
    } finally {
      rmSync(other, { recursive: true, force: true });
      await redis.dispose();
    }
  });

  test('bad URLs, wrong passwords and unreachable Redis: clear errors naming the URL (password masked), never a hang', async () => {
    const { x, y } = clusters();
    const search = (cluster: string | { url: string; timeout: number }) =>
      gridSearch(moduleExport(MODELS, 'buildClassifier'), { units: [4] }, x, y, { fit: { epochs: 1 }, cluster, verbose: 0 });
    await assert.rejects(search('http://127.0.0.1:6379/0'), /^ValueError: gridSearch: option 'cluster' expected a Redis URL .*\(protocol http: instead of redis: or rediss:\)$/);
    await assert.rejects(search('redis://127.0.0.1:6379/db'), /whose path '\/db' is not a database number/);
    await assert.rejects(gridSearch(moduleExport(MODELS, 'buildClassifier'), { units: [4] }, x, y, { cluster: 'redis://h/0', workers: 2 }), /options 'workers' and 'cluster' cannot be given together/);
    await assert.rejects(gridSearch(moduleExport(MODELS, 'buildClassifier'), { units: [4] }, x, y, { cluster: 'redis://h/0', fit: { callbacks: [{}] } }), /with cluster, fit cannot take callbacks \(they cannot be sent to other machines\)/);

    const nobody = await freePort();
    const started = Date.now();
    await assert.rejects(
      search({ url: `redis://127.0.0.1:${nobody}/0`, timeout: 1000 }),
      new RegExp(`^LayerwiseError: gridSearch: cannot reach Redis at redis://127\\.0\\.0\\.1:${nobody}/0 within 1 s \\(connect ECONNREFUSED 127\\.0\\.0\\.1:${nobody}\\): is redis-server running there, and the URL right\\?$`),
    );
    assert.ok(Date.now() - started < 5000, 'fails after its timeout');
    const worker = cli('worker', `redis://127.0.0.1:${nobody}/0`, '--allow', ALLOW, '--timeout', '1000');
    assert.equal(worker.status, 1);
    assert.match(worker.stderr, new RegExp(`^layerwise: startClusterWorker: cannot reach Redis at redis://127\\.0\\.0\\.1:${nobody}/0 within 1 s`));
    assert.match(cli('worker', 'redis://127.0.0.1/x', '--allow', ALLOW).stderr, /^layerwise: startClusterWorker: argument 'url' expected a Redis URL .* whose path '\/x' is not a database number\n/);

    const locked = await RedisServer.start({ password: 'sekrit' });
    try {
      const port = locked.port;
      for (const [url, reason] of [[`redis://:wrong@127.0.0.1:${port}/0`, 'WRONGPASS'], [`redis://127.0.0.1:${port}/0`, 'NOAUTH']] as const) {
        const error = await search({ url, timeout: 5000 }).then(() => null, (e: Error) => e);
        assert.match(String(error), new RegExp(`^LayerwiseError: gridSearch: Redis at redis://(:\\*\\*\\*@)?127\\.0\\.0\\.1:${port}/0 refused the credentials: ${reason}`));
        assert.ok(!String(error).includes('wrong'), 'the password is not shown');
      }
      await assert.rejects(listClusterRuns(`redis://:wrong@127.0.0.1:${port}/0`), /listClusterRuns: Redis at redis:\/\/:\*\*\*@127\.0\.0\.1:\d+\/0 refused the credentials/);
      assert.deepEqual(await listClusterRuns(locked.url), []);
      assert.deepEqual(await removeClusterRun(locked.url, 'x').catch((e: Error) => e.message), "removeClusterRun: Redis holds no run named 'x' (layerwise cluster ls lists them)");
    } finally {
      await locked.dispose();
    }
  });
});
