import {
  Timestamp,
  type DocumentSnapshot,
  type Firestore,
  type Query,
} from '@google-cloud/firestore';
import { AppError } from '../../platform/errors.js';
import {
  JOB_STATUSES,
  JOBS_COLLECTION,
  LOGS_SUBCOLLECTION,
  PLAN_SUBCOLLECTION,
  type JobRecord,
  type PlannedFile,
} from '../job-model.js';
import {
  FINAL_JOB_STATUSES,
  type HistoryQuery,
  type JobLogEntry,
  type JobStore,
  type StatusChange,
  type ProcessedIndex,
} from '../stores.js';

/** Plan pages per write batch: well under Firestore's 500 writes and 10 MiB a request. */
const PAGES_PER_BATCH = 20;

/** Jobs in `dataflow-jobs`, plan pages in `…/plan/{page}`, log lines in `…/logs/{id}`. */
export class FirestoreJobStore implements JobStore {
  constructor(private readonly db: Firestore) {}

  async create(job: JobRecord, pages: PlannedFile[][]): Promise<void> {
    const jobRef = this.jobs().doc(job.jobId);
    for (let start = 0; start < pages.length; start += PAGES_PER_BATCH) {
      const batch = this.db.batch();
      pages.slice(start, start + PAGES_PER_BATCH).forEach((files, offset) => {
        batch.set(jobRef.collection(PLAN_SUBCOLLECTION).doc(pageId(start + offset)), { files });
      });
      await batch.commit();
    }
    try {
      await jobRef.create(job);
    } catch (error) {
      throw new AppError('JOB.EXISTS', 'conflict', `Job ${job.jobId} already exists`, {
        cause: error,
      });
    }
  }

  async get(jobId: string): Promise<JobRecord> {
    const snap = await this.jobs().doc(jobId).get();
    if (!snap.exists) throw new AppError('JOB.NOT_FOUND', 'not_found', `Job ${jobId} not found`);
    return toJob(snap);
  }

  async unfinished(): Promise<JobRecord[]> {
    const open = JOB_STATUSES.filter((status) => !FINAL_JOB_STATUSES.includes(status));
    const snaps = await Promise.all(
      open.map((status) => this.jobs().where('status', '==', status).get()),
    );
    return snaps
      .flatMap((snap) => snap.docs.map(toJob))
      .sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime());
  }

  async history(query: HistoryQuery): Promise<JobRecord[]> {
    let jobs: Query = this.jobs();
    if (query.status) jobs = jobs.where('status', '==', query.status);
    if (query.processType) jobs = jobs.where('processType', '==', query.processType);
    // A range filter rather than a query cursor, which the embedded emulator ignores: from the
    // cursor's millisecond on, past the jobs of that millisecond already shown.
    const skip = query.before?.shown ?? 0;
    if (query.before) jobs = jobs.where('createdAt', '<=', query.before.createdAt);
    const snap = await jobs
      .orderBy('createdAt', 'desc')
      .limit(query.limit + skip)
      .get();
    return snap.docs.slice(skip).map(toJob);
  }

  async planPage(jobId: string, page: number): Promise<PlannedFile[]> {
    const snap = await this.jobs()
      .doc(jobId)
      .collection(PLAN_SUBCOLLECTION)
      .doc(pageId(page))
      .get();
    if (!snap.exists) {
      throw new AppError(
        'JOB.PAGE_NOT_FOUND',
        'not_found',
        `Job ${jobId} has no plan page ${page}`,
      );
    }
    return snap.get('files') as PlannedFile[];
  }

  changeStatus(jobId: string, change: StatusChange): Promise<{ job: JobRecord; changed: boolean }> {
    const ref = this.jobs().doc(jobId);
    return this.db.runTransaction(async (tx) => {
      const snap = await tx.get(ref);
      if (!snap.exists) throw new AppError('JOB.NOT_FOUND', 'not_found', `Job ${jobId} not found`);
      const job = toJob(snap);
      if (FINAL_JOB_STATUSES.includes(job.status)) return { job, changed: false };
      const { stages, ...fields } = change;
      const update: Record<string, unknown> = { ...fields };
      // A field no other change writes, so a cancel survives a concurrent status update.
      if (change.status === 'cancelled') update.cancelledAt = change.completedAt ?? new Date();
      for (const [stage, state] of Object.entries(stages ?? {})) update[`stages.${stage}`] = state;
      tx.update(ref, update);
      return {
        job: { ...job, ...fields, stages: { ...job.stages, ...stages } },
        changed: true,
      };
    });
  }

  async log(jobId: string, id: string, entry: JobLogEntry): Promise<void> {
    await this.jobs().doc(jobId).collection(LOGS_SUBCOLLECTION).doc(id).set(entry);
  }

  async logs(jobId: string, limit: number): Promise<JobLogEntry[]> {
    const snap = await this.jobs()
      .doc(jobId)
      .collection(LOGS_SUBCOLLECTION)
      .orderBy('time', 'desc')
      .limit(limit)
      .get();
    return snap.docs.map((d) => revive(d.data()) as JobLogEntry).reverse();
  }

  private jobs() {
    return this.db.collection(JOBS_COLLECTION);
  }
}

/** Plan pages sort by id in page order. */
function pageId(page: number): string {
  return String(page).padStart(6, '0');
}

function toJob(snap: DocumentSnapshot): JobRecord {
  const job = revive(snap.data() ?? {}) as JobRecord & { cancelledAt?: Date };
  const cancelled = job.cancelledAt !== undefined && !FINAL_JOB_STATUSES.includes(job.status);
  return cancelled ? { ...job, status: 'cancelled' } : job;
}

/** Firestore hands back Timestamps; the domain works with Dates. */
export function revive(value: unknown): unknown {
  if (value instanceof Timestamp) return value.toDate();
  if (Array.isArray(value)) return value.map(revive);
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, revive(v)]));
  }
  return value;
}

const COLLECTION = 'processed-sources';
/** Reads and writes per request, under Firestore's 500-writes-per-batch limit. */
const CHUNK = 400;

/** One marker document per processed source generation and target. */
export class FirestoreProcessedIndex implements ProcessedIndex {
  constructor(private readonly db: Firestore) {}

  async has(keys: readonly string[]): Promise<Set<string>> {
    const found = new Set<string>();
    for (let start = 0; start < keys.length; start += CHUNK) {
      const refs = keys
        .slice(start, start + CHUNK)
        .map((key) => this.db.collection(COLLECTION).doc(key));
      if (refs.length === 0) continue;
      for (const snap of await this.db.getAll(...refs)) if (snap.exists) found.add(snap.id);
    }
    return found;
  }

  async add(keys: readonly string[]): Promise<void> {
    for (let start = 0; start < keys.length; start += CHUNK) {
      const batch = this.db.batch();
      for (const key of keys.slice(start, start + CHUNK)) {
        batch.set(this.db.collection(COLLECTION).doc(key), { processedAt: new Date() });
      }
      await batch.commit();
    }
  }
}
