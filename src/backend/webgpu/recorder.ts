/// <reference types="@webgpu/types" />
/**
 * Recording GPU work without waiting for it. Kernel calls are recorded into one command encoder (one
 * compute pass while only dispatches follow each other); the encoder is submitted as one command buffer
 * when JavaScript next waits (a microtask after the first command: the end of a synchronous run of ops,
 * such as a whole training step), when something is read back, or before CPU work that needs the GPU's
 * results. Nothing here waits for the GPU except reads, which return promises.
 *
 * Ordering. Writes from JavaScript (`queue.writeBuffer`) run on the queue before any command buffer
 * submitted after them, but ahead of commands recorded earlier and not yet submitted. So:
 * - each dispatch's parameters and the bytes of uploads are gathered in arenas (JavaScript memory, one
 *   GPU buffer each) that are written just before their segment is submitted, and uploads reach their
 *   tensors through copies recorded in order;
 * - an upload goes straight to its tensor's buffer only when no unsubmitted command uses that buffer.
 *
 * CPU work on GPU results (a kernel without a WGSL version, applied to tensors only the GPU holds) is a
 * host task: the segment recorded so far is closed, the task waits for its reads and computes on the
 * CPU, writes its results back, and the segments recorded meanwhile are submitted after it, in order.
 */
import type { DType, TypedArray } from '../../util/dtype.js';
import { LayerwiseError } from '../../util/errors.js';
import { classBytes, sizeClass } from '../wasm/size-classes.js';
import { COMPUTE_STAGE, MAP_READ, USAGE } from './gpu.js';
import type { PooledBuffer } from './memory.js';

/** Bytes of one dispatch's parameters: 64 32-bit words (the uniform's `array<vec4<u32>, 16>`). */
export const PARAM_BYTES = 256;
const PARAM_CHUNK_BYTES = 256 * PARAM_BYTES;
const UPLOAD_CHUNK_BYTES = 4 * 1024 * 1024;
/** A segment is submitted on its own once it holds this many dispatches (long synchronous loops keep the GPU busy). */
const MAX_DISPATCHES_PER_SEGMENT = 4096;

/** An array as a kernel's shader binds it. `bytes` may be less than the buffer (pooled buffers come in size classes). */
export interface Binding {
  readonly buffer: PooledBuffer;
  readonly bytes: number;
}

/** How a shader uses each binding, in order (the parameters' uniform comes after them). */
export type Access = 'read' | 'write';

export interface Shader {
  /** Identifies the code: pipelines are compiled once per key. */
  readonly key: string;
  readonly access: readonly Access[];
  /** The WGSL source, generated only the first time the key is seen. */
  code(): string;
}

/** One dispatch's parameters: 64 words read in WGSL as P(i) (u32), I(i) (i32) and F(i) (f32). */
export interface Params {
  u32(at: number, value: number): void;
  i32(at: number, value: number): void;
  f32(at: number, value: number): void;
  /** `values` padded with `fill` to `count` words, from word `at`. */
  u32s(at: number, values: readonly number[], count: number, fill?: number): void;
}

export interface RecorderStats {
  /** Command buffers submitted. */
  submits: number;
  dispatches: number;
  /** Writes from JavaScript to tensors (uploads) and their bytes. */
  uploads: number;
  uploadBytes: number;
  /** Reads back to JavaScript and their bytes. */
  downloads: number;
  downloadBytes: number;
  /** Pipelines compiled. */
  pipelines: number;
}

interface Chunk {
  readonly gpu: GPUBuffer;
  readonly data: ArrayBuffer;
  /** Parameter chunks and standard upload chunks are reused; an upload bigger than a chunk gets its own, destroyed after use. */
  readonly spare: Chunk[] | null;
  used: number;
}

/** A copy recorded for reading back. */
export interface ReadHandle {
  readonly staging: GPUBuffer;
  readonly size: number;
}

