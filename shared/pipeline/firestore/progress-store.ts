import {
  AggregateField,
  type CollectionReference,
  type Query,
  type Timestamp,
  type Firestore,
  type DocumentReference,
  type DocumentSnapshot,
} from '@google-cloud/firestore';
import { AppError } from '../../platform/errors.js';
import {
  allStages,
  type JobProgress,
  FILES_SUBCOLLECTION,
  JOBS_COLLECTION,
  LOGS_SUBCOLLECTION,
  type JobRecord,
  SUMMED_RESULTS,
} from '../job-model.js';
import type {
  JobProgressState,
  ProgressDecision,
  ProgressStore,
  ProgressUpdate,
} from '../stores.js';
import { revive } from './job-store.js';

type Sums = Record<keyof typeof SUMMED_RESULTS, number>;

interface Counted<T> {
  value: T;
  readTime: Timestamp;
}

/**
 * Totals over a job's `files` subcollection with aggregation queries: a count per terminal
 * state and sums of the succeeded files' counts. `updatedAt` is the earliest read time of
 * the queries, so every change committed before it is counted by all of them.
 */
export async function tallyFiles(files: CollectionReference): Promise<JobProgress> {
  const [succeeded, failed, cancelled, skipped] = await Promise.all([
    sumSucceeded(files.where('state', '==', 'succeeded')),
    count(files.where('state', '==', 'failed')),
    count(files.where('state', '==', 'cancelled')),
    count(files.where('state', '==', 'skipped')),
  ]);
  const readTimes = [succeeded.readTime, failed.readTime, cancelled.readTime, skipped.readTime];
  const earliest = readTimes.reduce((a, b) => (b.valueOf() < a.valueOf() ? b : a));
  return {
    ...succeeded.value.sums,
    succeeded: succeeded.value.count,
    failed: failed.value,
    cancelled: cancelled.value,
    skipped: skipped.value,
    updatedAt: earliest.toDate(),
  };
}

async function count(query: Query): Promise<Counted<number>> {
  const snap = await query.count().get();
  return { value: snap.data().count, readTime: snap.readTime };
}

async function sumSucceeded(query: Query): Promise<Counted<{ count: number; sums: Sums }>> {
  const fields = Object.fromEntries(
    Object.entries(SUMMED_RESULTS).map(([total, field]) => [total, AggregateField.sum(field)]),
  ) as Record<keyof Sums, AggregateField<number>>;
  const snap = await query.aggregate({ ...fields, count: AggregateField.count() }).get();
  const { count: files, ...sums } = snap.data();
  return { value: { count: files, sums }, readTime: snap.readTime };
}

/**
 * One small document per job and recount slot, created by the slot's only recounter; a TTL
 * policy on `expireAt` may delete them once no handler can still ask for their slot.
 */
const RECOUNTS_SUBCOLLECTION = 'recounts';
const CLAIM_TTL_MS = 24 * 60 * 60 * 1000;
/** gRPC status of a create that found the document already there. */
const ALREADY_EXISTS = 6;

/** Progress fields of `dataflow-jobs/{jobId}`, counted from `…/files`, logged to `…/logs`. */
export class FirestoreProgressStore implements ProgressStore {
  constructor(private readonly db: Firestore) {}

  async read(jobId: string): Promise<JobProgressState> {
    return toState(jobId, await this.job(jobId).get());
  }

  tally(jobId: string): Promise<JobProgress> {
    return tallyFiles(this.job(jobId).collection(FILES_SUBCOLLECTION));
  }

  async claimRecount(jobId: string, slot: number): Promise<boolean> {
    const claim = this.job(jobId).collection(RECOUNTS_SUBCOLLECTION).doc(String(slot));
    try {
      await claim.create({ claimedAt: new Date(), expireAt: new Date(Date.now() + CLAIM_TTL_MS) });
      return true;
    } catch (error) {
      if ((error as { code?: unknown }).code === ALREADY_EXISTS) return false;
      throw error;
    }
  }

  apply(jobId: string, decide: ProgressDecision): Promise<ProgressUpdate | null> {
    const ref = this.job(jobId);
    return this.db.runTransaction(async (tx) => {
      const update = decide(toState(jobId, await tx.get(ref)));
      if (!update) return null;
      const fields: Record<string, unknown> = {};
      if (update.progress) fields.progress = update.progress;
      for (const [stage, state] of Object.entries(update.stages ?? {})) {
        fields[`stages.${stage}`] = state;
      }
      if (Object.keys(fields).length > 0) tx.update(ref, fields);
      for (const { id, entry } of update.logs ?? []) {
        tx.set(ref.collection(LOGS_SUBCOLLECTION).doc(id), entry);
      }
      return update;
    });
  }

  private job(jobId: string): DocumentReference {
    return this.db.collection(JOBS_COLLECTION).doc(jobId);
  }
}

function toState(jobId: string, snap: DocumentSnapshot): JobProgressState {
  if (!snap.exists) throw new AppError('JOB.NOT_FOUND', 'not_found', `Job ${jobId} not found`);
  const job = revive(snap.data()) as Partial<JobRecord>;
  return {
    status: job.status ?? 'submitted',
    filesPlanned: job.plan?.files ?? 0,
    progress: job.progress ?? null,
    stages: { ...allStages(), ...job.stages },
  };
}
