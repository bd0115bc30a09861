/** The installed layerwise version, read from the package's own package.json (dist/src/workflow/ is three folders below it). */
import { readFileSync } from 'node:fs';

let cached: string | null = null;

export function layerwiseVersion(): string {
  if (cached === null) {
    const json = JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as { name?: string; version?: string };
    if (json.name !== 'layerwise' || typeof json.version !== 'string') throw new Error(`layerwise: cannot find its own package.json beside ${import.meta.url}`);
    cached = json.version;
  }
  return cached;
}
