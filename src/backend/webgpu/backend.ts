/// <reference types="@webgpu/types" />
/**
 * The WebGPU backend: where each kernel call runs, and the data it moves.
 *
 * Placement. A call runs on the GPU when a WGSL compute function takes it (kernels/) and none of its
 * outputs is a plain typed array (JavaScript fills those and reads them at once: tensors being created,
 * batches being gathered). Inputs held in JavaScript are uploaded first and keep their GPU copy. Every
 * other call runs on the CPU (the best CPU backend for float32, the reference for other dtypes), reading
 * host copies; a call whose output is GPU storage but that runs on the CPU is a fallback, and counted.
 * When a fallback's inputs exist only on the GPU, it becomes a host task: it runs once the GPU has
 * produced them, in order with the rest of the work, and nothing waits for it synchronously.
 *
 * Memory. Tensor storage is a GpuArray: a pooled buffer (returned when the tensor is collected or
 * released by the tape) and/or a host copy. See gpu-array.ts, memory.ts and recorder.ts.
 */
import type { DType, TypedArray } from '../../util/dtype.js';
import { dtypeOf, newArray } from '../../util/dtype.js';
import { LayerwiseError } from '../../util/errors.js';
import type { TensorStorage } from '../device-array.js';
import { DeviceArray, notOnHost } from '../device-array.js';
import type { ArraySpec } from '../kernel-spec.js';
import { KERNELS, KERNEL_NAMES } from '../kernel-table.js';
import type { Backend, DeviceBackend, Dispatch, DispatchArgs, KernelArgs, KernelName, Kernels } from '../kernels.js';
import type { Gpu } from './gpu.js';
import { GpuArray } from './gpu-array.js';
import type { GpuArrayOwner } from './gpu-array.js';
import type { GpuArgs, GpuContext, GpuKernel, GpuKernels, GpuTensor } from './kernel.js';
import { dtypeOfArray } from './kernel.js';
import type { MemoryStats } from './memory.js';
import { BufferPool } from './memory.js';
import type { RecorderStats } from './recorder.js';
import { Recorder, deviceBytes, hostValues } from './recorder.js';

export interface WebGPUStats extends RecorderStats, MemoryStats {
  /** Calls whose output is GPU storage that ran on the CPU (a kernel or dtype without WGSL), by kernel. */
  fallbacks: Readonly<Record<string, number>>;
  /** Bytes those calls moved between GPU and host. */
  fallbackBytes: number;
}

export interface WebGPUBackend extends Backend {
  readonly device: DeviceBackend;
  /** Counters since the backend was created: submits, dispatches, copies, fallbacks, memory. */
  stats(): WebGPUStats;
  /** Forces a collection (where the host allows) so that dead tensors' buffers return to the pool now. */
  reclaimMemory(): void;
  /** Waits until the GPU has run everything recorded so far (for benchmarks and tests). */
  sync(): Promise<void>;
  /** Whether a call goes to the GPU with these compute functions (for tests: which calls must not fall back). */
  takes(kernels: GpuKernels, name: KernelName, args: Readonly<Record<string, unknown>>): boolean;
  /** Storage holding `values` on the GPU only, as a kernel's output would (for tests and benchmarks). */
  upload(values: TypedArray): DeviceArray;
}

/** The array operands of each kernel, by name, with how the kernel uses them. */
const ARRAYS = Object.fromEntries(
  KERNEL_NAMES.map((name) => [name, Object.entries(KERNELS[name].operands).filter((e): e is [string, ArraySpec] => e[1].kind === 'array')]),
) as Record<KernelName, [string, ArraySpec][]>;

type ArrayValue = TypedArray | DeviceArray;

/** Each array of a call (lists flattened) with its access. */
function arraysOf(name: KernelName, args: Readonly<Record<string, unknown>>): { value: ArrayValue; access: ArraySpec['access'] }[] {
  const out: { value: ArrayValue; access: ArraySpec['access'] }[] = [];
  for (const [operand, spec] of ARRAYS[name]) {
    const v = args[operand];
    if (Array.isArray(v)) for (const a of v as ArrayValue[]) out.push({ value: a, access: spec.access });
    else if (v !== null && v !== undefined) out.push({ value: v as ArrayValue, access: spec.access });
  }
  return out;
}

