/**
 * Enforces the levels of DESIGN.md: a module under src/ imports only from its own folder or from folders
 * of strictly lower levels; the command line uses only the public API (src/index.ts); and no files or
 * folders import each other, directly or around a circle.
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

/** Every file's resolved imports (type-only ones too), keyed by path relative to src/. */
function importGraph(): Map<string, string[]> {
  const graph = new Map<string, string[]>();
  for (const file of sources(src)) {
    const targets = imports(readFileSync(file, 'utf8')).map((spec) => relative(src, resolve(dirname(file), spec).replace(/\.js$/, '.ts')));
    graph.set(relative(src, file), targets);
  }
  return graph;
}

/** The strongly connected components of more than one node (Tarjan): each is an import circle. */
export function cycles(graph: ReadonlyMap<string, readonly string[]>): string[][] {
  const index = new Map<string, number>(), low = new Map<string, number>(), stack: string[] = [], onStack = new Set<string>();
  const found: string[][] = [];
  const visit = (v: string): void => {
    index.set(v, index.size);
    low.set(v, index.get(v)!);
    stack.push(v);
    onStack.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!graph.has(w)) continue;
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) {
        low.set(v, Math.min(low.get(v)!, index.get(w)!));
      }
    }
    if (low.get(v) !== index.get(v)) return;
    const component: string[] = [];
    let w: string;
    do {
      w = stack.pop()!;
      onStack.delete(w);
      component.push(w);
    } while (w !== v);
    if (component.length > 1) found.push(component.sort());
  };
  for (const v of graph.keys()) if (!index.has(v)) visit(v);
  return found;
}

/**
 * Folders (sub-folders counted apart) whose files import each other's: `models <-> models/saving`. A
 * backend's folder may read the kernel contract in backend/ while backend/index.ts picks among them.
 */
export function folderCircles(graph: ReadonlyMap<string, readonly string[]>): string[] {
  const edges = new Set<string>();
  for (const [file, targets] of graph) {
    for (const target of targets) if (dirname(file) !== dirname(target)) edges.add(`${dirname(file)} -> ${dirname(target)}`);
  }
  const exempt = (folder: string): boolean => folder === 'backend' || folder.startsWith('backend/');
  return [...edges]
    .map((e) => e.split(' -> ') as [string, string])
    .filter(([a, b]) => a < b && edges.has(`${b} -> ${a}`) && !(exempt(a) && exempt(b)))
    .map(([a, b]) => `${a} <-> ${b}`);
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

test('no import circles under src/: between files, or between folders', () => {
  const graph = importGraph();
  assert.deepEqual(cycles(graph).map((c) => c.join(' -> ')), []);
  assert.deepEqual(folderCircles(graph), []);
});

test('the circle finder finds circles of files and of folders', () => {
  const graph = new Map([['a/x.ts', ['a/y.ts']], ['a/y.ts', ['b/z.ts']], ['b/z.ts', ['a/x.ts']], ['b/w.ts', []]]);
  assert.deepEqual(cycles(graph), [['a/x.ts', 'a/y.ts', 'b/z.ts']]);
  assert.deepEqual(folderCircles(graph), ['a <-> b']);
  assert.deepEqual(cycles(new Map([['a.ts', ['b.ts']], ['b.ts', []]])), []);
});

test('the import scanner sees type-only imports, re-exports and dynamic imports', () => {
  const text = `import type { A } from '../models/a.js';\nexport * from './b.js';\nconst c = await import('../layers/c.js');\nimport { d,\n  e } from "../util/d.js";`;
  assert.deepEqual(imports(text), ['../models/a.js', './b.js', '../layers/c.js', '../util/d.js']);
});
