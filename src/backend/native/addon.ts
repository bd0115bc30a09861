/**
 * Loading the compiled addon (`build/Release/layerwise.node`, built by `npm install` when a C++ toolchain
 * is present) and the shape of what it exports. Integer parameters travel through `params`, a
 * Float64Array the addon owns: the caller fills it right before each call (layouts in native/addon.cc).
 */

export interface NativeAddon {
  readonly params: Float64Array;
  /** Instruction sets this CPU supports, best first: "avx512", "avx2", "portable". */
  readonly isas: readonly string[];
  /** Op names in the order of the codes the kernels take. */
  readonly unaryOps: readonly string[];
  readonly binaryOps: readonly string[];
  readonly reduceOps: readonly string[];
  readonly activations: readonly string[];
  isa(): string;
  setIsa(id: string): void;
  threads(): number;
  setThreads(n: number): void;
  unary(op: number, x: Float32Array, out: Float32Array, alpha: number): void;
  unaryGrad(op: number, x: Float32Array, y: Float32Array, dy: Float32Array, out: Float32Array, alpha: number): void;
  binary(op: number, a: Float32Array, b: Float32Array, out: Float32Array): void;
  reduce(op: number, x: Float32Array, out: Float32Array, outer: number, size: number, inner: number): void;
  matmul(a: Float32Array, b: Float32Array, out: Float32Array, bias: Float32Array | null): void;
  conv2d(x: Float32Array, filter: Float32Array, out: Float32Array, bias: Float32Array | null): void;
  conv2dBackpropInput(dy: Float32Array, filter: Float32Array, dx: Float32Array): void;
  conv2dBackpropFilter(x: Float32Array, dy: Float32Array, dFilter: Float32Array): void;
  maxPool2d(x: Float32Array, out: Float32Array): void;
  maxPool2dGrad(x: Float32Array, dy: Float32Array, dx: Float32Array): void;
  avgPool2d(x: Float32Array, out: Float32Array): void;
  avgPool2dGrad(dy: Float32Array, dx: Float32Array): void;
  softmax(x: Float32Array, out: Float32Array, rows: number, cols: number, log: number): void;
  sgdUpdate(param: Float32Array, grad: Float32Array, velocity: Float32Array | null, lr: number, momentum: number, nesterov: number): void;
  rmspropUpdate(
    param: Float32Array, grad: Float32Array, ms: Float32Array, mom: Float32Array | null, mg: Float32Array | null,
    lr: number, rho: number, momentum: number, epsilon: number,
  ): void;
  adamUpdate(
    param: Float32Array, grad: Float32Array, m: Float32Array, v: Float32Array, vMax: Float32Array | null,
    stepSize: number, beta1: number, beta2: number, epsilon: number,
  ): void;
  adagradUpdate(param: Float32Array, grad: Float32Array, acc: Float32Array, lr: number, epsilon: number): void;
  scaleInPlace(param: Float32Array, factor: number): void;
  /** An ArrayBuffer of `bytes` over recycled native memory (contents unspecified). */
  alloc(bytes: number): ArrayBuffer;
  /** Detaches a buffer from `alloc` and recycles its block now; false for any other buffer. */
  release(buffer: ArrayBuffer): boolean;
  /** The recycling cache: bytes held idle, and blocks taken from the system so far. */
  cacheStats(): { idleBytes: number; freshBlocks: number };
}

const FUNCTIONS = [
  'isa', 'setIsa', 'threads', 'setThreads', 'unary', 'unaryGrad', 'binary', 'reduce', 'matmul', 'conv2d',
  'conv2dBackpropInput', 'conv2dBackpropFilter', 'maxPool2d', 'maxPool2dGrad', 'avgPool2d', 'avgPool2dGrad',
  'softmax', 'sgdUpdate', 'rmspropUpdate', 'adamUpdate', 'adagradUpdate', 'scaleInPlace', 'alloc', 'release', 'cacheStats',
] as const;
const NAME_LISTS = ['isas', 'unaryOps', 'binaryOps', 'reduceOps', 'activations'] as const;

function isStringArray(value: unknown): boolean {
  return Array.isArray(value) && value.every((v) => typeof v === 'string');
}

/** Names what is missing from a loaded module, or returns null when it has the whole interface. */
function missingMembers(mod: Record<string, unknown>): string | null {
  const missing: string[] = [];
  if (!(mod['params'] instanceof Float64Array)) missing.push('params');
  for (const name of NAME_LISTS) if (!isStringArray(mod[name])) missing.push(name);
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
    if (isNativeAddon(mod)) {
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
