/**
 * Enforces the levels of DESIGN.md: a module under src/ imports only from its own folder or from folders
 * of strictly lower levels; the command line uses only the public API (src/index.ts).
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';

const LEVELS: Record<string, number> = {
  util: 0,
  backend: 1,
  tensor: 2,
  ops: 3,
  nn: 4, losses: 4, metrics: 4, optimizers: 4, data: 4,
  layers: 5,
  models: 6,
  workflow: 7,
  cli: 8,
};

// dist/test/architecture.test.js -> repository root
const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const src = join(root, 'src');

function sources(dir: string, out: string[] = []): string[] {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) sources(path, out);
    else if (name.endsWith('.ts') && !name.endsWith('.test.ts') && !name.endsWith('.bench.ts') && !name.endsWith('.d.ts')) out.push(path);
  }
  return out;
}

function folderOf(file: string): string {
  const rel = relative(src, file).split('/');
  return rel.length === 1 ? '' : rel[0]!;
}

/** Relative import specifiers of a file, type-only imports and re-exports included. */
function imports(text: string): string[] {
  const found: string[] = [];
  const re = /(?:import|export)\s+(?:type\s+)?(?:[^'"]*?\s+from\s+)?['"](\.[^'"]+)['"]|import\(\s*['"](\.[^'"]+)['"]\s*\)/g;
  for (const m of text.matchAll(re)) found.push((m[1] ?? m[2])!);
  return found;
}

export function violations(): string[] {
  const problems: string[] = [];
  for (const file of sources(src)) {
    const from = folderOf(file);
    const rel = relative(src, file);
    if (from !== '' && LEVELS[from] === undefined) {
      problems.push(`${rel}: folder ${from}/ has no level in DESIGN.md (add it to the table)`);
      continue;
    }
    for (const spec of imports(readFileSync(file, 'utf8'))) {
      const target = resolve(dirname(file), spec).replace(/\.js$/, '.ts');
      const to = folderOf(target);
      if (to === from) continue;
      const targetRel = relative(src, target);
      if (from === 'cli') {
        if (targetRel !== 'index.ts') problems.push(`${rel} (level 8) may only import the public API src/index.ts, not ${targetRel}`);
        continue;
      }
      if (from === '') continue; // src/index.ts assembles the public API from every level
      if (to === '') {
        problems.push(`${rel} (level ${LEVELS[from]}) may not import the public API ${targetRel} (it sits above every level)`);
        continue;
      }
      const a = LEVELS[from]!, b = LEVELS[to];
      if (b === undefined || b >= a) problems.push(`${rel} (level ${a}) may not import ${to}/ (level ${b ?? '?'})`);
    }
  }
  return problems;
}

test('every import under src/ points to a strictly lower level', () => {
  assert.deepEqual(violations(), []);
});

test('the import scanner sees type-only imports, re-exports and dynamic imports', () => {
  const text = `import type { A } from '../models/a.js';\nexport * from './b.js';\nconst c = await import('../layers/c.js');\nimport { d,\n  e } from "../util/d.js";`;
  assert.deepEqual(imports(text), ['../models/a.js', './b.js', '../layers/c.js', '../util/d.js']);
});
