// Builds the optional native addon during `npm install`. It never fails the install: when no C++
// toolchain is present (or the build breaks), layerwise runs on its WebAssembly or reference backend
// and says so once at run time.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

const require = createRequire(import.meta.url);

function skip(reason) {
  console.warn(`layerwise: native addon not built (${reason}); the WebAssembly or reference backend will be used.`);
  process.exit(0);
}

if (process.env.LAYERWISE_SKIP_NATIVE === '1') skip('LAYERWISE_SKIP_NATIVE=1');
if (!existsSync('binding.gyp')) skip('binding.gyp not found');

// The C++ side of the kernel table (native/generated/) is generated from src/backend/kernel-table.ts. A
// checkout generates it here, before \`prepare\` builds the rest; a packed copy ships it generated.
let canGenerate = existsSync('src/backend/kernel-table.ts');
try {
  require.resolve('esbuild');
} catch {
  canGenerate = false;
}
if (canGenerate) {
  const generated = spawnSync(process.execPath, ['scripts/generate-kernels.mjs'], { encoding: 'utf8' });
  if (generated.status !== 0) skip(`generating the kernel glue failed: ${`${generated.stderr ?? ''}`.trim().split('\n').slice(-3).join(' ')}`);
} else if (!existsSync('native/generated/bindings.h')) {
  skip('native/generated/ is missing and cannot be generated here (it needs esbuild, a development dependency)');
}

let gyp;
try {
  gyp = require.resolve('node-gyp/bin/node-gyp.js');
} catch {
  skip('node-gyp is not installed');
}

// Use the headers installed with Node itself when there are any: node-gyp would otherwise download them,
// which fails offline (npm passes its own nodedir setting, if any, through the environment).
const args = [gyp, 'rebuild', '--release'];
const prefix = join(dirname(process.execPath), '..');
if (!process.env.npm_config_nodedir && existsSync(join(prefix, 'include', 'node', 'node_api.h'))) args.push(`--nodedir=${prefix}`);

const result = spawnSync(process.execPath, args, { encoding: 'utf8' });
if (result.status !== 0) {
  const tail = `${result.stdout ?? ''}${result.stderr ?? ''}`.trim().split('\n').slice(-15).join('\n');
  if (tail) console.warn(tail);
  skip(result.error ? result.error.message : `node-gyp exited with status ${result.status}`);
}
console.log('layerwise: native addon built (build/Release/layerwise.node).');
