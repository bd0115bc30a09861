// Bundles the browser entry (src/browser.ts) into dist/browser/: layerwise.js, the wasm backend's worker
// script and kernels beside it (the bundle finds them through new URL(..., import.meta.url)), and
// layerwise.d.ts pointing at the declarations tsc emits. Nothing that needs Node may end up in the bundle:
// the build fails on any import it cannot resolve for a browser.
import { build } from 'esbuild';
import { copyFileSync, mkdirSync, writeFileSync } from 'node:fs';

const OUT = 'dist/browser';
const KERNELS = ['kernels-threads.wasm', 'kernels-single.wasm'];

mkdirSync(OUT, { recursive: true });
const result = await build({
  entryPoints: { layerwise: 'src/browser.ts', worker: 'src/backend/wasm/worker.ts' },
  outdir: OUT,
  bundle: true,
  format: 'esm',
  platform: 'browser',
  target: 'es2022',
  minify: true,
  // Layer names, summaries, saved models and error messages use class names (constructor.name).
  keepNames: true,
  sourcemap: true,
  metafile: true,
  logLevel: 'warning',
});
const externals = Object.values(result.metafile.outputs)
  .flatMap((output) => output.imports)
  .filter((i) => i.external);
if (externals.length > 0) {
  console.error(`build-browser: the bundle imports modules it does not contain: ${externals.map((i) => i.path).join(', ')}`);
  process.exit(1);
}
for (const file of KERNELS) copyFileSync(`dist/src/backend/wasm/${file}`, `${OUT}/${file}`);
writeFileSync(`${OUT}/layerwise.d.ts`, "export * from '../src/browser.js';\n");
const bytes = result.metafile.outputs[`${OUT}/layerwise.js`]?.bytes ?? 0;
console.log(`build-browser: ${OUT}/layerwise.js ${(bytes / 1024).toFixed(0)} KiB`);
