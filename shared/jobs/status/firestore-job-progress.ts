import type { Firestore } from '@google-cloud/firestore';
import { FirestoreProgressStore } from './firestore-progress-store.js';
import { refresh } from './record-file-change.js';

/**
 * Recounts a job's files and writes the totals now, outside the recount slots (never over
 * newer totals). The finalize step calls it last, so a change that fell after the last
 * recount of the trigger is never missing from the final totals.
 */
export async function refreshJobProgress(db: Firestore, jobId: string, now: Date): Promise<void> {
  const progressStore = new FirestoreProgressStore(db);
  await refresh({ progressStore, clock: () => now }, jobId);
}