type Entry =
  | { kind: 'submit'; cmd: GPUCommandBuffer; chunks: Chunk[]; segment: number; done: () => void }
  | { kind: 'task'; run: () => Promise<void>; done: () => void };

interface Compiled {
  readonly pipeline: GPUComputePipeline;
  readonly layout: GPUBindGroupLayout;
}

function roundUp4(n: number): number {
  return Math.max(4, Math.ceil(n / 4) * 4);
}

export class Recorder {
  readonly #device: GPUDevice;
  readonly #compiled = new Map<string, Compiled>();
  readonly #layouts = new Map<string, GPUBindGroupLayout>();
  #segment = 0;
  #submittedThrough = -1;
  #encoder: GPUCommandEncoder | null = null;
  #pass: GPUComputePassEncoder | null = null;
  #dispatches = 0;
  #chunks: Chunk[] = [];
  #param: Chunk | null = null;
  #upload: Chunk | null = null;
  readonly #spareParams: Chunk[] = [];
  readonly #spareUploads: Chunk[] = [];
  readonly #readbacks: GPUBuffer[][] = [];
  #flushQueued = false;
  readonly #pending: Entry[] = [];
  #pumping = false;
  #failure: Error | null = null;
  readonly #errors: string[] = [];
  readonly stats: RecorderStats = { submits: 0, dispatches: 0, uploads: 0, uploadBytes: 0, downloads: 0, downloadBytes: 0, pipelines: 0 };

