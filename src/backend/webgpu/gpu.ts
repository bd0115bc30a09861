/// <reference types="@webgpu/types" />
/**
 * Getting a WebGPU device: `navigator.gpu` in browsers, the optional `webgpu` npm package (Google's Dawn,
 * prebuilt inside the package) in Node. Everything here is asynchronous, which is why the backend is
 * loaded with `await preloadWebGPU()` (or `await setBackendAsync('webgpu')`) before it is selected.
 */

/** Usage flags and map modes by value, so that nothing depends on the globals a WebGPU host defines. */
export const USAGE = { MAP_READ: 0x1, COPY_SRC: 0x4, COPY_DST: 0x8, UNIFORM: 0x40, STORAGE: 0x80 } as const;
export const MAP_READ = 0x1;
export const COMPUTE_STAGE = 0x4;

export interface WebGPUOptions {
  /** Which adapter to ask for when there are several (default 'high-performance'). */
  powerPreference?: 'low-power' | 'high-performance';
}

/** What the backend needs from the adapter it was given. */
export interface AdapterFacts {
  /** "SwiftShader driver 5.0.0 (google, swiftshader)" */
  readonly description: string;
  /** A software adapter: correct, but slower than a CPU backend, so never chosen by default. */
  readonly fallback: boolean;
}

export interface Gpu {
  readonly device: GPUDevice;
  readonly adapter: AdapterFacts;
  /**
   * The GPU object the device came from. Held for as long as the device: in Node, Dawn's instance is
   * destroyed when this object is collected, and the device's threads then crash the process.
   */
  readonly instance: GPU;
}

type NodeWebGPU = { create(flags: string[]): GPU };

function isNodeWebGPU(m: unknown): m is NodeWebGPU {
  return typeof m === 'object' && m !== null && typeof (m as { create?: unknown }).create === 'function';
}

/** The GPU object of this host, or why there is none. */
async function gpuOfHost(): Promise<GPU | string> {
  const nav = (globalThis as { navigator?: { gpu?: GPU } }).navigator;
  if (nav?.gpu) return nav.gpu;
  const node = typeof process === 'object' ? process.versions?.node : undefined;
  if (node === undefined) return 'this browser has no WebGPU (navigator.gpu is missing; Chromium needs a GPU or --enable-unsafe-webgpu)';
  // A variable specifier: bundlers leave the import alone, and the package stays optional.
  const specifier = 'webgpu';
  let module: unknown;
  try {
    module = await import(specifier);
  } catch (e) {
    const why = e instanceof Error ? e.message.split('\n')[0] : String(e);
    return `the optional package 'webgpu' (Dawn for Node) could not be loaded: ${why}; install it with npm install webgpu`;
  }
  return isNodeWebGPU(module) ? module.create([]) : "the package 'webgpu' does not export create()";
}

function describeAdapter(adapter: GPUAdapter): AdapterFacts {
  const info = adapter.info;
  const names = [info.vendor, info.architecture].filter((s) => s !== '');
  const description = [info.description || info.device || 'unnamed adapter', names.length > 0 ? `(${names.join(', ')})` : ''].filter((s) => s !== '').join(' ');
  // isFallbackAdapter is the standard flag; Dawn reports SwiftShader as a CPU adapter by its name too.
  const fallback = info.isFallbackAdapter === true || /swiftshader|llvmpipe|lavapipe/i.test(`${info.description} ${info.architecture} ${info.device}`);
  return { description, fallback };
}

/** Limits worth raising above WebGPU's defaults where the adapter allows: big tensors, and the expression kernel's operands. */
function wantedLimits(adapter: GPUAdapter): Record<string, number> {
  const l = adapter.limits;
  return {
    maxStorageBufferBindingSize: l.maxStorageBufferBindingSize,
    maxBufferSize: l.maxBufferSize,
    maxStorageBuffersPerShaderStage: Math.min(l.maxStorageBuffersPerShaderStage, 20),
    maxComputeWorkgroupStorageSize: l.maxComputeWorkgroupStorageSize,
    maxComputeInvocationsPerWorkgroup: l.maxComputeInvocationsPerWorkgroup,
    maxComputeWorkgroupSizeX: l.maxComputeWorkgroupSizeX,
    maxComputeWorkgroupSizeY: l.maxComputeWorkgroupSizeY,
  };
}

/** An adapter and a device, or why there is none here. */
export async function requestGpu(options: WebGPUOptions): Promise<Gpu | string> {
  const gpu = await gpuOfHost();
  if (typeof gpu === 'string') return gpu;
  let adapter: GPUAdapter | null;
  try {
    adapter = await gpu.requestAdapter({ powerPreference: options.powerPreference ?? 'high-performance' });
  } catch (e) {
    return `requestAdapter failed: ${e instanceof Error ? e.message : String(e)}`;
  }
  if (adapter === null) {
    return 'no WebGPU adapter was found (in Node without a GPU, a software Vulkan driver works: e.g. VK_ICD_FILENAMES=/usr/lib/chromium/vk_swiftshader_icd.json from Debian\'s chromium package)';
  }
  try {
    const device = await adapter.requestDevice({ requiredLimits: wantedLimits(adapter) });
    return { device, adapter: describeAdapter(adapter), instance: gpu };
  } catch (e) {
    return `requestDevice failed: ${e instanceof Error ? e.message : String(e)}`;
  }
}
