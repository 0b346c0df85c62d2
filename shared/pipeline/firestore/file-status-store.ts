import type { DocumentReference, Firestore, Timestamp } from '@google-cloud/firestore';
import {
  FILES_SUBCOLLECTION,
  isTerminal,
  JOBS_COLLECTION,
  ORDERS_SUBCOLLECTION,
  TERMINAL_FILE_STATES,
  type FileResult,
  type FileState,
  type FileStatus,
  type OrderNotice,
  type RecordedOutcome,
} from '../job-model.js';
import type { IndexedMarket } from '../market-index.js';
import type {
  BeginOutcome,
  FileOutcome,
  FileStatusStore,
  FileStanding,
  FileToBegin,
  FinishedFile,
  WorkOrderKey,
} from '../stores.js';
import { MARKETS_COLLECTION } from './market-index-store.js';
import { revive } from './job-store.js';

/**
 * File documents read per query when listing a job's files (a few hundred bytes each): the
 * finalize step lists them all, and each query of the embedded emulator sorts every file.
 */
const LIST_PAGE = 2000;

/** How long a read of a job's cancellation is trusted by begin. */
const JOB_STATUS_TTL_MS = 1000;

/** Entries an instance keeps of begun files and read jobs; the oldest is forgotten first. */
const REMEMBERED = 10_000;

/** gRPC status codes the Firestore client reports as `error.code`. */
const ALREADY_EXISTS = 6;
const FAILED_PRECONDITION = 9;

function isGrpcCode(error: unknown, code: number): boolean {
  return (error as { code?: unknown } | null)?.code === code;
}

/** A file's outcome as it is to be written. */
interface FinishWrite {
  fileRef: DocumentReference;
  fields: object;
  recorded: RecordedOutcome;
  indexed?: { ref: DocumentReference; market: IndexedMarket };
  /** The update time of the document this instance's begin created. */
  begun?: Timestamp;
}

/** A bounded map whose entries are read once. */
class Remembered<T> {
  private readonly entries = new Map<string, T>();

  put(key: string, value: T): void {
    this.entries.set(key, value);
    if (this.entries.size > REMEMBERED) this.entries.delete(this.entries.keys().next().value!);
  }

  take(key: string): T | undefined {
    const value = this.entries.get(key);
    this.entries.delete(key);
    return value;
  }
}

/** Per-file status documents at `dataflow-jobs/{jobId}/files/{fileId}`. */
export class FirestoreFileStatusStore implements FileStatusStore {
  /** Update times of the documents this instance's begin created, until their finish. */
  private readonly begun = new Remembered<Timestamp>();
  private readonly jobStatuses = new Map<string, { cancelled: boolean; readAt: number }>();

  constructor(
    private readonly db: Firestore,
    /** File documents read per query when listing (default LIST_PAGE). */
    private readonly listPage = LIST_PAGE,
  ) {}

  async begin(
    order: WorkOrderKey,
    files: readonly FileToBegin[],
    maxAttempts: number,
  ): Promise<BeginOutcome[]> {
    if (files.length > 0 && (await this.beginFirst(order.jobId, files))) {
      return files.map(() => ({ proceed: true, attempt: 1 }));
    }
    const outcomes: BeginOutcome[] = [];
    for (const file of files) outcomes.push(await this.beginAgain(order, file, maxAttempts));
    return outcomes;
  }

  async finish(order: WorkOrderKey, files: readonly FinishedFile[]): Promise<boolean[]> {
    const writes = files.map((file) => this.finishWrite(order.jobId, file));
    const begun = writes.filter((write) => write.begun !== undefined);
    // Nobody wrote the documents since this instance's begin: all outcomes in one commit.
    const committed = begun.length > 0 && (await this.finishBegun(order, begun));
    const recorded: boolean[] = [];
    for (const write of writes) {
      recorded.push(
        (committed && write.begun !== undefined) || (await this.finishInTransaction(order, write)),
      );
    }
    return recorded;
  }

