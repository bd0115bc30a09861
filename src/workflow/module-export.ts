/**
 * A reference to a named export of a module, by URL. Functions cannot be sent to worker threads, so a
 * parallel run names the module that holds the model factory (and the preprocessing and scorers), and
 * each worker imports it: `moduleExport(import.meta.url, 'buildModel')`.
 */
import { ValueError, describe } from '../util/errors.js';

export interface ModuleExport {
  /** The module's URL (`import.meta.url` of the file that exports it, or an absolute file: URL). */
  readonly module: string;
  /** The export's name (default 'default'). */
  readonly name: string;
}

export function moduleExport(module: string | URL, name = 'default'): ModuleExport {
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
