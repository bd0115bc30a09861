/** Instantiates the kernels module over a memory and checks that it exports every kernel. */
import type { KernelFunctions, WasmFunction } from './codes.js';
import { KERNEL_EXPORTS } from './codes.js';
import type { WasmMemory, WasmModule } from './wasm-api.js';
import { wasmApi } from './wasm-api.js';

function isWasmFunction(v: unknown): v is WasmFunction {
  return typeof v === 'function';
}

export function bindKernels(module: WasmModule, memory: WasmMemory): KernelFunctions {
  const api = wasmApi();
  if (!api) throw new Error('WebAssembly is not available in this thread');
  const { exports } = new api.Instance(module, { env: { memory } });
  const bound: Partial<KernelFunctions> = {};
  for (const name of KERNEL_EXPORTS) {
    const fn = exports[name];
    if (!isWasmFunction(fn)) throw new Error(`the kernels module does not export ${name}; rebuild it with npm run build:wasm`);
    bound[name] = fn;
  }
  return bound as KernelFunctions;
}
