import type { DocumentReference, DocumentSnapshot, Firestore } from '@google-cloud/firestore';
import { AppError } from '../../errors/app-error.js';
import { revive } from '../firestore-job-store.js';
import { FILES_SUBCOLLECTION, JOBS_COLLECTION } from '../job-model.js';
import { LOGS_SUBCOLLECTION, type JobProgress, type JobRecord } from '../job-record.js';
import { tallyFiles } from './firestore-file-tally.js';
import type {
  JobProgressState,
  ProgressDecision,
  ProgressStore,
  ProgressUpdate,
} from './progress-store.js';

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
    stages: {
      read: 'waiting',
      decompress: 'waiting',
      concatenate: 'waiting',
      write: 'waiting',
      validate: 'waiting',
      ...job.stages,
    },
  };
}
