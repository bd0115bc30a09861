/**
 * The `cluster` option of crossValidate and the searches, and the Redis URL every part of the cluster
 * takes, checked before anything connects. Nothing here loads the queue's libraries.
 */
import { ValueError, describe } from '../util/errors.js';

export interface ClusterOptions {
  /** 'redis://host:6379/0', 'redis://:password@host:6379/0', or 'rediss://…' for TLS. */
  url: string;
  /**
   * The run's name in Redis (letters, digits, '.', '_', '-'). Running again under the same name picks up the
   * tasks that finished; `layerwise cluster ls` lists runs, `layerwise cluster rm NAME` removes one. Default: the
   * caller's name and a hash of the data, settings and seeds ('gridSearch-3f2a9c1be0'), so the same run under
   * the same seed finds its results again.
   */
  name?: string;
  /** Milliseconds Redis may stay unreachable, at the start or during the run, before the run fails (default 30000). */
  timeout?: number;
  /** Milliseconds between checks that every unfinished task is still queued (default 5000). */
  checkInterval?: number;
}

export interface RedisTarget {
  url: string;
  /** The URL with any password masked, for messages and listings. */
  safe: string;
}

export interface CheckedClusterOptions {
  target: RedisTarget;
  name: string | null;
  timeout: number;
  checkInterval: number;
}

const KNOWN = ['url', 'name', 'timeout', 'checkInterval'];
const RUN_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/;

/** Checks a Redis URL: redis: or rediss:, a host, and a database number as its path (or none). */
export function parseRedisUrl(where: string, arg: string, url: unknown): RedisTarget {
  const expected = "a Redis URL such as 'redis://host:6379/0' or 'rediss://:password@host:6380/0'";
  if (typeof url !== 'string') throw new ValueError(`${where}: ${arg} expected ${expected}, received ${describe(url)}`);
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new ValueError(`${where}: ${arg} expected ${expected}, received ${describe(url)}`);
  }
  if (parsed.protocol !== 'redis:' && parsed.protocol !== 'rediss:') {
    throw new ValueError(`${where}: ${arg} expected ${expected}, received ${describe(maskUrl(url))} (protocol ${parsed.protocol} instead of redis: or rediss:)`);
  }
  if (parsed.hostname === '') throw new ValueError(`${where}: ${arg} expected ${expected}, received ${describe(maskUrl(url))}, which names no host`);
  if (!/^\/?(\d+)?$/.test(parsed.pathname)) {
    throw new ValueError(`${where}: ${arg} expected ${expected}, received ${describe(maskUrl(url))}, whose path '${parsed.pathname}' is not a database number`);
  }
  return { url, safe: maskUrl(url) };
}

export function maskUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password !== '') u.password = '***';
    return u.toString();
  } catch {
    return url.replace(/\/\/[^@/]*@/, '//***@');
  }
}

export function checkTimeout(where: string, arg: string, value: unknown, fallback: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) {
    throw new ValueError(`${where}: ${arg} expected a positive number of milliseconds, received ${describe(value)}`);
  }
  return value;
}

export function checkRunName(where: string, arg: string, name: unknown): string {
  if (typeof name !== 'string' || !RUN_NAME.test(name)) {
    throw new ValueError(`${where}: ${arg} expected a run name of letters, digits, '.', '_' and '-' (at most 100, starting with a letter or digit), received ${describe(name)}`);
  }
  return name;
}

export function checkClusterOption(where: string, option: string | ClusterOptions): CheckedClusterOptions {
  const o: ClusterOptions = typeof option === 'string' ? { url: option } : option;
  if (typeof o !== 'object' || o === null) throw new ValueError(`${where}: option 'cluster' expected a Redis URL or { url, name, timeout }, received ${describe(option)}`);
  for (const key of Object.keys(o)) {
    if (!KNOWN.includes(key)) throw new ValueError(`${where}: option 'cluster' has an unknown key '${key}' (known: ${KNOWN.join(', ')})`);
  }
  return {
    target: parseRedisUrl(where, typeof option === 'string' ? "option 'cluster'" : "option 'cluster.url'", o.url),
    name: o.name === undefined ? null : checkRunName(where, "option 'cluster.name'", o.name),
    timeout: checkTimeout(where, "option 'cluster.timeout'", o.timeout, 30_000),
    checkInterval: checkTimeout(where, "option 'cluster.checkInterval'", o.checkInterval, 5_000),
  };
}
