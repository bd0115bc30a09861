/**
 * Kernel parity: every kernel of the table, on every fast backend that loads and in each of its variants
 * (instruction sets and threads, memory models), against the reference backend, on the inputs of
 * kernel-cases.ts. Nothing here names a kernel or a backend: a kernel added to the table is covered once
 * it has cases, and a backend added to the registry once it loads (with its own variants when its
 * testing.ts exports them). The cases of each kernel are also checked to cover every value of its
 * enumerations, an empty output, a one-element output and sizes that are not a multiple of the SIMD width.
 */
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { BACKEND_NAMES, loadBackend } from '../src/backend/index.js';
import type { ArraySpec, EnumSpec, OperandSpec } from '../src/backend/kernel-spec.js';
import { KERNEL_NAMES, KERNELS } from '../src/backend/kernel-table.js';
import type { DispatchArgs, KernelArgs, KernelName, Kernels } from '../src/backend/kernels.js';
import { referenceKernels } from '../src/backend/reference/index.js';
import type { TensorStorage } from '../src/backend/device-array.js';
import type { DeviceVariant, Variant } from '../src/backend/testing.js';
import { assertClose } from '../src/backend/testing.js';
import type { TypedArray } from '../src/util/dtype.js';
import { dtypeOf } from '../src/util/dtype.js';
import type { Case } from './kernel-cases.js';
import { casesOf } from './kernel-cases.js';

function isTyped(v: unknown): v is TypedArray {
  return v instanceof Float32Array || v instanceof Float64Array || v instanceof Int32Array || v instanceof Uint8Array;
}

const operandsOf = (name: KernelName): [string, OperandSpec][] => Object.entries(KERNELS[name].operands);
const arraysOf = (name: KernelName): [string, ArraySpec][] =>
  operandsOf(name).filter((e): e is [string, ArraySpec] => e[1].kind === 'array');

/** A copy of a case's arguments: inputs copied (placed by `place`), outputs filled with garbage. */
function instantiate<K extends KernelName>(name: K, args: KernelArgs<K>, place: (values: Float32Array) => Float32Array): KernelArgs<K> {
  const copy: Record<string, unknown> = { ...args };
  const one = (a: TypedArray, access: ArraySpec['access']): TypedArray => {
    const values = a.slice();
    if (access === 'out') values.fill(a instanceof Float32Array || a instanceof Float64Array ? NaN : 7);
    return values instanceof Float32Array ? place(values) : values;
  };
  const given: Readonly<Record<string, unknown>> = args;
  for (const [operand, spec] of arraysOf(name)) {
    const value = given[operand];
    if (isTyped(value)) copy[operand] = one(value, spec.access);
    else if (Array.isArray(value)) copy[operand] = value.filter(isTyped).map((a) => one(a, spec.access));
  }
  return copy as KernelArgs<K>;
}

function outputs(name: KernelName, args: Readonly<Record<string, unknown>>): [string, TypedArray][] {
  return arraysOf(name)
    .filter(([, spec]) => spec.access !== 'in')
    .flatMap(([operand]): [string, TypedArray][] => {
      const value = args[operand];
      if (isTyped(value)) return [[operand, value]];
      return Array.isArray(value) ? value.filter(isTyped).map((a, i): [string, TypedArray] => [`${operand}[${i}]`, a]) : [];
    });
}

function check<K extends KernelName>(name: K, c: Case<K>, variant: Variant, kernel: Kernels[K]): void {
  const expected = instantiate(name, c.args, (v) => v);
  referenceKernels[name](expected);
  const actual = instantiate(name, c.args, (v) => variant.place(v));
  variant.within(() => kernel(actual));
  const want = outputs(name, expected), got = outputs(name, actual);
  assert.equal(got.length, want.length);
  want.forEach(([operand, e], i) => {
    const a = got[i]![1];
    const label = `${name} ${c.label}: ${operand} on ${variant.name}`;
    if (e instanceof Float32Array || e instanceof Float64Array) assertClose(a, e, label, c.tolerance);
    else assert.deepEqual([...a], [...e], label);
  });
}

/**
 * The same check for a backend with a device: inputs placed on the device, outputs of the device's
 * storage, read back once the call has run; a kernel of `onDevice` must not have fallen back to the CPU.
 */
