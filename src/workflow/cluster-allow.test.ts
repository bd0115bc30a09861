import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { pathToFileURL } from 'node:url';
import { allowedFolders, resolveAllowed, sendExport } from './cluster-allow.js';

const root = mkdtempSync(join(tmpdir(), 'layerwise-allow-'));
after(() => rmSync(root, { recursive: true, force: true }));
mkdirSync(join(root, 'project', 'models'), { recursive: true });
mkdirSync(join(root, 'project', 'secrets'), { recursive: true });
writeFileSync(join(root, 'project', 'models', 'net.js'), 'export const build = 1;\n');
writeFileSync(join(root, 'project', 'secrets', 'evil.js'), 'export const build = 2;\n');
symlinkSync(join(root, 'project', 'secrets', 'evil.js'), join(root, 'project', 'models', 'link.js'));
symlinkSync(join(root, 'project', 'secrets'), join(root, 'project', 'models', 'door'));
const project = join(root, 'project');

test('a module travels as its path relative to the caller\'s folder, and its URL', () => {
  const url = pathToFileURL(join(project, 'models', 'net.js')).href;
  assert.deepEqual(sendExport({ module: url, name: 'build' }, project), { url, relative: 'models/net.js', name: 'build' });
  assert.deepEqual(sendExport({ module: url, name: 'build' }, join(root, 'elsewhere')), { url, relative: null, name: 'build' });
  assert.deepEqual(sendExport({ module: 'data:text/javascript,export default 1', name: 'default' }, project).relative, null);
});

test('a worker imports only modules whose real path lies in an allowed folder', () => {
  const allowed = allowedFolders('test', ['models'], project);
  const at = (relative: string | null, url = 'file:///nowhere/x.js') => resolveAllowed({ url, relative, name: 'build' }, allowed, project);
  assert.deepEqual(at('models/net.js'), { url: pathToFileURL(join(project, 'models', 'net.js')).href });
  // Found by its absolute URL when the relative path is not there (a worker on the same file system).
  assert.deepEqual(at(null, pathToFileURL(join(project, 'models', 'net.js')).href), { url: pathToFileURL(join(project, 'models', 'net.js')).href });
  const refused = (r: ReturnType<typeof at>) => ('refused' in r ? r.refused : 'not refused');
  assert.match(refused(at('secrets/evil.js')), /^module secrets\/evil\.js \(.*secrets\/evil\.js\) is outside the folders this worker may import from \(.*models\): start the worker with --allow for its folder$/);
  assert.match(refused(at('models/../secrets/evil.js')), /is outside the folders this worker may import from/, "'..' cannot climb out");
  assert.match(refused(at('models/link.js')), /^module models\/link\.js \(.*secrets\/evil\.js\) is outside/, 'a symbolic link out is followed, then refused');
  assert.match(refused(at('models/door/evil.js')), /is outside the folders/, 'so is a linked folder');
  assert.match(refused(at('models/missing.js')), /^module models\/missing\.js was not found on this worker \(looked for .*models\/missing\.js and \/nowhere\/x\.js\): start the worker in the project's folder/);
  assert.match(refused(at(null, 'data:text/javascript,export const build = 1')), /^module data:text\/javascript,.* is not a file, and a worker imports only files under its allowed folders/);
  assert.match(refused(at(null, 'https://example.com/m.js')), /is not a file/);
});

test('allowed folders must exist and be folders', () => {
  assert.throws(() => allowedFolders('startClusterWorker', [], project), /option 'allow' expected at least one folder whose modules tasks may import \(--allow \.\/models\), received none/);
  assert.throws(() => allowedFolders('startClusterWorker', ['nope'], project), /allowed folder 'nope' does not exist \(resolved to .*project\/nope\)/);
  assert.throws(() => allowedFolders('startClusterWorker', ['models/net.js'], project), /allowed folder 'models\/net\.js' is not a folder/);
});
