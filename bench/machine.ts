/** The machine the benchmark runs on, and how busy it is (Linux: /proc/cpuinfo and /proc/stat). */
import { readFileSync } from 'node:fs';
import os from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';
import type { MachineInfo } from './protocol.js';

const SIMD_LEVELS: [flag: string, name: string][] = [
  ['avx512f', 'AVX-512'],
  ['avx2', 'AVX2'],
  ['fma', 'FMA'],
  ['avx', 'AVX'],
  ['sse4_2', 'SSE4.2'],
  ['asimd', 'NEON'],
];

function cpuinfo(): string {
  try {
    return readFileSync('/proc/cpuinfo', 'utf8');
  } catch {
    return '';
  }
}

export function machineInfo(): MachineInfo {
  const info = cpuinfo();
  const flags = new Set((/^flags\s*:(.*)$/m.exec(info)?.[1] ?? /^Features\s*:(.*)$/m.exec(info)?.[1] ?? '').trim().split(/\s+/));
  const simd = SIMD_LEVELS.filter(([flag]) => flags.has(flag)).map(([, name]) => name);
  return {
    cpuModel: /^model name\s*:\s*(.*)$/m.exec(info)?.[1] ?? os.cpus()[0]?.model ?? 'unknown',
    cores: os.availableParallelism(),
    simd: simd.length > 0 ? simd.join(', ') : 'none detected',
    memoryGiB: Math.round(os.totalmem() / 2 ** 30),
    node: process.versions.node,
    os: `${os.type()} ${os.release()} ${os.arch()}`,
  };
}

/** Seconds of CPU time all cores have spent busy since boot (null where /proc/stat is unavailable). */
export function machineBusySeconds(): number | null {
  let stat: string;
  try {
    stat = readFileSync('/proc/stat', 'utf8');
  } catch {
    return null;
  }
  const fields = stat.split('\n')[0]?.trim().split(/\s+/).slice(1).map(Number) ?? [];
  // user nice system idle iowait irq softirq steal: everything but idle and iowait is busy.
  const busy = fields.slice(0, 8).reduce((sum, value, i) => (i === 3 || i === 4 ? sum : sum + value), 0);
  const userHz = 100; // Linux reports /proc/stat in USER_HZ, 100 on every common configuration
  return busy / userHz;
}

/** Cores kept busy, averaged over `seconds`. */
export async function busyCores(seconds: number): Promise<number | null> {
  const before = machineBusySeconds();
  const start = performance.now();
  await sleep(seconds * 1000);
  const after = machineBusySeconds();
  if (before === null || after === null) return null;
  return (after - before) / ((performance.now() - start) / 1000);
}

/**
 * Waits until the machine is idle (less than `threshold` cores busy over a second), at most `patience`
 * seconds; returns the last reading.
 */
export async function waitForIdle(threshold: number, patience: number): Promise<number | null> {
  const start = performance.now();
  for (;;) {
    const busy = await busyCores(1);
    if (busy === null || busy < threshold || (performance.now() - start) / 1000 >= patience) return busy;
  }
}