  constructor(device: GPUDevice) {
    this.#device = device;
    device.addEventListener('uncapturederror', (e) => {
      const error = (e as GPUUncapturedErrorEvent).error;
      if (this.#errors.length < 8) this.#errors.push(error.message);
    });
  }

  /** The first errors the device reported (validation, out of memory), for messages. */
  get errors(): readonly string[] {
    return this.#errors;
  }

  /** Records a dispatch of `shader` over `bindings` (null for an absent optional array). */
  dispatch(shader: Shader, bindings: readonly (Binding | null)[], params: (p: Params) => void, groups: readonly [number, number, number]): void {
    if (groups[0] === 0 || groups[1] === 0 || groups[2] === 0) return;
    const { pipeline, layout } = this.#pipeline(shader);
    const slot = this.#paramSlot();
    params(slot.writer);
    const entries: GPUBindGroupEntry[] = [];
    bindings.forEach((b, i) => {
      // An absent optional array binds a tiny placeholder the shader does not read (it is told by a parameter).
      const bound = b ?? this.#placeholder();
      bound.buffer.lastSegment = this.#segment;
      entries.push({ binding: i, resource: { buffer: bound.buffer.buffer, offset: 0, size: roundUp4(bound.bytes) } });
    });
    entries.push({ binding: bindings.length, resource: { buffer: slot.chunk.gpu, offset: slot.offset, size: PARAM_BYTES } });
    const group = this.#device.createBindGroup({ layout, entries });
    const pass = this.#computePass();
    pass.setPipeline(pipeline);
    pass.setBindGroup(0, group);
    pass.dispatchWorkgroups(groups[0], groups[1], groups[2]);
    this.stats.dispatches++;
    if (++this.#dispatches >= MAX_DISPATCHES_PER_SEGMENT) this.flush();
  }

  /** Marks `b` as used by the open segment (a host task writes it later: nothing may write it sooner). */
  touch(b: Binding): void {
    b.buffer.lastSegment = this.#segment;
  }

  /** Records a copy between buffers (sizes and offsets in bytes, multiples of 4). */
  copy(src: Binding, srcOffset: number, dst: Binding, dstOffset: number, bytes: number): void {
    if (bytes === 0) return;
    src.buffer.lastSegment = dst.buffer.lastSegment = this.#segment;
    this.#commands().copyBufferToBuffer(src.buffer.buffer, srcOffset, dst.buffer.buffer, dstOffset, bytes);
  }

  /** Writes `values` (as the device stores `dtype`) to the start of `dst`. */
  upload(dst: Binding, values: TypedArray, dtype: DType): void {
    let data = deviceBytes(values, dtype);
    // The queue takes ArrayBuffers; a view of shared memory (the wasm heap) is copied first.
    if (!(data.buffer instanceof ArrayBuffer)) data = data.slice();
    if (data.byteLength === 0) return;
    this.stats.uploads++;
    this.stats.uploadBytes += data.byteLength;
    if (dst.buffer.lastSegment <= this.#submittedThrough) {
      // No unsubmitted command uses the buffer: the queue writes it before anything recorded later runs.
      this.#device.queue.writeBuffer(dst.buffer.buffer, 0, data.buffer, data.byteOffset, roundUp4(data.byteLength));
      return;
    }
    const bytes = roundUp4(data.byteLength);
    const chunk = this.#uploadChunk(bytes);
    new Uint8Array(chunk.data, chunk.used, data.byteLength).set(new Uint8Array(data.buffer, data.byteOffset, data.byteLength));
    const offset = chunk.used;
    chunk.used += bytes;
    dst.buffer.lastSegment = this.#segment;
    this.#commands().copyBufferToBuffer(chunk.gpu, offset, dst.buffer.buffer, 0, bytes);
  }

  /**
   * Records a copy of `src` for reading; `mapRead` gives its bytes once the copy is submitted (after
   * `settled()`, or inside a host task recorded after it). Copies recorded together share one submit.
   */
  readCopy(src: Binding, bytes: number): ReadHandle {
    const size = roundUp4(bytes);
    const staging = this.#readbackBuffer(size);
    this.#commands().copyBufferToBuffer(src.buffer.buffer, 0, staging, 0, size);
    src.buffer.lastSegment = this.#segment;
    this.stats.downloads++;
    this.stats.downloadBytes += bytes;
    return { staging, size };
  }

  /** The bytes of a recorded copy; the staging buffer goes back to its pool. */
  async mapRead(handle: ReadHandle): Promise<ArrayBuffer> {
    const { staging, size } = handle;
    try {
      await staging.mapAsync(MAP_READ, 0, size);
      const copy = staging.getMappedRange(0, size).slice(0);
      staging.unmap();
      (this.#readbacks[sizeClass(size)] ??= []).push(staging);
      return copy;
    } catch (e) {
      throw this.#failureOr(e);
    }
  }

  /**
   * Runs `task` (CPU work on GPU results) after everything recorded so far, and before everything
   * recorded after this call. The task reads (mapRead) the copies recorded before this call.
   */
  hostTask(task: () => Promise<void>): Promise<void> {
    this.#closeSegment();
    return new Promise((resolve, reject) => {
      this.#pending.push({
        kind: 'task',
        run: async () => {
          try {
            await task();
            resolve();
          } catch (e) {
            const error = e instanceof Error ? e : new Error(String(e));
            this.#failure ??= error;
            reject(error);
          }
        },
        done: () => {},
      });
      this.#drain();
    });
  }

  /** Submits what was recorded (through the queue of host tasks, when some are waiting). */
  flush(): void {
    this.#closeSegment();
    this.#drain();
  }

  /** Resolves once everything recorded so far has been submitted (and the host tasks before it have run). */
  settled(): Promise<void> {
    return new Promise((resolve) => {
      this.#closeSegment(resolve);
      this.#drain();
    });
  }

  /** Throws the first failure of a host task or the device, if any. */
  check(): void {
    if (this.#failure) throw this.#failure;
  }

  /** The error to report for a failed read: a host task's failure or the device's errors explain it best. */
  #failureOr(e: unknown): Error {
    if (this.#failure) return this.#failure;
    const detail = this.#errors.length > 0 ? `; the device reported: ${this.#errors.join('; ')}` : '';
    return new LayerwiseError(`webgpu: reading data back failed: ${e instanceof Error ? e.message : String(e)}${detail}`);
  }

  #commands(): GPUCommandEncoder {
    if (this.#pass !== null) {
      this.#pass.end();
      this.#pass = null;
    }
    return this.#openEncoder();
  }

  #computePass(): GPUComputePassEncoder {
    if (this.#pass === null) this.#pass = this.#openEncoder().beginComputePass();
    return this.#pass;
  }

  #openEncoder(): GPUCommandEncoder {
    if (this.#encoder === null) {
      this.#encoder = this.#device.createCommandEncoder();
      if (!this.#flushQueued) {
        this.#flushQueued = true;
        queueMicrotask(() => {
          this.#flushQueued = false;
          this.flush();
        });
      }
    }
    return this.#encoder;
  }

