/**
 * CSVLogger: one row per epoch (`epoch,loss,accuracy,val_loss,...`) in a CSV file, as Keras's. Each row
 * is written with one write and flushed to the disk, so a process killed at any moment leaves a file
 * of whole rows. With `append`, a run continues the file: its columns are the file's, a torn last line
 * (a power cut mid-write) is dropped, and when the run resumes from a checkpoint (fit's resumeFrom or
 * BackupAndRestore) the rows of the epochs it trains again are replaced rather than repeated.
 */
import { parse } from 'csv-parse/sync';
import type { SpecFor } from '../../util/checks.js';
import { checkArg, is, optionsSpec } from '../../util/checks.js';
import { makeFolder, writeFileAtomic } from '../../util/atomic-file.js';
import type { NodeHost } from '../../util/node-host.js';
import { nodeHost } from '../../util/node-host.js';
import type { Callback, Logs, TrainingParams, TrainingTarget } from './callback.js';

export interface CSVLoggerOptions {
  /** Between fields (default ','). */
  separator?: string;
  /** Continue an existing file instead of starting it afresh (default false). */
  append?: boolean;
}

const OPTIONS = optionsSpec({
  separator: is.string.where((s) => s.length === 1 && s !== '"' && s !== '\n' && s !== '\r', 'a single character other than a quote or a line break').default(','),
  append: is.boolean.default(false),
} satisfies SpecFor<CSVLoggerOptions>);

export class CSVLogger implements Callback {
  readonly filename: string;
  readonly separator: string;
  readonly append: boolean;
  #params: TrainingParams | null = null;
  #host: NodeHost | null = null;
  #fd: number | null = null;
  /** The columns after 'epoch', fixed by the first row (or by the header of the file appended to). */
  #keys: string[] | null = null;

  constructor(filename: string, options: CSVLoggerOptions = {}) {
    this.filename = checkArg('CSVLogger', 'filename', filename, is.nonEmptyString);
    ({ separator: this.separator, append: this.append } = OPTIONS.parse('CSVLogger', options));
  }

  setContext(_model: TrainingTarget, params: TrainingParams): void {
    this.#params = params;
  }

  onTrainBegin(): void {
    const host = (this.#host = nodeHost('CSVLogger', 'collect the logs with a LambdaCallback'));
    const { fs, path } = host;
    makeFolder(host, path.dirname(path.resolve(this.filename)), 'CSVLogger');
    this.#keys = null;
    if (this.append && fs.existsSync(this.filename)) this.#continue(host);
    else fs.writeFileSync(this.filename, '');
    this.#fd = fs.openSync(this.filename, 'a');
  }

  /** Reads the file appended to: its columns, and only the whole rows of epochs before this run's first. */
  #continue(host: NodeHost): void {
    const text = host.fs.readFileSync(this.filename, 'utf8');
    // A torn last line (a power cut in the middle of a write) is dropped.
    const whole = text.slice(0, text.lastIndexOf('\n') + 1);
    const rows = parse(whole, { delimiter: this.separator, relaxColumnCount: true, skipEmptyLines: true }) as string[][];
    if (rows[0]?.[0] === 'epoch') this.#keys = rows[0].slice(1);
    const first = this.#params?.initialEpoch ?? 0;
    const kept = rows.filter((row, i) => (i === 0 && this.#keys !== null) || first === 0 || !(Number(row[0]) >= first));
    if (whole !== text || kept.length !== rows.length) writeFileAtomic(host, this.filename, kept.map((row) => this.#row(row)).join(''));
  }

  onEpochEnd(epoch: number, logs: Logs): void {
    const { fs } = this.#host!;
    let text = '';
    if (this.#keys === null) {
      this.#keys = Object.keys(logs).sort();
      text += this.#row(['epoch', ...this.#keys]);
    }
    text += this.#row([String(epoch), ...this.#keys.map((k) => (k in logs ? String(logs[k]) : 'NA'))]);
    // One write, then to the disk: a kill leaves whole rows.
    fs.writeSync(this.#fd!, text);
    fs.fsyncSync(this.#fd!);
  }

  close(): void {
    if (this.#fd !== null) this.#host!.fs.closeSync(this.#fd);
    this.#fd = null;
  }

  #row(fields: string[]): string {
    const quote = (f: string) => (f.includes(this.separator) || f.includes('"') || f.includes('\n') ? `"${f.replace(/"/g, '""')}"` : f);
    return `${fields.map(quote).join(this.separator)}\n`;
  }
}
