/**
 * Every entry of the benchmark: one child process each, run one after another. A runner says what to
 * start; `bench/run.ts` times it, reads the peer's JSON report and writes the results.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, realpathSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { Plan, RunnerGroup } from './protocol.js';

export interface Runner {
  name: string;
  group: RunnerGroup;
  command: string;
  args: string[];
  /** Set for this runner only; `null` removes a variable the benchmark itself inherited. */
  env: Record<string, string | null>;
  timeoutSeconds: number;
}

/** An entry that cannot run on this machine, reported with the reason rather than dropped. */
export interface SkippedRunner {
  name: string;
  group: RunnerGroup;
  skipped: string;
}

export interface RunnerContext {
  plan: Plan;
  /** Repository root: peers are started from here. */
  root: string;
  mnistDir: string;
}

const SWIFTSHADER_ICD = '/usr/lib/chromium/vk_swiftshader_icd.json';

function timeoutFor(plan: Plan): number {
  return plan.epoch ? plan.epochBudgetSeconds + 600 : 300;
}

/** A Node.js peer compiled from `bench/peers/<script>.ts` (see harness.ts). */
function nodePeer(context: RunnerContext, group: RunnerGroup, name: string, script: string, args: string[] = []): Runner {
  return {
    name,
    group,
    command: process.execPath,
    args: [join(context.root, 'dist', 'bench', 'peers', `${script}.js`), '--plan', JSON.stringify(context.plan), ...args],
    env: {},
    timeoutSeconds: timeoutFor(context.plan),
  };
}

/** layerwise on each backend; the native one on every core and on one, to show how it scales. */
function layerwiseRunners(context: RunnerContext): (Runner | SkippedRunner)[] {
  const run = (name: string, backend: string, env: Runner['env'] = {}): Runner => ({
    ...nodePeer(context, 'layerwise', name, 'layerwise', ['--backend', backend]),
    env,
  });
  const reference = run('layerwise reference', 'reference');
  // Without a GPU, WebGPU runs on SwiftShader (Debian's chromium ships it): a software adapter, so the row
  // shows what the backend costs, not what a GPU gives.
  const webgpu = run('layerwise webgpu (SwiftShader, a software adapter)', 'webgpu', { VK_ICD_FILENAMES: SWIFTSHADER_ICD });
  return [
    run('layerwise native', 'native'),
    run('layerwise native 1 thread', 'native', { LAYERWISE_THREADS: '1' }),
    run('layerwise wasm', 'wasm'),
    !existsSync(SWIFTSHADER_ICD)
      ? { name: webgpu.name, group: webgpu.group, skipped: `${SWIFTSHADER_ICD} is missing (apt-get install chromium libvulkan1)` }
      : context.plan.quick
        ? { name: webgpu.name, group: webgpu.group, skipped: 'not run with --quick: a training batch takes seconds on a software adapter' }
        : webgpu,
    context.plan.quick
      ? { name: reference.name, group: reference.group, skipped: 'not run with --quick: the plain TypeScript oracle takes about a second per batch' }
      : reference,
  ];
}

function tfjsRunners(context: RunnerContext): (Runner | SkippedRunner)[] {
  // These two train through the cpu backend's Conv2DBackpropFilter, a plain JavaScript loop.
  const jsFilterGradient = [
    nodePeer(context, 'peer', 'TensorFlow.js cpu', 'tfjs', ['--backend', 'cpu']),
    nodePeer(context, 'peer', 'TensorFlow.js wasm (Conv2DBackpropFilter from cpu)', 'tfjs', ['--backend', 'wasm', '--patch', 'cpu-kernels']),
  ];
  return [
    ...jsFilterGradient.map((runner) =>
      context.plan.quick
        ? { name: runner.name, group: runner.group, skipped: 'not run with --quick: one training batch takes tens of seconds (Conv2DBackpropFilter in plain JavaScript)' }
        : runner,
    ),
    nodePeer(context, 'peer', 'TensorFlow.js wasm (Conv2DBackpropFilter as wasm conv2d)', 'tfjs', ['--backend', 'wasm', '--patch', 'wasm-ops']),
  ];
}

/** The command's standard output, or null when it cannot run or fails. */
function stdoutOf(command: string, args: string[]): string | null {
  const result = spawnSync(command, args, { encoding: 'utf8', timeout: 60_000 });
  return result.status === 0 ? result.stdout : null;
}

/** The first Python that can import torch: `python3` on PATH, then Debian's `/usr/bin/python3`. */
export function pythonWithTorch(): string | null {
  return ['python3', '/usr/bin/python3'].find((python) => stdoutOf(python, ['-c', 'import torch']) !== null) ?? null;
}

/** Where the dynamic loader finds `libblas.so.3` by default (Debian's alternatives pick OpenBLAS or the reference). */
function defaultBlas(): string | null {
  const line = (stdoutOf('/sbin/ldconfig', ['-p']) ?? '')
    .split('\n')
    .find((l) => /^\s*libblas\.so\.3 .*=> /.test(l));
  const path = line?.split('=> ')[1]?.trim();
  if (path === undefined) return null;
  try {
    return realpathSync(path);
  } catch {
    return null;
  }
}

