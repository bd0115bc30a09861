/**
 * The WebGPU backend under test. Machines without a GPU get an adapter from a software Vulkan driver:
 * SwiftShader, which Debian's chromium package ships (Dawn needs the Vulkan loader, libvulkan1). The
 * parity suite (test/kernels.test.ts) runs every kernel twice: with the WGSL kernels, and with none, so
 * that every call falls back to the CPU as a host task on values only the GPU holds.
 */
import { existsSync } from 'node:fs';
import type { TypedArray } from '../../util/dtype.js';
import type { DeviceVariant } from '../testing.js';
import type { WebGPUBackend } from './backend.js';
import { createWebGPUBackend } from './backend.js';
import { preloadWebGPU, webgpuBackend, webgpuDevice } from './index.js';
import { WGSL_KERNELS } from './kernels/index.js';
import { referenceKernels } from '../reference/index.js';
import type { GpuKernels } from './kernel.js';

/** The SwiftShader Vulkan driver of Debian's chromium package. */
export const SWIFTSHADER_ICD = '/usr/lib/chromium/vk_swiftshader_icd.json';

let prepared: Promise<string | false> | null = null;

/**
 * Sets up the backend once: with the machine's own adapter, else with SwiftShader where it is installed.
 * Resolves to false, or to the reason there is no WebGPU here (which a test prints when it skips).
 */
export function prepare(): Promise<string | false> {
  prepared ??= (async () => {
    try {
      await preloadWebGPU();
      return false;
    } catch (e) {
      const first = e instanceof Error ? e.message : String(e);
      if (process.env['VK_ICD_FILENAMES'] !== undefined || !existsSync(SWIFTSHADER_ICD)) return first;
      // The Vulkan loader reads this when Dawn creates its next instance.
      process.env['VK_ICD_FILENAMES'] = SWIFTSHADER_ICD;
      try {
        await preloadWebGPU();
        return false;
      } catch (again) {
        return `${first}; with SwiftShader: ${again instanceof Error ? again.message : String(again)}`;
      }
    }
  })();
  return prepared;
}

/** The backend set up by prepare(); throws when there is none. */
export function backendUnderTest(): WebGPUBackend {
  const b = webgpuBackend();
  if (b === null) throw new Error('the webgpu backend is not set up: await prepare() first');
  return b;
}

function deviceVariant(name: string, backend: WebGPUBackend, kernels: GpuKernels): DeviceVariant {
  return {
    device: true,
    name,
    kernels: backend.device.dispatch(() => referenceKernels),
    input: (values: TypedArray) => backend.upload(values),
    output: (dtype, length) => backend.device.output(dtype, length),
    read: async (a) => (typeof a === 'object' && 'read' in a ? a.read() : a),
    fallbacks: (kernel) => backend.stats().fallbacks[kernel] ?? 0,
    onDevice: (kernel, args) => backend.takes(kernels, kernel, args),
  };
}

export async function variants(): Promise<DeviceVariant[]> {
  const why = await prepare();
  if (why !== false) throw new Error(why);
  const gpu = webgpuDevice()!;
  return [
    deviceVariant('webgpu (WGSL kernels)', backendUnderTest(), WGSL_KERNELS),
    deviceVariant('webgpu (no WGSL: every call a CPU fallback on GPU data)', createWebGPUBackend(gpu, {}), {}),
  ];
}
