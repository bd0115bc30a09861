/**
 * A checkpoint folder that survives a kill at any moment. Each save writes its weights under a new name
 * (`weights-7.bin`), then replaces model.json — the one atomic switch from the old checkpoint to the new —
 * and only then removes the old weights. Before the switch model.json still names the old, complete
 * weights; after it, the new ones. The folder loads like any saved model.
 *
 * One process writes a folder at a time: the first write takes the folder's lock file (holding the
 * process id), and a second process that finds it held by a live process is refused with a clear error
 * (two writers would remove each other's temporary files and interleave two runs' checkpoints). The lock
 * goes when training ends or the process exits; a lock left by a killed process is taken over.
 */
import { TEMPORARY_SUFFIX, makeFolder, syncFolder, writeFileAtomic } from '../../util/atomic-file.js';
import { ValueError } from '../../util/errors.js';
import type { NodeHost } from '../../util/node-host.js';
import type { ModelArtifacts } from './format.js';
import { MODEL_JSON, modelJson } from './files.js';
import { nodeHost } from '../../util/node-host.js';
import { concatBuffers } from './weights.js';

const WEIGHTS = /^weights-(\d+)\.bin$/;

/** The lock file of a checkpoint folder: the id of the process writing it. */
export const LOCK_FILE = 'checkpoint.lock';

/** Folders this process holds the lock of (resolved paths). */
const locked = new Set<string>();
let releaseAtExit = false;

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists but belongs to someone else.
    return (error as { code?: string }).code === 'EPERM';
  }
}

/** Takes the folder's lock for this process, or throws naming the live process that holds it. */
function lock(host: NodeHost, folder: string, where: string): void {
  const { fs, path } = host;
  const resolved = path.resolve(folder);
  if (locked.has(resolved)) return;
  const file = path.join(resolved, LOCK_FILE);
  for (let attempt = 0; ; attempt++) {
    try {
      fs.writeFileSync(file, String(host.pid), { flag: 'wx' });
      break;
    } catch (error) {
      if ((error as { code?: string }).code !== 'EEXIST' || attempt > 0) throw new ValueError(`${where}: cannot lock ${resolved} (${(error as Error).message})`);
    }
    let holder = NaN;
    try {
      holder = Number.parseInt(fs.readFileSync(file, 'utf8'), 10);
    } catch {
      // Removed meanwhile: try again.
    }
    if (holder !== host.pid && Number.isInteger(holder) && holder > 0 && alive(holder)) {
      throw new ValueError(
        `${where}: ${resolved} is being written by another process (pid ${holder}, see ${file}); two runs cannot checkpoint to one folder: give each its own folder (or remove the lock file if that process is not a training run)`,
      );
    }
    // Ours from an earlier run of a reused pid, or left by a process that was killed: take it over.
    fs.rmSync(file, { force: true });
  }
  locked.add(resolved);
  if (!releaseAtExit) {
    releaseAtExit = true;
    process.once('exit', () => {
      for (const f of locked) host.fs.rmSync(host.path.join(f, LOCK_FILE), { force: true });
    });
  }
}

/** Gives up this process's lock of a checkpoint folder (at the end of training); other processes may then write it. */
export function unlockCheckpoint(folder: string): void {
  if (locked.size === 0) return;
  const { fs, path } = nodeHost('ModelCheckpoint');
  const resolved = path.resolve(folder);
  if (!locked.delete(resolved)) return;
  fs.rmSync(path.join(resolved, LOCK_FILE), { force: true });
}

/** Writes artifacts as the folder's new checkpoint; returns the weights file's name. */
export function writeCheckpoint(folder: string, artifacts: ModelArtifacts, where = 'ModelCheckpoint'): string {
  const host = nodeHost(where);
  const { fs, path } = host;
  makeFolder(host, folder, where);
  lock(host, folder, where);
  const numbers = fs.readdirSync(folder).map((f) => WEIGHTS.exec(f)?.[1]).filter((n) => n !== undefined).map(Number);
  const name = `weights-${Math.max(0, ...numbers) + 1}.bin`;
  const data = artifacts.weightData;
  writeFileAtomic(host, path.join(folder, name), concatBuffers(data === undefined ? [] : Array.isArray(data) ? data : [data]));
  writeFileAtomic(host, path.join(folder, MODEL_JSON), JSON.stringify(modelJson(artifacts, [name])));
  syncFolder(host, folder);
  for (const f of fs.readdirSync(folder)) {
    if ((WEIGHTS.test(f) && f !== name) || TEMPORARY_SUFFIX.test(f)) fs.rmSync(path.join(folder, f), { force: true });
  }
  return name;
}

/** Removes a checkpoint's files (model.json, its weights, temporary files a kill left) and the folder when nothing else is in it. */
export function removeCheckpoint(folder: string, where: string): void {
  const { fs, path } = nodeHost(where);
  if (!fs.existsSync(folder)) return;
  // model.json first: without it the folder is no checkpoint, whatever a kill leaves of the rest.
  fs.rmSync(path.join(folder, MODEL_JSON), { force: true });
  for (const f of fs.readdirSync(folder)) {
    if (WEIGHTS.test(f) || TEMPORARY_SUFFIX.test(f)) fs.rmSync(path.join(folder, f), { force: true });
  }
  unlockCheckpoint(folder);
  if (fs.readdirSync(folder).length === 0) fs.rmdirSync(folder);
}
