/**
 * Loading the compiled addon (`build/Release/layerwise.node`, built by `npm install` when a C++ toolchain
 * is present) and the shape of what it exports. Its kernels are under `kernels`, one function per kernel
 * of the table that the C++ code implements; their parameters travel through `params`, a Float64Array the
 * addon owns, written right before each call by the generated glue (../generated/native.ts).
 */
import type { NativeKernel } from '../generated/native.js';
import { TABLE_HASH } from '../generated/native.js';

export interface NativeAddon {
  readonly params: Float64Array;
  /** Identifies the kernel table the addon was built from (TABLE_HASH of the glue it must match). */
  readonly tableHash: number;
  /** The kernel functions, by kernel name (only those the C++ code implements). */
  readonly kernels: Readonly<Record<string, NativeKernel | undefined>>;
  /** Instruction sets this CPU supports, best first: "avx512", "avx2", "portable". */
  readonly isas: readonly string[];
  isa(): string;
  setIsa(id: string): void;
  threads(): number;
  setThreads(n: number): void;
  /** An ArrayBuffer of `bytes` over recycled native memory (contents unspecified). */
  alloc(bytes: number): ArrayBuffer;
  /** Detaches a buffer from `alloc` and recycles its block now; false for any other buffer. */
  release(buffer: ArrayBuffer): boolean;
  /** The recycling cache: bytes held idle, and blocks taken from the system so far. */
  cacheStats(): { idleBytes: number; freshBlocks: number };
}

const FUNCTIONS = ['isa', 'setIsa', 'threads', 'setThreads', 'alloc', 'release', 'cacheStats'] as const;

function isStringArray(value: unknown): boolean {
  return Array.isArray(value) && value.every((v) => typeof v === 'string');
}

/** Names what is missing from a loaded module, or returns null when it has the whole interface. */
function missingMembers(mod: Record<string, unknown>): string | null {
  const missing: string[] = [];
  if (!(mod['params'] instanceof Float64Array)) missing.push('params');
  if (typeof mod['tableHash'] !== 'number') missing.push('tableHash');
  if (typeof mod['kernels'] !== 'object' || mod['kernels'] === null) missing.push('kernels');
  if (!isStringArray(mod['isas'])) missing.push('isas');
  for (const name of FUNCTIONS) if (typeof mod[name] !== 'function') missing.push(name);
  return missing.length === 0 ? null : missing.join(', ');
}

function isNativeAddon(mod: unknown): mod is NativeAddon {
  return typeof mod === 'object' && mod !== null && missingMembers(mod as Record<string, unknown>) === null;
}

/** Node's modules, fetched on use rather than imported so that browser bundles can include the registry. */
function nodeModules() {
  if (typeof process !== 'object' || typeof process.getBuiltinModule !== 'function') return null;
  return { fs: process.getBuiltinModule('node:fs'), module: process.getBuiltinModule('node:module'), url: process.getBuiltinModule('node:url') };
}

/** The addon's path: from dist/src/backend/native/ (compiled) or src/backend/native/ (sources). */
export function addonPath(): string {
  const node = nodeModules();
  if (node === null) throw new Error('the native addon needs Node (>= 20.16)');
  const { fs: { existsSync }, url: { fileURLToPath } } = node;
  const candidates = ['../../../../build/Release/layerwise.node', '../../../build/Release/layerwise.node'].map((rel) =>
    fileURLToPath(new URL(rel, import.meta.url)),
  );
  return candidates.find((p) => existsSync(p)) ?? candidates[0]!;
}

let cached: NativeAddon | { error: string } | null = null;

/** Loads the addon once; on failure returns why (not built, wrong platform, incomplete build). */
export function loadAddon(): NativeAddon | { error: string } {
  if (cached !== null) return cached;
  const node = nodeModules();
  if (node === null) {
    cached = { error: 'the native addon needs Node (>= 20.16)' };
    return cached;
  }
  const path = addonPath();
  if (!node.fs.existsSync(path)) {
    cached = { error: `the native addon is not built (${path} not found; run \`npm install\` with a C++ compiler)` };
    return cached;
  }
  try {
    const mod: unknown = node.module.createRequire(import.meta.url)(path);
    if (isNativeAddon(mod) && mod.tableHash !== TABLE_HASH) {
      cached = { error: `the native addon at ${path} was built from another version of the kernel table; rebuild it with \`npm install\` (or node scripts/build-native.mjs)` };
    } else if (isNativeAddon(mod)) {
      cached = mod;
    } else {
      const missing = typeof mod === 'object' && mod !== null ? missingMembers(mod as Record<string, unknown>) : 'everything';
      cached = { error: `the native addon at ${path} is incomplete (missing ${missing}); rebuild it with \`npm install\`` };
    }
  } catch (e) {
    cached = { error: `the native addon at ${path} failed to load: ${e instanceof Error ? e.message : String(e)}` };
  }
  return cached;
}
