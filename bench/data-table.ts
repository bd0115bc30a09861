/**
 * What each data benchmark script (image-folder-training, data-readers, larger-than-memory) prints as the
 * last line of its output, for `npm run bench` to put in bench/RESULTS.md: a table, in the script's own
 * words, and notes under it.
 */
export interface DataTable {
  headers: string[];
  /** Right-aligned columns (numbers), by index. */
  numeric: number[];
  rows: string[][];
  notes: string[];
}

export function printTable(table: DataTable): void {
  console.log(JSON.stringify(table));
}

export function isDataTable(value: unknown): value is DataTable {
  const t = value as Partial<DataTable> | null;
  return typeof t === 'object' && t !== null && Array.isArray(t.headers) && Array.isArray(t.rows) && Array.isArray(t.notes) && Array.isArray(t.numeric);
}

/** The table as markdown. */
export function markdownTable(table: DataTable): string {
  const cell = (s: string) => s.replace(/\|/g, '\\|').replace(/\n/g, ' ');
  const align = table.headers.map((_, i) => (table.numeric.includes(i) ? '---:' : '---'));
  return [table.headers, align, ...table.rows].map((r) => `| ${r.map(cell).join(' | ')} |`).join('\n');
}
