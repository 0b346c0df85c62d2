import type { Platform } from '../../platform/platform.js';
import { FirestoreFileStatusStore } from '../firestore/file-status-store.js';
import { FirestoreJobStore, FirestoreProcessedIndex } from '../firestore/job-store.js';
import { FirestoreProgressStore } from '../firestore/progress-store.js';
import type { FileStatusStore, JobStore, ProcessedIndex, ProgressStore } from '../stores.js';

/** The job documents every pipeline HTTP function works on, and the clock it stamps them with. */
export interface JobDeps {
  jobStore: JobStore;
  statusStore: FileStatusStore;
  progressStore: ProgressStore;
  processedIndex: ProcessedIndex;
  now: () => Date;
}

/** The job stores on the platform's Firestore, with the real clock. */
export function jobDeps(platform: Pick<Platform, 'firestore'>): JobDeps {
  const { firestore } = platform;
  return {
    jobStore: new FirestoreJobStore(firestore),
    statusStore: new FirestoreFileStatusStore(firestore),
    progressStore: new FirestoreProgressStore(firestore),
    processedIndex: new FirestoreProcessedIndex(firestore),
    now: () => new Date(),
  };
}
