/**
 * Models on disk, laid out as TensorFlow.js's Node handler writes them: a folder with `model.json` and
 * `weights.bin` (or the browser's `model.weights.bin`, or tensorflowjs_converter's shards
 * `group1-shard1of3.bin`...). Every file is replaced atomically. Reading checks model.json's structure and
 * that each weights file exists and holds exactly the bytes its manifest group describes.
 */
import { ValueError, describe } from '../../util/errors.js';
import { isJsonObject } from '../../util/json.js';
import { makeFolder, syncFolder, writeFileAtomic } from '../../util/atomic-file.js';
import type { IOHandler, ModelArtifacts, ModelJson, WeightSpec, WeightsManifestGroup } from './format.js';
import type { NodeHost } from '../../util/node-host.js';
import { nodeHost } from '../../util/node-host.js';
import { byteLength, checkWeightSpec, concatBuffers } from './weights.js';

export interface FileOptions {
  /** The weights file's name: `weights.bin` (TensorFlow.js in Node, the default) or `model.weights.bin` (browser downloads). */
  weightsFileName?: string;
  /** Split the weights into files of at most this many bytes, named `group1-shard1ofN.bin` as tensorflowjs_converter does. */
  shardBytes?: number;
}

export const MODEL_JSON = 'model.json';

/** model.json's content for artifacts whose weights are in `paths`. */
export function modelJson(artifacts: ModelArtifacts, paths: string[]): ModelJson {
  return {
    modelTopology: artifacts.modelTopology,
    weightsManifest: [{ paths, weights: artifacts.weightSpecs ?? [] }],
    ...(artifacts.format !== undefined ? { format: artifacts.format } : {}),
    ...(artifacts.generatedBy !== undefined ? { generatedBy: artifacts.generatedBy } : {}),
    ...(artifacts.convertedBy !== undefined ? { convertedBy: artifacts.convertedBy } : {}),
    ...(artifacts.trainingConfig ? { trainingConfig: artifacts.trainingConfig } : {}),
    ...(artifacts.userDefinedMetadata ? { userDefinedMetadata: artifacts.userDefinedMetadata } : {}),
  };
}

