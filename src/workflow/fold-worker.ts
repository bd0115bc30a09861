/** Node only: the entry of a worker thread of the pool (worker-pool.ts). */
import { parentPort, workerData } from 'node:worker_threads';
import '../ops/tensor-methods.js';
import type { BackendName } from '../backend/index.js';
import { setBackend } from '../backend/index.js';
import { tensor } from '../tensor/creation.js';
import { dtypeOf } from '../util/dtype.js';
import type { FoldTask } from './fold-task.js';
import { resolveExperiment, runFold } from './fold-task.js';
import type { WorkerReply, WorkerSetup } from './worker-pool.js';

const port = parentPort!;
const setup = workerData as WorkerSetup;
const reply = (message: WorkerReply) => port.postMessage(message);
const failure = (e: unknown) => (e instanceof Error ? { name: e.name, message: e.message } : { name: 'Error', message: String(e) });

try {
  setBackend(setup.backend as BackendName);
  const where = `${setup.where} (worker thread)`;
  const experiment = await resolveExperiment(where, setup.experiment);
  // The dtype of the copy sent: tensor() alone would read a bool tensor's bytes as int32 and float64 as float32.
  const toTensor = (part: WorkerSetup['x']) => tensor(part.data, { shape: part.shape, dtype: dtypeOf(part.data) });
  const x = toTensor(setup.x), y = toTensor(setup.y);
  port.on('message', async ({ index, task }: { index: number; task: FoldTask<unknown> }) => {
    try {
      reply({ kind: 'done', index, outcome: await runFold(where, experiment, x, y, task) });
    } catch (e) {
      reply({ kind: 'failed', index, error: failure(e) });
    }
  });
  reply({ kind: 'ready' });
} catch (e) {
  reply({ kind: 'failed', index: null, error: failure(e) });
}
