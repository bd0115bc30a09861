/**
 * BackupAndRestore (Keras's callback): at the end of every epoch the run is backed up to a folder (a
 * checkpoint with the weights, the optimizer's state, the random generator's position and the history);
 * when fit starts and a backup is there — the last run was killed — the run continues from it, exactly
 * as fit's `resumeFrom` does (it is the same mechanism, ResumeFrom). After a fit that finishes, the backup
 * is deleted, so the next fit starts afresh. A fit that fails keeps it.
 */
import type { SpecFor } from '../../util/checks.js';
import { checkArg, is, optionsSpec } from '../../util/checks.js';
import { nodeHost } from '../../util/node-host.js';
import type { Callback, TrainingParams, TrainingTarget } from '../callbacks/callback.js';
import type { SavedModel } from './checkpoint-target.js';
import { savedModel } from './checkpoint-target.js';
import { removeCheckpoint, unlockCheckpoint, writeCheckpoint } from './checkpoint-files.js';
import { MODEL_JSON } from './files.js';
import { ResumeFrom } from './resume.js';

export interface BackupAndRestoreOptions {
  /**
   * When to back up: 'epoch', the only choice (a run resumes at epoch boundaries, so that the epoch it
   * repeats shuffles and drops out exactly as before). Writes are atomic, so one backup is enough.
   */
  saveFreq?: 'epoch';
  /** Delete the backup after a fit that finishes (default true). */
  deleteCheckpoint?: boolean;
}

const OPTIONS = optionsSpec({
  saveFreq: is.oneOf(['epoch'] as const).default('epoch'),
  deleteCheckpoint: is.boolean.default(true),
} satisfies SpecFor<BackupAndRestoreOptions>);

export class BackupAndRestore implements Callback {
  readonly restoresTraining = true;
  readonly backupDir: string;
  readonly deleteCheckpoint: boolean;
  #model: SavedModel | null = null;
  #resume: ResumeFrom;

  constructor(backupDir: string, options: BackupAndRestoreOptions = {}) {
    this.backupDir = checkArg('BackupAndRestore', 'backupDir', backupDir, is.nonEmptyString);
    this.deleteCheckpoint = OPTIONS.parse('BackupAndRestore', options).deleteCheckpoint;
    this.#resume = new ResumeFrom(this.backupDir, `BackupAndRestore('${this.backupDir}')`);
  }

  setContext(model: TrainingTarget, params: TrainingParams): void {
    this.#model = savedModel(model, 'BackupAndRestore');
    this.#resume.setContext(model, params);
  }

  /** Restores the backup, when one is there; it wins over fit's initialEpoch, as in Keras. */
  async onTrainBegin(): Promise<void> {
    const { fs, path } = nodeHost('BackupAndRestore', 'use ModelCheckpoint with an IO handler');
    if (fs.existsSync(path.join(this.backupDir, MODEL_JSON))) await this.#resume.onTrainBegin();
  }

  onEpochEnd(): void {
    writeCheckpoint(this.backupDir, this.#model!.toArtifacts({ includeTrainingState: true }), 'BackupAndRestore');
  }

  onTrainEnd(): void {
    if (this.deleteCheckpoint) removeCheckpoint(this.backupDir, 'BackupAndRestore');
    else unlockCheckpoint(this.backupDir);
  }
}
