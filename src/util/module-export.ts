/**
 * A reference to a named export of a module, by URL. Functions cannot be sent to worker threads, so a
 * parallel run names the module that holds the function (a model factory, preprocessing, a scorer, a
 * dataset's map), and each worker imports it: `moduleExport(import.meta.url, 'buildModel')`.
 * The optional type parameter states the export's type (`moduleExport<typeof decode>(...)`), so a caller
 * that runs it can type its result; it is not checked at run time.
 */
import { ValueError, describe } from './errors.js';

export interface ModuleExport<F = unknown> {
  /** The module's URL (`import.meta.url` of the file that exports it, or an absolute file: URL). */
  readonly module: string;
  /** The export's name (default 'default'). */
  readonly name: string;
  /** Never present: carries the export's type. */
  readonly __type?: F;
}

export function moduleExport<F = unknown>(module: string | URL, name = 'default'): ModuleExport<F> {
  const url = String(module);
  if (url === '' || !/^[a-z][a-z0-9+.-]*:/i.test(url)) {
    throw new ValueError(`moduleExport: argument 'module' expected an absolute URL such as import.meta.url, received ${describe(module)}`);
  }
  if (typeof name !== 'string' || name === '') throw new ValueError(`moduleExport: argument 'name' expected an export name, received ${describe(name)}`);
  return { module: url, name };
}

export function isModuleExport(v: unknown): v is ModuleExport {
  return typeof v === 'object' && v !== null && typeof (v as ModuleExport).module === 'string' && typeof (v as ModuleExport).name === 'string';
}

/** Imports the module and returns the export (cached by the module system). */
export async function resolveExport(ref: ModuleExport, where: string): Promise<unknown> {
  const mod = (await import(ref.module)) as Record<string, unknown>;
  if (!(ref.name in mod)) {
    throw new ValueError(`${where}: module ${ref.module} has no export '${ref.name}' (it exports ${Object.keys(mod).map((k) => `'${k}'`).join(', ') || 'nothing'})`);
  }
  return mod[ref.name];
}
