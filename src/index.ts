/**
 * layerwise: deep learning for TypeScript. This file is the public API in Node: everything that runs
 * anywhere (./browser.ts, also the browser bundle's entry) plus what needs Node — files (MNIST and other
 * IDX files, saving to disk, crash-safe checkpoints), the terminal progress bar, the universal workflow's
 * worker threads and reports. The command line uses only this file.
 */
import { drawProgressInPlace } from './models/callbacks/progress-bar.js';
import { terminalLines } from './models/callbacks/terminal-line.js';
import { fileHandler } from './models/saving/files.js';
import { openPathsWith } from './models/saving/io.js';

export * from './browser.js';

// What Node adds to the models of browser.ts: paths for save, loadModel and resumeFrom (model.json and
// weights files), and fit's progress line redrawn in place on a terminal (browsers print one per epoch).
openPathsWith(fileHandler);
drawProgressInPlace(terminalLines);

export { datasets, readIdx, mnistFiles } from './data/index.js';
export type { MnistData, MnistFiles } from './data/index.js';
// Loaders that read files: CSV/TSV, Parquet and Arrow tables; folders of images (sharp) and of texts.
export { csvDataset } from './data/csv.js';
export type { CsvOptions } from './data/csv.js';
export { parquetDataset } from './data/parquet.js';
export type { ParquetOptions } from './data/parquet.js';
export { arrowDataset } from './data/arrow.js';
export type { ArrowOptions } from './data/arrow.js';
export { imageDatasetFromDirectory } from './data/image-folder-node.js';
export { textDatasetFromDirectory } from './data/text-folder-node.js';
export { ProgressBar, ModelCheckpoint, BackupAndRestore, fileHandler } from './models/index.js';
export type { SaveOptions, ModelCheckpointOptions, BackupAndRestoreOptions, ModelLocation, FileOptions } from './models/index.js';
// Callbacks that write logs to files: a CSV file, and TensorBoard's event files.
export { CSVLogger } from './models/callbacks/csv-logger.js';
export type { CSVLoggerOptions } from './models/callbacks/csv-logger.js';
export { TensorBoard } from './models/callbacks/tensorboard.js';
export type { TensorBoardOptions } from './models/callbacks/tensorboard.js';

// Level 7: the universal workflow (evaluation protocols, cross-validation, baselines, search).
export * from './workflow/index.js';

// Level 7: reports of training runs (self-contained HTML with SVG charts) and loss curves in the terminal.
export {
  historyReport, crossValidationReport, searchReport, analyzeHistory, historyOf, lossChart, writeReport, lineChartSvg, pointChartSvg,
} from './workflow/report/index.js';
export type {
  HistoryReportOptions, CrossValidationReportOptions, SearchReportOptions, HistoryLike, HistoryAnalysis, TerminalChartOptions, LineChartOptions,
  ChartSeries, PointChartOptions, ChartPoint,
} from './workflow/report/index.js';
