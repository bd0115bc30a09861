/**
 * A checkpoint folder that survives a kill at any moment. Each save writes its weights under a new name
 * (`weights-7.bin`), then replaces model.json — the one atomic switch from the old checkpoint to the new —
 * and only then removes the old weights. Before the switch model.json still names the old, complete
 * weights; after it, the new ones. The folder loads like any saved model.
 */
import { TEMPORARY_SUFFIX, syncFolder, writeFileAtomic } from '../../util/atomic-file.js';
import type { ModelArtifacts } from './format.js';
import { MODEL_JSON, modelJson } from './files.js';
import { nodeHost } from '../../util/node-host.js';
import { concatBuffers } from './weights.js';

const WEIGHTS = /^weights-(\d+)\.bin$/;

/** Writes artifacts as the folder's new checkpoint; returns the weights file's name. */
export function writeCheckpoint(folder: string, artifacts: ModelArtifacts): string {
  const host = nodeHost('ModelCheckpoint');
  const { fs, path } = host;
  fs.mkdirSync(folder, { recursive: true });
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
  if (fs.readdirSync(folder).length === 0) fs.rmdirSync(folder);
}