/** A copy of a call's arguments with each array replaced by `f(array, access)`. */
function mapArrays(name: KernelName, args: Readonly<Record<string, unknown>>, f: (a: ArrayValue, access: ArraySpec['access']) => unknown): Record<string, unknown> {
  const copy: Record<string, unknown> = { ...args };
  for (const [operand, spec] of ARRAYS[name]) {
    const v = args[operand];
    if (Array.isArray(v)) copy[operand] = (v as ArrayValue[]).map((a) => f(a, spec.access));
    else if (v !== null && v !== undefined) copy[operand] = f(v as ArrayValue, spec.access);
  }
  return copy;
}

export function createWebGPUBackend(gpu: Gpu, kernels: GpuKernels): WebGPUBackend {
  const { device } = gpu;
  const pool = new BufferPool(device);
  const recorder = new Recorder(device);
  const fallbacks: Record<string, number> = {};
  let fallbackBytes = 0;
  let hostDepth = 0;

  const owner: GpuArrayOwner = {
    readValues: async (array) => (await download([array]))[0]!,
    dropGpu: (array) => {
      pool.release(array.cell);
      array.onGpu = false;
    },
  };

  function newArray32(dtype: DType, length: number, host: TypedArray | null): GpuArray {
    const a = new GpuArray(owner, dtype, length, host);
    pool.watch(a, a.cell);
    return a;
  }

  /** `a`'s buffer, taken from the pool when it has none. */
  function bufferOf(a: GpuArray): GpuTensor {
    const buffer = (a.cell.buffer ??= pool.take(a.bytes));
    return { buffer, bytes: a.bytes, dtype: a.dtype, length: a.length };
  }

  /** `a` on the GPU with its current values (uploaded from the host copy when the GPU has none). */
  function onGpu(a: GpuArray): GpuTensor {
    const t = bufferOf(a);
    if (!a.onGpu) {
      const host = a.host();
      if (host === null) throw new LayerwiseError(`webgpu: internal: an array with no values was read (length ${a.length})`);
      recorder.upload(t, host, a.dtype);
      a.onGpu = true;
    }
    return t;
  }

  /** The current values of `arrays` (a snapshot), read back in one round trip; each becomes its array's host copy unless written since. */
  async function download(arrays: readonly GpuArray[]): Promise<TypedArray[]> {
    const reads = arrays.map((a) => {
      const host = a.host();
      if (host !== null) return { a, host, handle: null, version: a.version };
      if (!a.onGpu) throw new LayerwiseError(`webgpu: internal: an array with no values was read (length ${a.length})`);
      return { a, host: null, handle: recorder.readCopy(bufferOf(a), a.bytes), version: a.version };
    });
    const errorsBefore = recorder.errors.length;
    await recorder.settled();
    recorder.check();
    const values = await Promise.all(
      reads.map(async (r) => {
        if (r.handle === null) return r.host!;
        const v = hostValues(await recorder.mapRead(r.handle), r.a.dtype, r.a.length);
        if (r.a.version === r.version && r.a.onGpu) r.a.setHost(v);
        return v;
      }),
    );
    if (recorder.errors.length > errorsBefore || (errorsBefore > 0 && recorder.errors.length > 0)) {
      throw new LayerwiseError(`webgpu: the device reported errors, so results may be wrong: ${recorder.errors.join('; ')}`);
    }
    return values;
  }

  const context: GpuContext = {
    limits: device.limits,
    dispatch: (s, bindings, params, groups) => recorder.dispatch(s, bindings, params, groups),
    copy: (src, srcOffset, dst, dstOffset, bytes) => recorder.copy(src, srcOffset, dst, dstOffset, bytes),
  };

  /** Whether the GPU can take this call at all: no typed array to fill now, no float64. */
  function placeable(name: KernelName, args: Readonly<Record<string, unknown>>): boolean {
    for (const { value, access } of arraysOf(name, args)) {
      if (!(value instanceof DeviceArray)) {
        if (access !== 'in' || value instanceof Float64Array) return false;
      } else if (!(value instanceof GpuArray)) return false;
    }
    return true;
  }

  function runOnGpu<K extends KernelName>(name: K, kernel: GpuKernel<K>, args: DispatchArgs<K>): void {
    const temporaries: GpuArray[] = [];
    const written: GpuArray[] = [];
    const gpuArgs = mapArrays(name, args, (a, access) => {
      if (a instanceof GpuArray) {
        if (access !== 'in') written.push(a);
        return access === 'out' ? bufferOf(a) : onGpu(a);
      }
      // A typed array given directly (indices of a batch): uploaded for this call only.
      const t = newArray32(dtypeOf(a as TypedArray), a.length, a as TypedArray);
      temporaries.push(t);
      return onGpu(t);
    }) as GpuArgs<K>;
    kernel.run(context, gpuArgs);
    for (const a of written) {
      a.onGpu = true;
      a.version++;
      a.setHost(null);
    }
    // Later commands that reuse these buffers are recorded after this one, so they may go back at once.
    for (const t of temporaries) pool.release(t.cell);
  }

  function countFallback(name: KernelName, bytes: number): void {
    fallbacks[name] = (fallbacks[name] ?? 0) + 1;
    fallbackBytes += bytes;
  }

  function runOnCpu<K extends KernelName>(name: K, args: DispatchArgs<K>, cpu: (dtype: DType) => Kernels): void {
    const arrays = arraysOf(name, args);
    const first = arrays[0]?.value;
    const kernel: (a: KernelArgs<K>) => void = cpu(first === undefined ? 'float32' : dtypeOfArray(first))[name];
    const gpuOutput = arrays.some(({ value, access }) => access !== 'in' && value instanceof GpuArray);
    const waiting = arrays.filter(({ value }) => value instanceof GpuArray && value.host() === null && (value.onGpu || false));
    const needsGpu = waiting.some(({ access }) => access !== 'out');
    if (!needsGpu) {
      // Every input is readable here: compute now; GPU outputs get fresh host values (their GPU copy is dropped).
      let moved = 0;
      const hostArgs = mapArrays(name, args, (a, access) => {
        if (!(a instanceof GpuArray)) return a;
        if (access === 'in') return a.host();
        moved += a.bytes;
        if (access === 'inout') return a.hostForWrite();
        const fresh = newArray(a.dtype, a.length);
        if (a.cell.buffer !== null) owner.dropGpu(a);
        a.setHost(fresh);
        a.version++;
        return fresh;
      }) as KernelArgs<K>;
      kernel(hostArgs);
      if (gpuOutput && hostDepth === 0) countFallback(name, moved);
      return;
    }
    if (hostDepth > 0) {
      const a = waiting.find(({ access }) => access !== 'out')!.value as GpuArray;
      throw notOnHost(`kernel ${name} (computing on the host)`, a);
    }
    if (!gpuOutput) {
      // A typed array to fill now from values only the GPU has: impossible without waiting.
      const a = waiting.find(({ access }) => access !== 'out')!.value as GpuArray;
      throw notOnHost(`kernel ${name}`, a);
    }
    hostTask(name, args, kernel);
  }

  /** A fallback on values only the GPU has: queued after the work that makes them, before the work that uses its results. */
  function hostTask<K extends KernelName>(name: K, args: DispatchArgs<K>, kernel: (a: KernelArgs<K>) => void): void {
    const reads = new Map<GpuArray, ReturnType<Recorder['readCopy']>>();
    const outputs: { a: GpuArray; t: GpuTensor; version: number }[] = [];
    let moved = 0;
    for (const { value, access } of arraysOf(name, args)) {
      if (!(value instanceof GpuArray)) continue;
      if (access !== 'out' && value.host() === null && !reads.has(value)) {
        reads.set(value, recorder.readCopy(bufferOf(value), value.bytes));
        moved += value.bytes;
      }
    }
    for (const { value, access } of arraysOf(name, args)) {
      if (!(value instanceof GpuArray) || access === 'in') continue;
      const t = bufferOf(value);
      recorder.touch(t);
      value.onGpu = true;
      value.version++;
      value.setHost(null);
      outputs.push({ a: value, t, version: value.version });
      moved += value.bytes;
    }
    countFallback(name, moved);
    const task = recorder.hostTask(async () => {
      const values = new Map<GpuArray, TypedArray>();
      for (const [a, handle] of reads) values.set(a, hostValues(await recorder.mapRead(handle), a.dtype, a.length));
      const hostArgs = mapArrays(name, args, (a, access) => {
        if (!(a instanceof GpuArray)) return a;
        const known = values.get(a) ?? a.host();
        if (access === 'in') return known;
        const v = access === 'inout' && known !== null ? known.slice() : newArray(a.dtype, a.length);
        values.set(a, v);
        return v;
      }) as KernelArgs<K>;
      kernel(hostArgs);
      for (const { a, t, version } of outputs) {
        const v = values.get(a)!;
        device.queue.writeBuffer(t.buffer.buffer, 0, deviceBytes(v, a.dtype));
        if (a.version === version) a.setHost(v);
      }
    });
    // A failure is kept by the recorder and reported by the next read.
    task.catch(() => {});
  }

  function dispatch(cpu: (dtype: DType) => Kernels): Dispatch {
    const bind = <K extends KernelName>(name: K): Dispatch[K] => {
      const kernel = kernels[name] as GpuKernel<K> | undefined;
      return (args: DispatchArgs<K>) => {
        if (hostDepth === 0 && kernel !== undefined && takes(name, kernel, args)) {
          runOnGpu(name, kernel!, args);
        } else {
          runOnCpu(name, args, cpu);
        }
      };
    };
    return Object.fromEntries(KERNEL_NAMES.map((name) => [name, bind(name)])) as Dispatch;
  }

  function takes<K extends KernelName>(name: K, kernel: GpuKernel<K> | undefined, args: DispatchArgs<K>): boolean {
    const given: Readonly<Record<string, unknown>> = args;
    return kernel !== undefined && placeable(name, given) && (kernel.accepts ? kernel.accepts(args, device.limits) : allFloat32(name, given));
  }

  function allFloat32(name: KernelName, args: Readonly<Record<string, unknown>>): boolean {
    return arraysOf(name, args).every(({ value }) => dtypeOfArray(value) === 'float32');
  }

  const deviceBackend: DeviceBackend = {
    fallbackAdapter: gpu.adapter.fallback,
    dispatch,
    output: (dtype, length): TensorStorage => (dtype === 'float64' ? newArray(dtype, length) : newArray32(dtype, length, null)),
    adopt: (array) => (array instanceof Float64Array ? array : newArray32(dtypeOf(array), array.length, array)),
    download: async (arrays) => {
      await download(arrays.filter((a): a is GpuArray => a instanceof GpuArray));
    },
    onHost<T>(fn: () => T): T {
      hostDepth++;
      try {
        return fn();
      } finally {
        hostDepth--;
      }
    },
  };

  return {
    name: 'webgpu',
    kernels: {},
    device: deviceBackend,
    release(array) {
      if (array instanceof GpuArray) {
        pool.release(array.cell);
        array.onGpu = false;
      }
    },
    describe: () => {
      const errors = recorder.errors.length > 0 ? `; device errors: ${recorder.errors.join('; ')}` : '';
      return `webgpu (${gpu.adapter.description}${gpu.adapter.fallback ? ', a software fallback adapter' : ''}${errors})`;
    },
    stats: () => ({ ...recorder.stats, ...pool.stats(), fallbacks: { ...fallbacks }, fallbackBytes }),
    reclaimMemory: () => pool.reclaim(),
    takes: (fns, name, args) => takes(name, fns[name] as GpuKernel<typeof name> | undefined, args as DispatchArgs<typeof name>),
    upload(values) {
      const a = newArray32(dtypeOf(values), values.length, values);
      onGpu(a);
      a.setHost(null);
      return a;
    },
    sync: async () => {
      const marker = newArray32('float32', 1, null);
      kernels.fill?.run(context, { out: bufferOf(marker), value: 0 });
      marker.onGpu = true;
      await download([marker]);
    },
  };
}
