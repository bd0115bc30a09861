/**
 * Chooses the backend. On a CPU backend, float32 kernels come from the active backend where it has them
 * and from the reference backend otherwise; every other dtype (float64 for gradient checks, int32, bool)
 * always runs on the reference backend. A backend with a device (webgpu) places every call itself: on its
 * device where it has the kernel, else on the best CPU backend, moving data as needed. The choice is made
 * once, on first use, from `LAYERWISE_BACKEND` or the fastest backend that loads, and can be changed with
 * `setBackend`; a device that must be set up asynchronously is loaded first with `setBackendAsync`.
 */
import type { DType, TypedArray } from '../util/dtype.js';
import { ValueError, describe } from '../util/errors.js';
import type { TensorStorage } from './device-array.js';
import { DeviceArray, hostArray } from './device-array.js';
import type { ArraySpec } from './kernel-spec.js';
import { KERNELS, KERNEL_NAMES } from './kernel-table.js';
import type { Backend, Dispatch, DispatchArgs, KernelArgs, KernelName, Kernels } from './kernels.js';
import { referenceBackend, referenceKernels } from './reference/index.js';
import { loadNativeBackend } from './native/index.js';
import { loadWasmBackend, preloadWasmKernels } from './wasm/index.js';
import { loadWebGPUBackend, preloadWebGPU } from './webgpu/index.js';
import { smallOrNewArray } from './small-arrays.js';

export type BackendName = 'native' | 'wasm' | 'webgpu' | 'reference';
export const BACKEND_NAMES: readonly BackendName[] = ['native', 'wasm', 'webgpu', 'reference'];
/** Tried in this order when nothing is asked for; webgpu only where a hardware adapter was set up (see chooseDefault). */
const DEFAULT_ORDER: readonly BackendName[] = ['native', 'wasm', 'reference'];

type Loaded = { backend: Backend } | { error: string };

const loaders: Record<BackendName, () => Loaded> = {
  native: () => loadNativeBackend(),
  wasm: () => loadWasmBackend(),
  webgpu: () => loadWebGPUBackend(),
  reference: () => ({ backend: referenceBackend }),
};

const cache = new Map<BackendName, { backend: Backend }>();
let active: Backend | null = null;
let floatKernels: Dispatch;
let otherKernels: Dispatch;

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

/** The arrays of each kernel's operands, by name (what a dispatch must look at). */
const ARRAY_OPERANDS = Object.fromEntries(
  KERNEL_NAMES.map((name) => [name, Object.entries(KERNELS[name].operands).filter((e): e is [string, ArraySpec] => e[1].kind === 'array')]),
) as Record<KernelName, [string, ArraySpec][]>;

/** Whether a call's arrays are all typed arrays, so that a CPU kernel takes the arguments as they are. */
function allTyped<K extends KernelName>(name: K, args: DispatchArgs<K>): args is DispatchArgs<K> & KernelArgs<K> {
  const given: Readonly<Record<string, unknown>> = args;
  for (const [operand] of ARRAY_OPERANDS[name]) {
    const v = given[operand];
    if (v instanceof DeviceArray || (Array.isArray(v) && v.some((a) => a instanceof DeviceArray))) return false;
  }
  return true;
}

/**
 * A call's arguments with every device array replaced by its host copy (for writing, where the kernel
 * writes it); throws, naming the kernel, where a value exists only on a device. CPU backends meet device
 * arrays only in tensors made while a device backend was active.
 */
export function hostArgs<K extends KernelName>(name: K, args: DispatchArgs<K>): KernelArgs<K> {
  const copy: Record<string, unknown> = { ...args };
  const host = (v: unknown, access: ArraySpec['access']): unknown => {
    if (!(v instanceof DeviceArray)) return v;
    const h = access === 'in' ? v.host() : v.hostForWrite();
    return h ?? hostArray(`kernel ${name}`, v);
  };
  for (const [operand, spec] of ARRAY_OPERANDS[name]) {
    const v = copy[operand];
    copy[operand] = Array.isArray(v) ? v.map((a) => host(a, spec.access)) : host(v, spec.access);
  }
  return copy as KernelArgs<K>;
}

