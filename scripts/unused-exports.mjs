// Lists exports under src/ that no other file (source, test, example, benchmark or script) mentions and
// that no `export *` chain from the entries (src/browser.ts, src/index.ts) makes public: candidates for
// removal, or for dropping `export`. A heuristic (it matches names as words), so read before deleting;
// types that appear in exported signatures are listed as "used inside its file only" and may stay.
//   node scripts/unused-exports.mjs
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

const root = resolve(dirname(new URL(import.meta.url).pathname), '..');
const all = [];
(function walk(dir) {
  for (const name of readdirSync(dir)) {
    if (name === 'node_modules' || name === 'dist' || name === 'build' || name.startsWith('.')) continue;
    const path = join(dir, name);
    if (statSync(path).isDirectory()) walk(path);
    else if (/\.(ts|mts|mjs)$/.test(name) && !name.endsWith('.d.ts')) all.push(path);
  }
})(root);
const text = new Map(all.map((f) => [f, readFileSync(f, 'utf8')]));

const reexports = /export\s+\*\s+(?:as\s+\w+\s+)?from\s+['"](\.[^'"]+)['"]/g;
const publicFiles = new Set();
function reach(file) {
  for (const m of text.get(file)?.matchAll(reexports) ?? []) {
    const target = resolve(dirname(file), m[1]).replace(/\.js$/, '.ts');
    if (!publicFiles.has(target)) {
      publicFiles.add(target);
      reach(target);
    }
  }
}
reach(join(root, 'src', 'browser.ts'));
reach(join(root, 'src', 'index.ts'));

const declaration = /^export\s+(?:declare\s+)?(?:abstract\s+)?(?:async\s+)?(?:function\*?|class|const|let|var|type|interface|enum)\s+([A-Za-z_$][\w$]*)/gm;
for (const file of all.filter((f) => f.startsWith(join(root, 'src') + '/') && !f.endsWith('.test.ts'))) {
  if (publicFiles.has(file)) continue;
  for (const [, name] of text.get(file).matchAll(declaration)) {
    const word = new RegExp(`\\b${name.replace(/\$/g, '\\$')}\\b`, 'g');
    if (all.some((other) => other !== file && word.test(text.get(other)))) continue;
    const inside = (text.get(file).match(word) ?? []).length > 1;
    console.log(`${relative(root, file)}: ${name} (${inside ? 'used inside its file only' : 'unused'})`);
  }
}
