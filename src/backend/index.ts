/**
 * Chooses the backend. Float32 kernels come from the active backend where it has them and from the
 * reference backend otherwise; every other dtype (float64 for gradient checks, int32, bool) always runs on
 * the reference backend. The choice is made once, on first use, from `LAYERWISE_BACKEND` or the fastest
 * backend that loads, and can be changed with `setBackend`.
 */
import type { DType, TypedArray } from '../util/dtype.js';
import { ValueError } from '../util/errors.js';
import type { Backend, Kernels } from './kernels.js';
import { referenceBackend, referenceKernels } from './reference/index.js';
import { loadNativeBackend } from './native/index.js';
import { loadWasmBackend } from './wasm/index.js';
import { smallOrNewArray } from './small-arrays.js';

export type BackendName = 'native' | 'wasm' | 'reference';
export const BACKEND_NAMES: readonly BackendName[] = ['native', 'wasm', 'reference'];

type Loaded = { backend: Backend } | { error: string };

const loaders: Record<BackendName, () => Loaded> = {
  native: () => loadNativeBackend(),
  wasm: () => loadWasmBackend(),
  reference: () => ({ backend: referenceBackend }),
};

const cache = new Map<BackendName, { backend: Backend }>();
let active: Backend | null = null;
let floatKernels: Kernels = referenceKernels;

/** The backend called `name` as the registry loads it, or why it does not load here. */
export function loadBackend(name: BackendName): Loaded {
  return load(name);
}

function load(name: BackendName): Loaded {
  const cached = cache.get(name);
  if (cached) return cached;
  let loaded: Loaded;
  try {
    loaded = loaders[name]();
  } catch (e) {
    loaded = { error: e instanceof Error ? e.message : String(e) };
  }
  // Failures are not kept: in a browser the wasm backend loads once preloadWasmKernels has fetched its kernels.
  if ('backend' in loaded) cache.set(name, loaded);
  return loaded;
}

function activate(b: Backend): void {
  active = b;
  floatKernels = { ...referenceKernels, ...b.kernels };
}

function isBackendName(name: unknown): name is BackendName {
  return typeof name === 'string' && (BACKEND_NAMES as readonly string[]).includes(name);
}

/** Picks the first backend that loads; says once (on stderr) when the preferred one was unavailable. */
function chooseDefault(): Backend {
  // Browsers have no process.
  const requested = typeof process === 'object' ? process.env['LAYERWISE_BACKEND'] : undefined;
  if (requested !== undefined && requested !== '') {
    if (!isBackendName(requested)) {
      throw new ValueError(
        `LAYERWISE_BACKEND: expected one of ${BACKEND_NAMES.join(', ')}, received ${JSON.stringify(requested)}`,
      );
    }
    const loaded = load(requested);
    if ('backend' in loaded) return loaded.backend;
    throw new ValueError(`LAYERWISE_BACKEND=${requested}: the backend could not be loaded (${loaded.error})`);
  }
  const reasons: string[] = [];
  for (const name of BACKEND_NAMES) {
    const loaded = load(name);
    if ('backend' in loaded) {
      if (reasons.length > 0) console.warn(`layerwise: using the ${name} backend (${reasons.join('; ')})`);
      return loaded.backend;
    }
    reasons.push(`${name}: ${loaded.error}`);
  }
  return referenceBackend;
}

function current(): Backend {
  if (active === null) activate(chooseDefault());
  return active!;
}

/** The name of the active backend: "native", "wasm" or "reference". */
export function backend(): string {
  return current().name;
}

/** One line describing the active backend (SIMD level, threads). */
export function backendInfo(): string {
  return current().describe();
}

/** Makes `name` the active backend; throws naming the reason when it cannot be loaded here. */
export function setBackend(name: BackendName): void {
  if (!isBackendName(name)) {
    throw new ValueError(`setBackend: argument 'name' expected one of ${BACKEND_NAMES.join(', ')}, received ${JSON.stringify(name)}`);
  }
  const loaded = load(name);
  if ('error' in loaded) throw new ValueError(`setBackend: the ${name} backend is not available (${loaded.error})`);
  activate(loaded.backend);
}

/** The backends that load on this machine. */
export function availableBackends(): BackendName[] {
  return BACKEND_NAMES.filter((n) => 'backend' in load(n));
}

/** Sets the number of threads of the active backend (no effect on single-threaded backends). */
export function setThreads(n: number): void {
  if (!Number.isInteger(n) || n < 1) {
    throw new ValueError(`setThreads: argument 'n' expected a positive integer, received ${String(n)}`);
  }
  current().setThreads?.(n);
}

/** The kernels that compute on arrays of `dtype`. */
export function kernelsFor(dtype: DType): Kernels {
  current();
  return dtype === 'float32' ? floatKernels : referenceKernels;
}

/**
 * Storage for a new tensor: the active backend's memory for float32 where it has its own, else the heap.
 * `shape`, when given, names the tensor in the error a failed allocation throws.
 */
export function alloc(dtype: DType, length: number, shape?: readonly number[]): TypedArray {
  const b = current();
  try {
    const array = dtype === 'float32' && b.alloc ? b.alloc(dtype, length) : smallOrNewArray(dtype, length);
    allocationLog?.push(array);
    return array;
  } catch (e) {
    // Typed-array constructors throw RangeError and the native cache a plain Error; either way the caller
    // asked for a tensor this machine cannot hold, which deserves a message with the size.
    const gib = (length * BYTES_PER_ELEMENT[dtype]) / 2 ** 30;
    const what = shape === undefined ? `${length} elements` : `shape [${shape.join(', ')}] (${length} elements`;
    throw new AllocationError(
      `cannot allocate a ${dtype} tensor of ${what}${shape === undefined ? ' (' : ', '}${gib.toFixed(2)} GiB) on the ${b.name} backend: ${e instanceof Error ? e.message : String(e)}`,
    );
  }
}

/** A tensor too large for the active backend or this machine; `at(op)` names the op that asked for it. */
export class AllocationError extends ValueError {
  readonly named: boolean;
  constructor(message: string, named = false) {
    super(message);
    this.named = named;
  }

  /** This error with `where: ` in front, once (the innermost op names it). */
  at(where: string): AllocationError {
    return this.named ? this : new AllocationError(`${where}: ${this.message}`, true);
  }
}

const BYTES_PER_ELEMENT: Record<DType, number> = { float32: 4, float64: 8, int32: 4, bool: 1 };

let allocationLog: TypedArray[] | null = null;

/** Makes `alloc` append every array it hands out to `log` (null stops); returns the previous log. */
export function logAllocations(log: TypedArray[] | null): TypedArray[] | null {
  const previous = allocationLog;
  allocationLog = log;
  return previous;
}

/**
 * Hands an array back to the backend that allocated it, before the garbage collector would. Only for
 * arrays the library knows nothing can reach any more (see the autodiff tape); the backend detaches or
 * forgets it. Backends without their own memory ignore this.
 */
export function release(array: TypedArray): void {
  current().release?.(array);
}