/** The folder and the model.json file of a path that names either (a path ending in .json names the file). */
export function locate(host: NodeHost, path: string): { folder: string; jsonFile: string } {
  const resolved = host.path.resolve(path.replace(/^file:\/\//, ''));
  if (resolved.endsWith('.json')) return { folder: host.path.dirname(resolved), jsonFile: resolved };
  return { folder: resolved, jsonFile: host.path.join(resolved, MODEL_JSON) };
}

function weightBytes(artifacts: ModelArtifacts): Uint8Array {
  const data = artifacts.weightData;
  return concatBuffers(data === undefined ? [] : Array.isArray(data) ? data : [data]);
}

function checkFileName(where: string, arg: string, name: unknown): string {
  if (typeof name !== 'string' || name === '' || /[/\\]/.test(name) || name === MODEL_JSON) {
    throw new ValueError(`${where}: option '${arg}' expected a plain file name other than ${MODEL_JSON}, received ${describe(name)}`);
  }
  return name;
}

/** Saves to and loads from a folder (or a model.json path) on the local disk; Node only. */
export function fileHandler(path: string, options: FileOptions = {}, where = 'loadModel'): Required<IOHandler> {
  return {
    async save(artifacts) {
      return saveFiles(path, artifacts, options, where);
    },
    async load() {
      return loadFiles(path, where);
    },
  };
}

function saveFiles(path: string, artifacts: ModelArtifacts, options: FileOptions, where: string): { files: string[] } {
  const host = nodeHost(where);
  const { folder, jsonFile } = locate(host, path);
  const bytes = weightBytes(artifacts);
  const shard = options.shardBytes;
  if (shard !== undefined && !(Number.isInteger(shard) && shard > 0)) throw new ValueError(`${where}: option 'shardBytes' expected a positive integer, received ${describe(shard)}`);
  const parts: [string, Uint8Array][] = [];
  if (shard !== undefined && bytes.byteLength > shard) {
    const n = Math.ceil(bytes.byteLength / shard);
    for (let i = 0; i < n; i++) parts.push([`group1-shard${i + 1}of${n}.bin`, bytes.subarray(i * shard, (i + 1) * shard)]);
  } else {
    parts.push([checkFileName(where, 'weightsFileName', options.weightsFileName ?? 'weights.bin'), bytes]);
  }
  makeFolder(host, folder, where);
  for (const [name, data] of parts) writeFileAtomic(host, host.path.join(folder, name), data);
  writeFileAtomic(host, jsonFile, JSON.stringify(modelJson(artifacts, parts.map(([name]) => name))));
  syncFolder(host, folder);
  return { files: [jsonFile, ...parts.map(([name]) => host.path.join(folder, name))] };
}

/** Reads a file, turning "not found" into a message that says which file the manifest wanted. */
function readFile(host: NodeHost, file: string, what: string): Uint8Array {
  try {
    return host.fs.readFileSync(file);
  } catch (error) {
    const code = (error as { code?: string }).code;
    if (code === 'ENOENT') throw new ValueError(`${what}: ${file} does not exist`);
    if (code === 'EISDIR') throw new ValueError(`${what}: ${file} is a folder, not a file`);
    throw new ValueError(`${what}: cannot read ${file} (${(error as Error).message})`);
  }
}

/** model.json parsed and its manifest checked. */
function readModelJson(host: NodeHost, jsonFile: string, where: string): ModelJson {
  const text = new TextDecoder('utf-8', { fatal: false }).decode(readFile(host, jsonFile, where));
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new ValueError(`${where}: ${jsonFile} is not valid JSON (${(error as Error).message}); the file may be truncated`);
  }
  if (!isJsonObject(json)) throw new ValueError(`${where}: ${jsonFile} expected a JSON object with modelTopology and weightsManifest, received ${describe(json)}`);
  const manifest = json['weightsManifest'] ?? [];
  if (!Array.isArray(manifest)) throw new ValueError(`${where}: ${jsonFile}: weightsManifest expected an array of { paths, weights }, received ${describe(manifest)}`);
  const groups: WeightsManifestGroup[] = manifest.map((g, i) => {
    const at = `${jsonFile}: weightsManifest[${i}]`;
    if (!isJsonObject(g) || !Array.isArray(g['paths']) || g['paths'].length === 0 || !Array.isArray(g['weights'])) {
      throw new ValueError(`${where}: ${at} expected { paths: [file names], weights: [...] }, received ${describe(g)}`);
    }
    const paths = g['paths'].map((p, j) => {
      if (typeof p !== 'string' || p === '' || p.startsWith('/') || /^[a-z]+:\/\//i.test(p) || p.split(/[/\\]/).includes('..')) {
        throw new ValueError(`${where}: ${at}.paths[${j}] expected a file name relative to model.json's folder, received ${describe(p)}`);
      }
      return p;
    });
    return { paths, weights: g['weights'].map((w, j) => checkWeightSpec(w, `${where}: ${at}.weights[${j}]`)) };
  });
  return { ...(json as unknown as ModelJson), weightsManifest: groups };
}

function loadFiles(path: string, where: string): ModelArtifacts {
  const host = nodeHost(where);
  const { folder, jsonFile } = locate(host, path);
  const json = readModelJson(host, jsonFile, where);
  const specs: WeightSpec[] = [];
  const buffers: ArrayBuffer[] = [];
  json.weightsManifest.forEach((group, i) => {
    const files = group.paths.map((p) => readFile(host, host.path.join(folder, p), `${where}: ${jsonFile}: weightsManifest[${i}] names '${p}', but`));
    const bytes = concatBuffers(files.map((f) => new Uint8Array(f).buffer));
    const needed = group.weights.reduce((n, s) => n + byteLength(s), 0);
    if (bytes.byteLength !== needed) {
      const what = bytes.byteLength < needed ? 'truncated' : 'longer than its manifest says';
      throw new ValueError(
        `${where}: ${group.paths.map((p) => host.path.join(folder, p)).join(' + ')} holds ${bytes.byteLength} bytes, but the ${group.weights.length} weights of weightsManifest[${i}] in ${jsonFile} take ${needed}: the file is ${what}`,
      );
    }
    specs.push(...group.weights);
    buffers.push(bytes.buffer as ArrayBuffer);
  });
  const { modelTopology, format, generatedBy, convertedBy, trainingConfig, userDefinedMetadata } = json;
  return { modelTopology, format, generatedBy, convertedBy, trainingConfig, userDefinedMetadata, weightSpecs: specs, weightData: buffers };
}
