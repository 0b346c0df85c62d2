import type { LocatedFile } from '../locations.js';

/** How far a run got. */
export interface RunProgress {
  files: number;
  filesDone: number;
  filesFailed: number;
  /** Compressed bytes of all the files, and read so far. */
  bytes: number;
  bytesRead: number;
}

/** Counts a run's progress and tells the listener after every change. */
export class ProgressTracker {
  private readonly state: RunProgress;

  constructor(
    files: readonly LocatedFile[],
    private readonly listener?: (progress: RunProgress) => void,
  ) {
    const bytes = files.reduce((sum, f) => sum + f.size, 0);
    this.state = { files: files.length, filesDone: 0, filesFailed: 0, bytes, bytesRead: 0 };
  }

  read(bytes: number): void {
    this.state.bytesRead += bytes;
    this.listener?.(this.snapshot());
  }

  fileDone(ok: boolean): void {
    this.state.filesDone += 1;
    if (!ok) this.state.filesFailed += 1;
    this.listener?.(this.snapshot());
  }

  snapshot(): RunProgress {
    return { ...this.state };
  }
}
