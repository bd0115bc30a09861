/** Reports people look at: self-contained HTML with SVG charts, and loss curves in the terminal. */
export * from './analysis.js';
export { lineChartSvg } from './charts.js';
export type { LineChartOptions, ChartSeries } from './charts.js';
export * from './history-report.js';
export * from './terminal.js';
export * from './write.js';
