import type { DocumentReference, Firestore } from '@google-cloud/firestore';
import {
  FILE_STATES,
  FILES_SUBCOLLECTION,
  isTerminal,
  JOBS_COLLECTION,
  type FileResult,
  type FileState,
  type FileStatus,
  type SourceObject,
} from '../job-model.js';
import type { BeginOutcome, FileOutcome, FileStatusStore } from '../stores.js';
import { revive } from './job-store.js';

/** File documents read per query when listing a job's files. */
const LIST_PAGE = 500;

/** Per-file status documents at `dataflow-jobs/{jobId}/files/{fileId}`. */
export class FirestoreFileStatusStore implements FileStatusStore {
  constructor(private readonly db: Firestore) {}

  begin(
    jobId: string,
    fileId: string,
    index: number,
    source: SourceObject,
    maxAttempts: number,
  ): Promise<BeginOutcome> {
    const fileRef = this.fileRef(jobId, fileId);
    const jobRef = this.db.collection(JOBS_COLLECTION).doc(jobId);
    return this.db.runTransaction(async (tx) => {
      const [file, job] = await tx.getAll(fileRef, jobRef);
      const state = file?.get('state') as FileState | undefined;
      if (isTerminal(state)) return { proceed: false, state: state! };
      const base = { jobId, fileId, index, source, updatedAt: new Date() };
      if (job?.get('status') === 'cancelled') {
        tx.set(fileRef, { ...base, state: 'cancelled' }, { merge: true });
        return { proceed: false, state: 'cancelled' };
      }
      const attempt = ((file?.get('attempts') as number | undefined) ?? 0) + 1;
      if (attempt > maxAttempts) {
        const error = {
          code: 'FILE.GAVE_UP',
          message: `Gave up after ${maxAttempts} attempts that each failed with a retryable error`,
        };
        tx.set(fileRef, { ...base, state: 'failed', error }, { merge: true });
        return { proceed: false, state: 'failed', gaveUp: error };
      }
      tx.set(fileRef, { ...base, state: 'running', attempts: attempt }, { merge: true });
      return { proceed: true, attempt };
    });
  }

  finish(jobId: string, fileId: string, outcome: FileOutcome): Promise<boolean> {
    const fileRef = this.fileRef(jobId, fileId);
    return this.db.runTransaction(async (tx) => {
      const file = await tx.get(fileRef);
      if (isTerminal(file.get('state') as FileState | undefined)) return false;
      // Counts also top-level: aggregation queries sum those on every Firestore, emulator included.
      tx.set(fileRef, { ...outcome, ...totalsOf(outcome), updatedAt: new Date() }, { merge: true });
      return true;
    });
  }

  async counts(jobId: string): Promise<Record<FileState, number>> {
    const files = this.files(jobId);
    const counted = await Promise.all(
      FILE_STATES.map(async (state) => {
        const snap = await files.where('state', '==', state).count().get();
        return [state, snap.data().count] as const;
      }),
    );
    return Object.fromEntries(counted) as Record<FileState, number>;
  }

  async *list(jobId: string, state?: FileState): AsyncIterable<FileStatus> {
    const base = state ? this.files(jobId).where('state', '==', state) : this.files(jobId);
    let last = -1;
    for (;;) {
      // A range filter rather than a cursor: the embedded emulator ignores query cursors.
      const snap = await base.where('index', '>', last).orderBy('index').limit(LIST_PAGE).get();
      for (const doc of snap.docs) yield revive(doc.data()) as FileStatus;
      if (snap.size < LIST_PAGE) return;
      last = snap.docs[snap.size - 1]!.get('index') as number;
    }
  }

  private files(jobId: string) {
    return this.db.collection(JOBS_COLLECTION).doc(jobId).collection(FILES_SUBCOLLECTION);
  }

  private fileRef(jobId: string, fileId: string): DocumentReference {
    return this.db
      .collection(JOBS_COLLECTION)
      .doc(jobId)
      .collection(FILES_SUBCOLLECTION)
      .doc(fileId);
  }
}

/** A succeeded file's counts, to store beside `result` (which other readers keep using). */
function totalsOf(
  outcome: FileOutcome,
): Partial<Pick<FileResult, 'bytesIn' | 'bytesOut' | 'lines' | 'quarantinedLines'>> {
  if (outcome.state !== 'succeeded') return {};
  const { bytesIn, bytesOut, lines, quarantinedLines } = outcome.result;
  return { bytesIn, bytesOut, lines, quarantinedLines };
}
