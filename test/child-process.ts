/** A Node script run as a child process by a test, its standard output collected line by line. */
import type { ChildProcess } from 'node:child_process';
import { spawn } from 'node:child_process';

export interface Child {
  process: ChildProcess;
  /** What it printed so far, line by line. */
  lines: string[];
  exited: boolean;
  exit: Promise<number | null>;
}

export function startChild(script: string, args: string[]): Child {
  const p = spawn(process.execPath, [script, ...args], { stdio: ['ignore', 'pipe', 'inherit'] });
  const c: Child = { process: p, lines: [], exited: false, exit: new Promise((resolve) => p.on('exit', (code) => resolve(code))) };
  p.on('exit', () => (c.exited = true));
  p.stdout!.setEncoding('utf8').on('data', (chunk: string) => c.lines.push(...chunk.split('\n').filter(Boolean)));
  return c;
}

/** Waits until the child printed `line`; fails if it exits first or takes a minute. */
export async function untilPrinted(c: Child, line: string): Promise<void> {
  const deadline = Date.now() + 60_000;
  while (!c.lines.includes(line)) {
    if (c.exited || Date.now() > deadline) throw new Error(`the child ${c.exited ? 'exited' : 'took over a minute'} before printing '${line}'`);
    await new Promise((r) => setTimeout(r, 5));
  }
}