  private finishWrite(
    jobId: string,
    { fileId, sourceName, outcome, market }: FinishedFile,
  ): FinishWrite {
    const fileRef = this.fileRef(jobId, fileId);
    return {
      fileRef,
      fields: { ...outcome, ...totalsOf(outcome), updatedAt: new Date() },
      recorded: recordedOutcome(fileId, sourceName, outcome),
      indexed: market && {
        ref: this.db.collection(MARKETS_COLLECTION).doc(market.marketId),
        market,
      },
      begun: this.begun.take(fileRef.path),
    };
  }

  /** One commit for outcomes of files this instance began; false when one was written since. */
  private async finishBegun(order: WorkOrderKey, writes: FinishWrite[]): Promise<boolean> {
    const batch = this.db.batch();
    for (const { fileRef, fields, indexed, begun } of writes) {
      batch.update(fileRef, fields, { lastUpdateTime: begun! });
      if (indexed) batch.set(indexed.ref, indexed.market);
    }
    batch.set(
      this.orderRef(order),
      notice(
        order.jobId,
        writes.map((write) => write.recorded),
      ),
    );
    try {
      await batch.commit();
      return true;
    } catch (error) {
      if (isGrpcCode(error, FAILED_PRECONDITION)) return false;
      throw error;
    }
  }

  /**
   * A work order's first delivery, in one commit: its files' documents are created `running`
   * unless one exists (then false: each file is decided on what is stored). The job's
   * cancellation is read at most once a second per job and instance, so a work order may start
   * up to a second after its job was cancelled.
   */
  private async beginFirst(jobId: string, files: readonly FileToBegin[]): Promise<boolean> {
    if (await this.jobCancelled(jobId)) return false;
    const batch = this.db.batch();
    const refs = files.map(({ fileId, index, source }) => {
      const fileRef = this.fileRef(jobId, fileId);
      const base = { jobId, fileId, index, source, updatedAt: new Date() };
      batch.create(fileRef, { ...base, state: 'running', attempts: 1 });
      return fileRef;
    });
    try {
      const written = await batch.commit();
      refs.forEach((ref, i) => this.begun.put(ref.path, written[i]!.writeTime));
      return true;
    } catch (error) {
      if (isGrpcCode(error, ALREADY_EXISTS)) return false;
      throw error;
    }
  }

  /** A repeated delivery, or a file of a cancelled job: decided on what is stored, atomically. */
  private beginAgain(
    order: WorkOrderKey,
    { fileId, index, source }: FileToBegin,
    maxAttempts: number,
  ): Promise<BeginOutcome> {
    const { jobId } = order;
    const fileRef = this.fileRef(jobId, fileId);
    const noticeOf = (outcome: Omit<RecordedOutcome, 'fileId' | 'source'>) =>
      notice(jobId, [{ fileId, source: source.name, ...outcome }]);
    const jobRef = this.db.collection(JOBS_COLLECTION).doc(jobId);
    return this.db.runTransaction(async (tx) => {
      const [file, job] = await tx.getAll(fileRef, jobRef);
      const state = file?.get('state') as FileState | undefined;
      if (isTerminal(state)) return { proceed: false, state: state! };
      const base = { jobId, fileId, index, source, updatedAt: new Date() };
      if (job?.get('status') === 'cancelled') {
        tx.set(fileRef, { ...base, state: 'cancelled' }, { merge: true });
        tx.set(this.orderRef(order), noticeOf({ state: 'cancelled' }));
        return { proceed: false, state: 'cancelled' };
      }
      const attempt = ((file?.get('attempts') as number | undefined) ?? 0) + 1;
      if (attempt > maxAttempts) {
        const error = {
          code: 'FILE.GAVE_UP',
          message: `Gave up after ${maxAttempts} attempts that each failed with a retryable error`,
        };
        tx.set(fileRef, { ...base, state: 'failed', error }, { merge: true });
        tx.set(this.orderRef(order), noticeOf({ state: 'failed', error }));
        return { proceed: false, state: 'failed', gaveUp: error };
      }
      tx.set(fileRef, { ...base, state: 'running', attempts: attempt }, { merge: true });
      return { proceed: true, attempt };
    });
  }

