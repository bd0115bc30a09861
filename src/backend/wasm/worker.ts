/**
 * A worker thread of the WebAssembly backend (Node worker_threads or a browser module Worker): it
 * instantiates the kernels over the shared memory and serves jobs from its control slot.
 */
import { Board, WorkerSlot } from './control.js';
import { instantiate } from './instance.js';
import type { WorkerInit } from './platform.js';

function start(init: WorkerInit): void {
  const { kernels } = instantiate(init.module, init.memory, init.kernelNames);
  new WorkerSlot(init.control, init.slot).serve(new Board(init.control), kernels);
}

const nodeThreads = typeof process === 'object' && typeof process.getBuiltinModule === 'function'
  ? process.getBuiltinModule('node:worker_threads')
  : undefined;

if (nodeThreads && !nodeThreads.isMainThread) {
  start(nodeThreads.workerData as WorkerInit);
} else {
  const scope = globalThis as { addEventListener?: (type: 'message', listener: (e: { data: WorkerInit }) => void, options: { once: true }) => void };
  scope.addEventListener?.('message', (e) => start(e.data), { once: true });
}
