/**
 * The pieces of a self-contained HTML report: one file, styles inline, charts as inline SVG, nothing
 * loaded from elsewhere, so it opens anywhere (a browser, a mail attachment, a CI artifact).
 */

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&${({ '&': 'amp', '<': 'lt', '>': 'gt', '"': 'quot', "'": '#39' } as const)[c as '&']};`);
}

/** Numbers as a report shows them: four significant digits, integers as they are, NaN as a dash. */
export function formatNumber(v: number): string {
  if (!Number.isFinite(v)) return Number.isNaN(v) ? '–' : String(v);
  // Rounding noise (a standard deviation of 1e-16 for equal scores) shows as the 0 it is.
  if (Math.abs(v) < 1e-12) return '0';
  if (Number.isInteger(v)) return String(v);
  return Math.abs(v) >= 1e-3 && Math.abs(v) < 1e5 ? String(Number(v.toPrecision(4))) : v.toExponential(3);
}

/** A value of the settings table: numbers formatted, objects as JSON. */
export function formatValue(v: unknown): string {
  if (typeof v === 'number') return formatNumber(v);
  if (typeof v === 'string') return v;
  if (v === undefined) return '–';
  return JSON.stringify(v);
}

/** A table; `highlight` marks one row (the best epoch, the best trial). */
export function table(headers: readonly string[], rows: readonly (readonly string[])[], highlight: number | null = null): string {
  const head = headers.map((h) => `<th>${escapeHtml(h)}</th>`).join('');
  const body = rows.map((r, i) => `<tr${i === highlight ? ' class="best"' : ''}>${r.map((c) => `<td>${escapeHtml(c)}</td>`).join('')}</tr>`).join('\n');
  return `<table><thead><tr>${head}</tr></thead><tbody>\n${body}\n</tbody></table>`;
}

/** Highlighted figures at the top: `[label, value, note]`. */
export function cards(items: readonly (readonly [string, string, string?])[]): string {
  const card = ([label, value, note]: readonly [string, string, string?]): string =>
    `<div class="card"><div class="label">${escapeHtml(label)}</div><div class="value">${escapeHtml(value)}</div>${note ? `<div class="note">${escapeHtml(note)}</div>` : ''}</div>`;
  return `<div class="cards">${items.map(card).join('')}</div>`;
}

/** A chart with its caption; `name` identifies it (data-chart) for people and tests alike. */
export function figure(name: string, svg: string, caption: string): string {
  return `<figure class="chart" data-chart="${escapeHtml(name)}">${svg}<figcaption>${escapeHtml(caption)}</figcaption></figure>`;
}

export function section(title: string, body: string): string {
  return `<section><h2>${escapeHtml(title)}</h2>\n${body}\n</section>`;
}

const STYLE = `
:root { color-scheme: light; }
body { font: 15px/1.5 system-ui, -apple-system, "Segoe UI", sans-serif; margin: 0; background: #f6f7f9; color: #1d2330; }
main { max-width: 1100px; margin: 0 auto; padding: 24px 32px 48px; }
h1 { font-size: 26px; margin: 8px 0 2px; }
h2 { font-size: 19px; margin: 32px 0 12px; border-bottom: 1px solid #dde1e7; padding-bottom: 4px; }
.subtitle { color: #5b6475; margin: 0; }
.cards { display: flex; flex-wrap: wrap; gap: 12px; margin-top: 20px; }
.card { background: white; border: 1px solid #dde1e7; border-radius: 8px; padding: 10px 16px; min-width: 150px; }
.card .label { color: #5b6475; font-size: 13px; }
.card .value { font-size: 22px; font-weight: 600; }
.card .note { color: #5b6475; font-size: 12px; }
.charts { display: grid; grid-template-columns: repeat(auto-fit, minmax(560px, 1fr)); gap: 16px; }
figure.chart { background: white; border: 1px solid #dde1e7; border-radius: 8px; margin: 0; padding: 8px; overflow-x: auto; }
figure.chart svg { display: block; max-width: 100%; height: auto; }
figcaption { color: #5b6475; font-size: 13px; padding: 4px 8px 0; }
table { border-collapse: collapse; background: white; font-size: 13px; font-variant-numeric: tabular-nums; }
th, td { border: 1px solid #dde1e7; padding: 4px 10px; text-align: right; }
th:first-child, td:first-child { text-align: left; }
tr.best td { background: #eaf6ea; font-weight: 600; }
pre { background: white; border: 1px solid #dde1e7; border-radius: 8px; padding: 12px; overflow-x: auto; font-size: 12.5px; }
`;

/** The line under a report's title: what made it and when (UTC). */
export function stamp(date: Date = new Date()): string {
  return `layerwise · ${date.toISOString().replace('T', ' ').slice(0, 19)} UTC`;
}

export function page(title: string, subtitle: string, body: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<style>${STYLE}</style>
</head>
<body>
<main>
<header><h1>${escapeHtml(title)}</h1><p class="subtitle">${escapeHtml(subtitle)}</p></header>
${body}
</main>
</body>
</html>
`;
}