async function checkOnDevice<K extends KernelName>(name: K, c: Case<K>, variant: DeviceVariant): Promise<void> {
  const expected = instantiate(name, c.args, (v) => v);
  referenceKernels[name](expected);
  const given: Readonly<Record<string, unknown>> = c.args;
  const placed: Record<string, unknown> = { ...c.args };
  const results: [string, TensorStorage][] = [];
  for (const [operand, spec] of arraysOf(name)) {
    const place = (a: TypedArray, label: string): TensorStorage => {
      const s = spec.access === 'out' ? variant.output(dtypeOf(a), a.length) : variant.input(a.slice());
      if (spec.access !== 'in') results.push([label, s]);
      return s;
    };
    const value = given[operand];
    if (isTyped(value)) placed[operand] = place(value, operand);
    else if (Array.isArray(value)) placed[operand] = value.filter(isTyped).map((a, i) => place(a, `${operand}[${i}]`));
  }
  const expectOnDevice = variant.onDevice(name, placed);
  const before = variant.fallbacks(name);
  variant.kernels[name](placed as DispatchArgs<K>);
  const want = outputs(name, expected);
  assert.equal(results.length, want.length);
  for (const [i, [operand, e]] of want.entries()) {
    const a = await variant.read(results[i]![1]);
    const label = `${name} ${c.label}: ${operand} on ${variant.name}`;
    if (e instanceof Float32Array || e instanceof Float64Array) assertClose(a, e, label, c.tolerance);
    else assert.deepEqual([...a], [...e], label);
  }
  if (expectOnDevice) assert.equal(variant.fallbacks(name), before, `${name} ${c.label}: ran on the CPU on ${variant.name}`);
}

async function variantsOf(name: string): Promise<(Variant | DeviceVariant)[] | string> {
  const testing = new URL(`../src/backend/${name}/testing.js`, import.meta.url);
  const mod: { prepare?: () => Promise<string | false>; variants?: () => (Variant | DeviceVariant)[] | Promise<(Variant | DeviceVariant)[]> } =
    existsSync(fileURLToPath(testing)) ? await import(testing.href) : {};
  // A backend set up asynchronously (webgpu) is prepared first; it says why where it cannot be.
  const why = mod.prepare ? await mod.prepare() : false;
  if (why !== false) return why;
  const loaded = loadBackend(name as (typeof BACKEND_NAMES)[number]);
  if ('error' in loaded) return loaded.error;
  if (mod.variants) return mod.variants();
  const { backend } = loaded;
  return [{ name, kernels: backend.kernels, place: (v) => v, within: (fn) => fn() }];
}

/** The values of the enumerations among a kernel's parameters, by path (structs included). */
function enumsOf(name: KernelName): [string[], EnumSpec][] {
  return operandsOf(name).flatMap(([operand, spec]): [string[], EnumSpec][] => {
    if (spec.kind === 'enum') return [[[operand], spec]];
    if (spec.kind === 'struct') {
      return Object.entries(spec.fields).filter((f): f is [string, EnumSpec] => f[1].kind === 'enum').map(([field, e]) => [[operand, field], e]);
    }
    return [];
  });
}

describe('kernel cases cover what the parity suite promises', () => {
  for (const name of KERNEL_NAMES) {
    test(name, () => {
      const cases = casesOf(name);
      const lengths = cases.flatMap((c) => outputs(name, c.args).map(([, a]) => a.length));
      if (lengths.length > 0) {
        assert.ok(lengths.includes(0), `${name}: no case has an empty output`);
        assert.ok(lengths.includes(1), `${name}: no case has a one-element output`);
        assert.ok(lengths.some((n) => n > 16 && n % 16 !== 0), `${name}: no case has an output whose size is not a multiple of 16`);
      }
      for (const [path, e] of enumsOf(name)) {
        const seen = new Set(cases.map((c) => path.reduce<unknown>((v, key) => (v as Record<string, unknown>)[key], c.args)));
        const missing = (e.accepted ?? e.values).filter((v) => !seen.has(v));
        assert.deepEqual(missing, [], `${name}: no case uses ${path.join('.')} = ${missing.join(', ')}`);
      }
    });
  }
});

for (const backend of BACKEND_NAMES.filter((b) => b !== 'reference')) {
  const variants = await variantsOf(backend);
  const skip = typeof variants === 'string' ? `the ${backend} backend does not load here: ${variants}` : false;
  describe(`${backend} kernels match the reference`, { skip }, () => {
    if (typeof variants === 'string') return;
    const implemented = KERNEL_NAMES.filter((name) => variants.some((v) => v.kernels[name] !== undefined));
    for (const name of implemented) {
      test(name, async () => {
        const cases = casesOf(name);
        for (const variant of variants) {
          if ('device' in variant) {
            for (const c of cases) await checkOnDevice(name, c, variant);
            continue;
          }
          const kernel = variant.kernels[name];
          if (kernel === undefined) continue;
          for (const c of cases) check(name, c, variant, kernel);
        }
      });
    }
    test('worker threads ran part of the work', () => {
      for (const variant of variants) if (!('device' in variant)) variant.after?.();
    });
  });
}
