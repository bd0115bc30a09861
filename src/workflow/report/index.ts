/** Reports people look at: self-contained HTML with SVG charts, and loss curves in the terminal. */
export * from './analysis.js';
export { lineChartSvg, pointChartSvg } from './charts.js';
export type { LineChartOptions, ChartSeries, PointChartOptions, ChartPoint } from './charts.js';
export * from './cross-validation-report.js';
export * from './search-report.js';
export * from './history-report.js';
export * from './terminal.js';
export * from './write.js';