/** CPU kernels as ops call them: device arrays (from a device backend used earlier) are read on the host. */
export function cpuDispatch(kernels: Kernels): Dispatch {
  const bind = <K extends KernelName>(name: K): Dispatch[K] => {
    const kernel: (args: KernelArgs<K>) => void = kernels[name];
    return (args) => (allTyped(name, args) ? kernel(args) : kernel(hostArgs(name, args)));
  };
  return Object.fromEntries(KERNEL_NAMES.map((name) => [name, bind(name)])) as Dispatch;
}

const referenceDispatch = cpuDispatch(referenceKernels);
floatKernels = referenceDispatch;
otherKernels = referenceDispatch;

/** The best CPU backend's kernels for `dtype` (what a device backend falls back to). */
function cpuKernels(): (dtype: DType) => Kernels {
  let float: Kernels | null = null;
  return (dtype) => {
    if (dtype !== 'float32') return referenceKernels;
    if (float === null) {
      const cpu = DEFAULT_ORDER.map(load).find((l): l is { backend: Backend } => 'backend' in l && l.backend.device === undefined);
      float = { ...referenceKernels, ...(cpu?.backend.kernels ?? {}) };
    }
    return float;
  };
}

function activate(b: Backend): void {
  active = b;
  if (b.device) {
    floatKernels = otherKernels = b.device.dispatch(cpuKernels());
  } else {
    floatKernels = b === referenceBackend ? referenceDispatch : cpuDispatch({ ...referenceKernels, ...b.kernels });
    otherKernels = referenceDispatch;
  }
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
        `LAYERWISE_BACKEND: expected one of ${BACKEND_NAMES.join(', ')}, received ${describe(requested)}`,
      );
    }
    const loaded = load(requested);
    if ('backend' in loaded) return loaded.backend;
    throw new ValueError(`LAYERWISE_BACKEND=${requested}: the backend could not be loaded (${loaded.error})`);
  }
  // A device is the default only where it was set up beforehand (preloadWebGPU) on a hardware adapter:
  // a software adapter (SwiftShader, lavapipe) is slower than any CPU backend.
  const webgpu = loadWebGPUBackend();
  if ('backend' in webgpu && webgpu.backend.device?.fallbackAdapter === false) return webgpu.backend;
  const reasons: string[] = [];
  for (const name of DEFAULT_ORDER) {
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

/** The name of the active backend: "native", "wasm", "webgpu" or "reference". */
export function backend(): string {
  return current().name;
}

/** One line describing the active backend (SIMD level, threads; the GPU adapter of webgpu). */
export function backendInfo(): string {
  return current().describe();
}

/**
 * Makes `name` the active backend; throws naming the reason when it cannot be loaded here. Backends that
 * set up asynchronously (webgpu; wasm in a browser) must be loaded first: `await setBackendAsync(name)`.
 */
export function setBackend(name: BackendName): void {
  if (!isBackendName(name)) {
    throw new ValueError(`setBackend: argument 'name' expected one of ${BACKEND_NAMES.join(', ')}, received ${describe(name)}`);
  }
  const loaded = load(name);
  if ('error' in loaded) throw new ValueError(`setBackend: the ${name} backend is not available (${loaded.error})`);
  activate(loaded.backend);
}

/**
 * Loads what `name` needs asynchronously (the WebGPU adapter and device; the wasm kernels in a browser),
 * then makes it the active backend. Throws naming the reason when it is not available here.
 */
export async function setBackendAsync(name: BackendName): Promise<void> {
  if (!isBackendName(name)) {
    throw new ValueError(`setBackendAsync: argument 'name' expected one of ${BACKEND_NAMES.join(', ')}, received ${describe(name)}`);
  }
  if (name === 'webgpu') await preloadWebGPU();
  if (name === 'wasm') await preloadWasmKernels();
  setBackend(name);
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

/** The kernels that compute on arrays of `dtype` (as ops call them: arrays may live on a device). */
export function kernelsFor(dtype: DType): Dispatch {
  current();
  return dtype === 'float32' ? floatKernels : otherKernels;
}

/**
 * Storage for a new tensor that JavaScript code fills: the active backend's memory for float32 where it
 * has its own, else the heap (kernel outputs come from `allocOutput` instead). `shape`, when given, names
 * the tensor in the error a failed allocation throws.
 */
export function alloc(dtype: DType, length: number, shape?: readonly number[]): TypedArray {
  const b = current();
  try {
    const array = dtype === 'float32' && b.alloc ? b.alloc(dtype, length) : heapArray(dtype, length);
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

/**
 * Storage for the output of a kernel: on a device backend, an array the kernel that writes it places (on
 * the device, or on the host where the kernel runs there); elsewhere what `alloc` gives. `shape`, when
 * given, names the tensor in the error a failed allocation throws.
 */
export function allocOutput(dtype: DType, length: number, shape?: readonly number[]): TensorStorage {
  const device = current().device;
  if (device === undefined) return alloc(dtype, length, shape);
  const array = device.output(dtype, length);
  allocationLog?.push(array);
  return array;
}

/** As many elements as one tensor of the native and wasm backends holds; arrays on the heap keep to it too. */
const MAX_HEAP_ELEMENTS = 2 ** 30;

/**
 * A typed array on the JavaScript heap. V8 would hand out up to 2^32 elements (16 GiB of float32) and then
 * take minutes to fill them; one limit for every backend keeps a program's behaviour the same on each.
 */
function heapArray(dtype: DType, length: number): TypedArray {
  if (length > MAX_HEAP_ELEMENTS) throw new RangeError('a tensor holds at most 2^30 elements on every backend; split the work (a smaller batchSize, fewer units or filters)');
  return smallOrNewArray(dtype, length);
}

const BYTES_PER_ELEMENT: Record<DType, number> = { float32: 4, float64: 8, int32: 4, bool: 1 };

let allocationLog: TensorStorage[] | null = null;

/** Makes `alloc` and `allocOutput` append every array they hand out to `log` (null stops); returns the previous log. */
export function logAllocations(log: TensorStorage[] | null): TensorStorage[] | null {
  const previous = allocationLog;
  allocationLog = log;
  return previous;
}

/**
 * Hands an array back to the backend that allocated it, before the garbage collector would. Only for
 * arrays the library knows nothing can reach any more (see the autodiff tape); the backend detaches or
 * forgets it. Backends without their own memory ignore this.
 */
export function release(array: TensorStorage): void {
  current().release?.(array);
}

/**
 * The storage a tensor holding `array` keeps once it reaches a kernel: on a device backend a DeviceArray
 * that keeps `array` as its host copy and adds the device's (so data is uploaded once, not per use);
 * elsewhere `array` itself.
 */
export function adopt(array: TypedArray): TensorStorage {
  const device = active?.device;
  return device === undefined ? array : device.adopt(array);
}

/** Waits until the values of these arrays are readable on the host (device arrays are read back in one round trip). */
export async function download(arrays: readonly TensorStorage[]): Promise<void> {
  const onDevice = arrays.filter((a): a is DeviceArray => a instanceof DeviceArray && a.host() === null);
  if (onDevice.length === 0) return;
  const device = current().device;
  if (device === undefined) {
    await Promise.all(onDevice.map((a) => a.read()));
    return;
  }
  await device.download(onDevice);
}

/** Whether any of these arrays holds values that only a device has (JavaScript must wait to read them). */
export function onDevice(arrays: readonly TensorStorage[]): boolean {
  return arrays.some((a) => a instanceof DeviceArray && a.host() === null);
}

/**
 * Runs `fn` with every kernel on the CPU, reading device arrays through their host copies (`download`
 * them first). For the library's synchronous readers of tensors (metrics) while a device backend is
 * active; elsewhere it just runs `fn`.
 */
export function onHost<T>(fn: () => T): T {
  const device = active?.device;
  return device === undefined ? fn() : device.onHost(fn);
}

// LAYERWISE_BACKEND=webgpu: the device is set up (asynchronously) while the library loads, so that the
// first op finds it; where it cannot be, the first op reports why (chooseDefault).
if (typeof process === 'object' && process.env['LAYERWISE_BACKEND'] === 'webgpu') await preloadWebGPU().catch(() => {});