  private finishInTransaction(
    order: WorkOrderKey,
    { fileRef, fields, indexed, recorded }: FinishWrite,
  ): Promise<boolean> {
    return this.db.runTransaction(async (tx) => {
      const file = await tx.get(fileRef);
      if (isTerminal(file.get('state') as FileState | undefined)) return false;
      // Counts also top-level: aggregation queries sum those on every Firestore, emulator included.
      tx.set(fileRef, fields, { merge: true });
      if (indexed) tx.set(indexed.ref, indexed.market);
      tx.set(this.orderRef(order), notice(order.jobId, [recorded]));
      return true;
    });
  }

  /** Whether the job is cancelled, as read within the last second. */
  private async jobCancelled(jobId: string): Promise<boolean> {
    const now = Date.now();
    const known = this.jobStatuses.get(jobId);
    if (known && now - known.readAt < JOB_STATUS_TTL_MS) return known.cancelled;
    const job = await this.db.collection(JOBS_COLLECTION).doc(jobId).get();
    const cancelled = job.get('status') === 'cancelled';
    this.jobStatuses.set(jobId, { cancelled, readAt: now });
    if (this.jobStatuses.size > REMEMBERED)
      this.jobStatuses.delete(this.jobStatuses.keys().next().value!);
    return cancelled;
  }

  async standing(jobId: string): Promise<FileStanding> {
    const files = this.files(jobId);
    const [terminal, running] = await Promise.all([
      files.where('state', 'in', TERMINAL_FILE_STATES).count().get(),
      files.where('state', '==', 'running').count().get(),
    ]);
    return { terminal: terminal.data().count, running: running.data().count };
  }

  async *list(jobId: string, state?: FileState): AsyncIterable<FileStatus> {
    const base = state ? this.files(jobId).where('state', '==', state) : this.files(jobId);
    let last = -1;
    for (;;) {
      // A range filter rather than a cursor: the embedded emulator ignores query cursors.
      const snap = await base.where('index', '>', last).orderBy('index').limit(this.listPage).get();
      for (const doc of snap.docs) yield revive(doc.data()) as FileStatus;
      if (snap.size < this.listPage) return;
      last = snap.docs[snap.size - 1]!.get('index') as number;
    }
  }

  private files(jobId: string) {
    return this.db.collection(JOBS_COLLECTION).doc(jobId).collection(FILES_SUBCOLLECTION);
  }

  private orderRef({ jobId, orderId }: WorkOrderKey): DocumentReference {
    return this.db
      .collection(JOBS_COLLECTION)
      .doc(jobId)
      .collection(ORDERS_SUBCOLLECTION)
      .doc(orderId);
  }

  private fileRef(jobId: string, fileId: string): DocumentReference {
    return this.db
      .collection(JOBS_COLLECTION)
      .doc(jobId)
      .collection(FILES_SUBCOLLECTION)
      .doc(fileId);
  }
}

/** An order's notice of the outcomes one commit records. */
function notice(jobId: string, recorded: RecordedOutcome[]): OrderNotice {
  return { jobId, recorded, recordedAt: new Date() };
}

function recordedOutcome(fileId: string, source: string, outcome: FileOutcome): RecordedOutcome {
  return outcome.state === 'failed'
    ? { fileId, state: outcome.state, source, error: outcome.error }
    : { fileId, state: outcome.state, source };
}

/** A succeeded file's counts, to store beside `result` (which other readers keep using). */
function totalsOf(
  outcome: FileOutcome,
): Partial<Pick<FileResult, 'bytesIn' | 'bytesOut' | 'lines' | 'quarantinedLines'>> {
  if (outcome.state !== 'succeeded') return {};
  const { bytesIn, bytesOut, lines, quarantinedLines } = outcome.result;
  return { bytesIn, bytesOut, lines, quarantinedLines };
}
