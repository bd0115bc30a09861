/**
 * A private redis-server for the cluster tests: a free loopback port, a temporary folder, optionally a
 * password and an append-only file (so a restart keeps what it held). Tests skip where Debian's
 * redis-server is not installed.
 */
import type { ChildProcess } from 'node:child_process';
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const REDIS_SERVER = ['/usr/bin/redis-server', '/usr/local/bin/redis-server'].find((p) => spawnSync(p, ['--version']).status === 0) ?? null;

/** Why the cluster tests cannot run here, or false when they can. */
export const skipWithoutRedis: string | false =
  REDIS_SERVER === null ? 'redis-server is not installed (apt-get install redis-server, as .ci/run does): the cluster tests need one' : false;

export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

export interface RedisServerOptions {
  password?: string;
  /** Keep an append-only file, written on every command, so a restart loses nothing. */
  persist?: boolean;
}

export class RedisServer {
  readonly port: number;
  readonly dir: string;
  readonly #options: RedisServerOptions;
  #process: ChildProcess | null = null;

  private constructor(port: number, options: RedisServerOptions) {
    this.port = port;
    this.dir = mkdtempSync(join(tmpdir(), 'layerwise-redis-'));
    this.#options = options;
  }

  static async start(options: RedisServerOptions = {}): Promise<RedisServer> {
    const server = new RedisServer(await freePort(), options);
    await server.restart();
    return server;
  }

  get url(): string {
    return `redis://${this.#options.password ? `:${this.#options.password}@` : ''}127.0.0.1:${this.port}/0`;
  }

  /** Starts the server (again, on the same port and folder). */
  async restart(): Promise<void> {
    if (this.#process) throw new Error('redis-server is already running');
    const args = ['--port', String(this.port), '--bind', '127.0.0.1', '--dir', this.dir, '--save', '', '--daemonize', 'no'];
    if (this.#options.password) args.push('--requirepass', this.#options.password);
    if (this.#options.persist) args.push('--appendonly', 'yes', '--appendfsync', 'always');
    const p = spawn(REDIS_SERVER!, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    this.#process = p;
    let output = '';
    await new Promise<void>((resolve, reject) => {
      const onData = (chunk: Buffer) => {
        output += chunk.toString();
        if (!/Ready to accept connections/.test(output)) return;
        p.stdout!.off('data', onData);
        p.stderr!.off('data', onData);
        resolve();
      };
      p.stdout!.on('data', onData);
      p.stderr!.on('data', onData);
      p.on('exit', (code) => reject(new Error(`redis-server exited with code ${code}: ${output}`)));
    });
    p.stdout!.resume();
    p.stderr!.resume();
  }

  /** Stops the server (SIGTERM: it writes its append-only file and exits). */
  async stop(): Promise<void> {
    const p = this.#process;
    if (!p) return;
    this.#process = null;
    if (p.exitCode !== null) return;
    await new Promise((resolve) => {
      p.once('exit', resolve);
      p.kill('SIGTERM');
    });
  }

  async dispose(): Promise<void> {
    await this.stop();
    rmSync(this.dir, { recursive: true, force: true });
  }
}
