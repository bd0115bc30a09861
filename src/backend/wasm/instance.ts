/**
 * Instantiates the kernels module over a memory: its utilities (a fixed interface) and its kernels, one
 * per kernel of the table that wasm/assembly/*.ts defines, indexed like `names` (the table's
 * KERNEL_NAMES) so that every thread finds a kernel by the same number. Worker threads get the names from
 * the calling thread, which keeps the kernel table out of the worker script.
 */
import type { WasmMemory, WasmModule } from './wasm-api.js';
import { wasmApi } from './wasm-api.js';

/** A kernel export: (address of its Args record, start, end, address of the thread's scratch). */
export type WasmKernel = (args: number, start: number, end: number, scratch: number) => void;

/** What the JavaScript side calls besides kernels (wasm/assembly/index.ts). */
export interface WasmUtilities {
  heapBase(): number;
  /** The number of Args fields whose offsets differ from what the generated glue writes (0 when in step). */
  argsLayout(): number;
  gemmScratchBytes(): number;
  backpropFilterScratchBytes(kH: number, kW: number, inC: number, outC: number): number;
  backpropInputScratchBytes(kH: number, kW: number, inC: number): number;
  expressionScratchBytes(): number;
  reduceWorkBytes(inner: number): number;
  fillRange(address: number, value: number, start: number, end: number): void;
  addInto(dst: number, src: number, start: number, end: number): void;
}

export interface WasmInstance {
  readonly utilities: WasmUtilities;
  /** By kernel index (KERNEL_NAMES); undefined where the module has no compute function for it. */
  readonly kernels: readonly (WasmKernel | undefined)[];
}

function isFunction(v: unknown): v is (...args: number[]) => number {
  return typeof v === 'function';
}

export function instantiate(module: WasmModule, memory: WasmMemory, names: readonly string[]): WasmInstance {
  const api = wasmApi();
  if (!api) throw new Error('WebAssembly is not available in this thread');
  const { exports } = new api.Instance(module, { env: { memory } });
  const get = (name: keyof WasmUtilities): ((...args: number[]) => number) => {
    const fn = exports[name];
    if (!isFunction(fn)) throw new Error(`the kernels module does not export ${name}; rebuild it with npm run build:wasm`);
    return fn;
  };
  const utilities: WasmUtilities = {
    heapBase: get('heapBase'),
    argsLayout: get('argsLayout'),
    gemmScratchBytes: get('gemmScratchBytes'),
    backpropFilterScratchBytes: get('backpropFilterScratchBytes'),
    backpropInputScratchBytes: get('backpropInputScratchBytes'),
    expressionScratchBytes: get('expressionScratchBytes'),
    reduceWorkBytes: get('reduceWorkBytes'),
    fillRange: get('fillRange'),
    addInto: get('addInto'),
  };
  const kernels = names.map((name): WasmKernel | undefined => {
    const fn = exports[name];
    return isFunction(fn) ? fn : undefined;
  });
  return { utilities, kernels };
}