  /** Closes the open segment (if any) into a submit entry; `done` runs once it is submitted. */
  #closeSegment(done: () => void = () => {}): void {
    if (this.#encoder === null) {
      // Nothing recorded: done once what is queued before has run.
      this.#pending.push({ kind: 'task', run: async () => {}, done });
      return;
    }
    if (this.#pass !== null) {
      this.#pass.end();
      this.#pass = null;
    }
    const cmd = this.#encoder.finish();
    this.#encoder = null;
    const chunks = this.#chunks;
    this.#chunks = [];
    this.#param = null;
    this.#upload = null;
    this.#dispatches = 0;
    this.#pending.push({ kind: 'submit', cmd, chunks, segment: this.#segment, done });
    this.#segment++;
  }

  /** Submits queued segments in order; host tasks make it continue asynchronously. */
  #drain(): void {
    if (this.#pumping) return;
    while (this.#pending.length > 0) {
      const head = this.#pending[0]!;
      if (head.kind === 'task') {
        void this.#pump();
        return;
      }
      this.#pending.shift();
      this.#submit(head);
    }
  }

  async #pump(): Promise<void> {
    this.#pumping = true;
    try {
      while (this.#pending.length > 0) {
        const entry = this.#pending.shift()!;
        if (entry.kind === 'submit') this.#submit(entry);
        else {
          await entry.run();
          entry.done();
        }
      }
    } finally {
      this.#pumping = false;
    }
  }

  #submit(entry: Extract<Entry, { kind: 'submit' }>): void {
    const queue = this.#device.queue;
    for (const c of entry.chunks) if (c.used > 0) queue.writeBuffer(c.gpu, 0, c.data, 0, c.used);
    queue.submit([entry.cmd]);
    this.stats.submits++;
    this.#submittedThrough = entry.segment;
    for (const c of entry.chunks) {
      c.used = 0;
      if (c.spare) c.spare.push(c);
      else c.gpu.destroy();
    }
    entry.done();
  }

  #paramSlot(): { chunk: Chunk; offset: number; writer: Params } {
    let chunk = this.#param;
    if (chunk === null || chunk.used + PARAM_BYTES > chunk.data.byteLength) {
      chunk = this.#spareParams.pop() ?? this.#newChunk(PARAM_CHUNK_BYTES, USAGE.UNIFORM | USAGE.COPY_DST, this.#spareParams);
      this.#chunks.push(chunk);
      this.#param = chunk;
    }
    const offset = chunk.used;
    chunk.used += PARAM_BYTES;
    const u = new Uint32Array(chunk.data, offset, PARAM_BYTES / 4);
    const i = new Int32Array(chunk.data, offset, PARAM_BYTES / 4);
    const f = new Float32Array(chunk.data, offset, PARAM_BYTES / 4);
    u.fill(0);
    const writer: Params = {
      u32: (at, v) => void (u[at] = v),
      i32: (at, v) => void (i[at] = v),
      f32: (at, v) => void (f[at] = v),
      u32s: (at, values, count, fill = 0) => {
        for (let k = 0; k < count; k++) u[at + k] = k < values.length ? values[k]! : fill;
      },
    };
    return { chunk, offset, writer };
  }

  #uploadChunk(bytes: number): Chunk {
    let chunk = this.#upload;
    if (chunk !== null && chunk.used + bytes <= chunk.data.byteLength) return chunk;
    const usage = USAGE.COPY_SRC | USAGE.COPY_DST;
    chunk = bytes <= UPLOAD_CHUNK_BYTES ? (this.#spareUploads.pop() ?? this.#newChunk(UPLOAD_CHUNK_BYTES, usage, this.#spareUploads)) : this.#newChunk(bytes, usage, null);
    this.#chunks.push(chunk);
    this.#upload = chunk;
    return chunk;
  }

  #newChunk(bytes: number, usage: number, spare: Chunk[] | null): Chunk {
    return { gpu: this.#device.createBuffer({ size: bytes, usage }), data: new ArrayBuffer(bytes), spare, used: 0 };
  }

  #readbackBuffer(bytes: number): GPUBuffer {
    const cls = sizeClass(bytes);
    return this.#readbacks[cls]?.pop() ?? this.#device.createBuffer({ size: classBytes(cls), usage: USAGE.MAP_READ | USAGE.COPY_DST });
  }

  #placeholderBinding: Binding | null = null;
  #placeholder(): Binding {
    if (this.#placeholderBinding === null) {
      const buffer = this.#device.createBuffer({ size: 16, usage: USAGE.STORAGE });
      this.#placeholderBinding = { buffer: { buffer, bytes: 16, sizeClass: -1, lastSegment: -1 }, bytes: 16 };
    }
    return this.#placeholderBinding;
  }

  #pipeline(shader: Shader): Compiled {
    const known = this.#compiled.get(shader.key);
    if (known) return known;
    const signature = shader.access.join(',');
    let layout = this.#layouts.get(signature);
    if (layout === undefined) {
      const entries: GPUBindGroupLayoutEntry[] = shader.access.map((a, i) => ({
        binding: i,
        visibility: COMPUTE_STAGE,
        buffer: { type: a === 'read' ? 'read-only-storage' : 'storage' },
      }));
      entries.push({ binding: shader.access.length, visibility: COMPUTE_STAGE, buffer: { type: 'uniform' } });
      layout = this.#device.createBindGroupLayout({ entries });
      this.#layouts.set(signature, layout);
    }
    const module = this.#device.createShaderModule({ code: shader.code(), label: shader.key });
    const pipeline = this.#device.createComputePipeline({
      layout: this.#device.createPipelineLayout({ bindGroupLayouts: [layout] }),
      compute: { module, entryPoint: 'main' },
      label: shader.key,
    });
    const compiled = { pipeline, layout };
    this.#compiled.set(shader.key, compiled);
    this.stats.pipelines++;
    return compiled;
  }
}

/** The bytes the device holds for `values`: 32 bits per element (bool as a u32 of 0 or 1). */
export function deviceBytes(values: TypedArray, dtype: DType): Uint8Array {
  if (dtype === 'bool') {
    const words = new Uint32Array(values.length);
    for (let i = 0; i < values.length; i++) words[i] = values[i] !== 0 ? 1 : 0;
    return new Uint8Array(words.buffer);
  }
  return new Uint8Array(values.buffer, values.byteOffset, values.byteLength);
}

/** Host values of `dtype` from the bytes the device held. */
export function hostValues(bytes: ArrayBuffer, dtype: DType, length: number): TypedArray {
  switch (dtype) {
    case 'float32':
      return new Float32Array(bytes, 0, length);
    case 'int32':
      return new Int32Array(bytes, 0, length);
    case 'bool': {
      const words = new Uint32Array(bytes, 0, length);
      const out = new Uint8Array(length);
      for (let i = 0; i < length; i++) out[i] = words[i] !== 0 ? 1 : 0;
      return out;
    }
    case 'float64':
      throw new LayerwiseError('webgpu: float64 values never live on the device');
    default:
      return dtype satisfies never;
  }
}
