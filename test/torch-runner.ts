/**
 * Runs a short PyTorch script under /usr/bin/python3 (Debian's python3-torch) on JSON inputs and returns
 * its JSON outputs, for tests that check numbers against PyTorch. The script reads `inp` (one input,
 * decoded) and sets `out`; it runs once per input in one process (importing torch takes seconds).
 * Tensors cross as nested lists. `torchUnavailable()` says why a test must skip.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

const PYTHON = '/usr/bin/python3';
let probed: string | null | undefined;

/** Null when PyTorch runs, else the reason a test skips. */
export function torchUnavailable(): string | null {
  if (probed !== undefined) return probed;
  if (!existsSync(PYTHON)) return (probed = `${PYTHON} is missing`);
  const probe = spawnSync(PYTHON, ['-c', 'import torch'], { encoding: 'utf8' });
  probed = probe.status === 0 ? null : `torch does not import in ${PYTHON} (apt install python3-torch)`;
  return probed;
}

/** Runs `script` with `inp` bound to each decoded input in turn; returns the values of `out`. */
export function runTorch<T>(script: string, inputs: readonly unknown[]): T[] {
  const program = [
    'import json, sys',
    'import torch',
    'torch.set_num_threads(1)',
    'torch.set_default_dtype(torch.float64)',
    'def t(v): return torch.tensor(v, dtype=torch.float64)',
    'def l(v): return v.detach().tolist()',
    `code = compile(${JSON.stringify(script)}, 'script', 'exec')`,
    '_results = []',
    'for inp in json.loads(sys.stdin.read()):',
    '    exec(code)',
    '    _results.append(out)',
    'sys.stdout.write(json.dumps(_results))',
  ].join('\n');
  const run = spawnSync(PYTHON, ['-c', program], { input: JSON.stringify(inputs), encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
  if (run.status !== 0) throw new Error(`PyTorch script failed:\n${run.stderr}`);
  return JSON.parse(run.stdout) as T[];
}