/** The directory of Debian's reference `libblas.so.3` (package libblas3). */
function referenceBlasDir(): string | null {
  const file = (stdoutOf('dpkg', ['-L', 'libblas3']) ?? '')
    .split('\n')
    .find((l) => l.endsWith('/libblas.so.3'));
  return file === undefined ? null : dirname(file);
}

const OPENBLAS_TUNING = ['OPENBLAS_CORETYPE', 'OPENBLAS_L2_SIZE'] as const;

/**
 * With glibc's default malloc, a PyTorch process either reuses the memory of freed activations or returns
 * it to the kernel and page-faults it back on every batch, depending on the heap's layout; the second
 * kind trains several times slower. These settings keep freed memory in the heap, PyTorch's best case.
 */
export const PYTORCH_MALLOC = { MALLOC_MMAP_THRESHOLD_: `${32 * 2 ** 20}`, MALLOC_TRIM_THRESHOLD_: `${2 ** 30}` };

function pytorchRunners(context: RunnerContext): (Runner | SkippedRunner)[] {
  const python = pythonWithTorch();
  if (python === null) {
    return [{ name: 'PyTorch', group: 'peer', skipped: "neither python3 nor /usr/bin/python3 can 'import torch' (Debian: apt-get install python3-torch)" }];
  }
  const blas = defaultBlas();
  const referenceDir = referenceBlasDir();
  const tuning = OPENBLAS_TUNING.filter((name) => process.env[name] !== undefined).map((name) => `${name}=${process.env[name]}`);
  const entries: (Runner | SkippedRunner)[] = [];
  for (const threads of [1, 2]) {
    const threadEnv = { OMP_NUM_THREADS: `${threads}`, MKL_NUM_THREADS: `${threads}`, OPENBLAS_NUM_THREADS: `${threads}` };
    const run = (blasName: 'openblas' | 'reference', label: string, env: Runner['env']): Runner => {
      const setting = `${threads} thread${threads > 1 ? 's' : ''}, ${label}`;
      return {
        name: `PyTorch ${setting}`,
        group: 'peer',
        command: python,
        args: [
          join(context.root, 'bench', 'peers', 'pytorch.py'),
          ...['--plan', JSON.stringify(context.plan), '--mnist-dir', context.mnistDir],
          ...['--threads', `${threads}`, '--blas', blasName, '--setting', setting],
        ],
        env: { ...PYTORCH_MALLOC, ...threadEnv, ...env },
        timeoutSeconds: timeoutFor(context.plan),
      };
    };
    if (blas?.includes('openblas')) {
      entries.push(run('openblas', tuning.length > 0 ? `OpenBLAS with ${tuning.join(' ')}` : 'OpenBLAS', {}));
      if (tuning.length > 0) {
        entries.push(run('openblas', `OpenBLAS, ${OPENBLAS_TUNING.join(' and ')} unset`, Object.fromEntries(OPENBLAS_TUNING.map((name) => [name, null]))));
      }
    } else {
      entries.push({
        name: `PyTorch ${threads} thread${threads > 1 ? 's' : ''}, OpenBLAS`,
        group: 'peer',
        skipped: `libblas.so.3 resolves to ${blas ?? 'nothing'}, not OpenBLAS (Debian: apt-get install libopenblas0-pthread)`,
      });
    }
    if (referenceDir !== null) {
      const ldPath = [referenceDir, process.env['LD_LIBRARY_PATH']].filter(Boolean).join(':');
      entries.push(run('reference', 'reference BLAS', { LD_LIBRARY_PATH: ldPath }));
    } else {
      entries.push({
        name: `PyTorch ${threads} thread${threads > 1 ? 's' : ''}, reference BLAS`,
        group: 'peer',
        skipped: "dpkg -L libblas3 lists no libblas.so.3 (Debian: apt-get install libblas3)",
      });
    }
  }
  return entries;
}

/** What a runner printed and how it ended; `error` says why it failed (null: it exited with status 0). */
export interface FinishedRun {
  stdout: string;
  startedAt: string;
  wallSeconds: number;
  error: string | null;
}

/** Runs an entry that times itself to the end, with the runner's environment. */
export function runToEnd(runner: Runner): FinishedRun {
  const env = { ...process.env };
  for (const [name, value] of Object.entries(runner.env)) {
    if (value === null) delete env[name];
    else env[name] = value;
  }
  const startedAt = new Date().toISOString();
  const start = performance.now();
  const result = spawnSync(runner.command, runner.args, { env, encoding: 'utf8', timeout: runner.timeoutSeconds * 1000, maxBuffer: 64 << 20 });
  const wallSeconds = (performance.now() - start) / 1000;
  if (result.status === 0) return { stdout: result.stdout, startedAt, wallSeconds, error: null };
  const tail = `${result.stdout ?? ''}\n${result.stderr ?? ''}`.trim().split('\n').slice(-5).join('\n');
  return { stdout: result.stdout ?? '', startedAt, wallSeconds, error: result.error ? result.error.message : `exited with ${result.status ?? result.signal}: ${tail}` };
}

/** All entries, in the order they run. */
export function allRunners(context: RunnerContext): (Runner | SkippedRunner)[] {
  return [
    ...layerwiseRunners(context),
    ...tfjsRunners(context),
    ...pytorchRunners(context),
  ];
}
