/** Node only: the entry of a worker thread of a dataset's parallel map (parallel-map.ts). */
import { parentPort, workerData } from 'node:worker_threads';
import '../ops/tensor-methods.js';
import type { BackendName } from '../backend/index.js';
import { setBackend } from '../backend/index.js';
import { describe } from '../util/errors.js';
import { resolveExport } from '../util/module-export.js';
import { setSeed } from '../util/random.js';
import type { MapWorkerReply, MapWorkerRequest, MapWorkerSetup } from './parallel-map.js';
import { transferables } from './parallel-map.js';
import type { PlainSample } from './sample.js';
import { fromPlain, toPlain } from './sample.js';

const port = parentPort!;
const setup = workerData as MapWorkerSetup;
const failure = (e: unknown) => (e instanceof Error ? { name: e.name, message: e.message } : { name: 'Error', message: String(e) });

try {
  setBackend(setup.backend as BackendName);
  const fn = await resolveExport(setup.fn, `${setup.where} (worker thread)`);
  if (typeof fn !== 'function') {
    throw new TypeError(`export '${setup.fn.name}' of ${setup.fn.module} expected a function, received ${describe(fn)}`);
  }
  // One sample at a time, in the order they come: each is seeded before it runs.
  let queue: Promise<void> = Promise.resolve();
  port.on('message', (request: MapWorkerRequest) => {
    queue = queue.then(async () => {
      let reply: MapWorkerReply;
      try {
        setSeed(request.seed);
        const result: PlainSample = toPlain(setup.where, await (fn as (s: unknown) => unknown)(fromPlain(request.sample)));
        reply = { id: request.id, ok: true, result };
        port.postMessage(reply, transferables(result));
      } catch (e) {
        reply = { id: request.id, ok: false, error: failure(e) };
        port.postMessage(reply);
      }
    });
  });
} catch (e) {
  const reply: MapWorkerReply = { id: null, ok: false, error: failure(e) };
  port.postMessage(reply);
}
