/** The workflow names its workers' functions by module export; the helper lives at level 0 so datasets use it too. */
export { moduleExport, isModuleExport, resolveExport } from '../util/module-export.js';
export type { ModuleExport } from '../util/module-export.js';
