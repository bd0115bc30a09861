/**
 * Connections to Redis that never hang: the first connection must be ready within the timeout, and a
 * connection lost for longer than the timeout ends the run, both with an error that names the URL (its
 * password masked). Shorter outages (a Redis restart) are waited out: ioredis reconnects and queues
 * commands meanwhile, and whoever watches hears of the reconnection to check what it may have missed.
 */
import type { Redis } from 'ioredis';
import { ioredis } from './cluster-modules.js';
import { LayerwiseError } from '../util/errors.js';
import type { RedisTarget } from './cluster-options.js';

export interface Connection {
  readonly redis: Redis;
  /** Rejects when Redis has been unreachable for longer than the timeout or refused the password; never resolves. */
  readonly lost: Promise<never>;
  /** Another connection to the same server (for blocking reads), watched like the first. */
  duplicate(): Redis;
  /** Called each time the connection is ready again after a loss. */
  onReconnect(listener: () => void): void;
  close(): void;
}

const AUTH_ERROR = /WRONGPASS|NOAUTH|invalid password|invalid username-password/i;

export async function connect(where: string, target: RedisTarget, timeout: number): Promise<Connection> {
  const options = {
    lazyConnect: true,
    // BullMQ's blocking commands need both: commands wait for a reconnection instead of failing.
    maxRetriesPerRequest: null,
    enableOfflineQueue: true,
    connectTimeout: Math.min(timeout, 10_000),
    retryStrategy: (attempt: number) => Math.min(100 * attempt, 1000),
  };
  const { Redis } = await ioredis();
  const redis = new Redis(target.url, options);
  const clients: Redis[] = [redis];
  const reconnectListeners: (() => void)[] = [];
  let lastError = '';
  let outage: NodeJS.Timeout | null = null;
  let everReady = false;
  let closed = false;
  let fail!: (e: Error) => void;
  const lost = new Promise<never>((_, reject) => (fail = reject));
  // Whoever does not await `lost` must not see an unhandled rejection.
  lost.catch(() => undefined);
  const startOutage = () => {
    if (closed) return;
    outage ??= setTimeout(() => {
      const seconds = `${Math.round(timeout / 100) / 10} s`;
      fail(new LayerwiseError(
        everReady
          ? `${where}: lost Redis at ${target.safe} for more than ${seconds}${lastError ? ` (${lastError})` : ''}`
          : `${where}: cannot reach Redis at ${target.safe} within ${seconds}${lastError ? ` (${lastError})` : ''}: is redis-server running there, and the URL right?`,
      ));
    }, timeout);
  };
  const watch = (client: Redis) => {
    client.on('error', (e: Error) => {
      lastError = e.message;
      if (AUTH_ERROR.test(e.message)) fail(new LayerwiseError(`${where}: Redis at ${target.safe} refused the credentials: ${e.message}`));
    });
    client.on('close', startOutage);
    client.on('ready', () => {
      if (outage) clearTimeout(outage);
      outage = null;
      if (everReady && client === redis) for (const listener of reconnectListeners) listener();
      everReady ||= client === redis;
    });
  };
  watch(redis);
  startOutage();
  const ready = redis.connect().catch(() => undefined);
  try {
    await Promise.race([ready.then(() => undefined), lost]);
    // connect() settles on the first attempt either way; wait for a success or the timeout.
    if (redis.status !== 'ready') await Promise.race([new Promise((resolve) => redis.once('ready', resolve)), lost]);
  } catch (e) {
    closed = true;
    if (outage) clearTimeout(outage);
    for (const c of clients) c.disconnect();
    throw e;
  }
  return {
    redis,
    lost,
    duplicate() {
      const copy = redis.duplicate();
      clients.push(copy);
      copy.on('error', (e: Error) => void (lastError = e.message));
      return copy;
    },
    onReconnect(listener) {
      reconnectListeners.push(listener);
    },
    close() {
      closed = true;
      if (outage) clearTimeout(outage);
      outage = null;
      for (const c of clients) c.disconnect();
    },
  };
}
