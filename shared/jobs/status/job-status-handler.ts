import type { IncomingEvent } from '../../events/incoming-event.js';
import { runEvent } from '../../events/run-event.js';
import type { Logger } from '../../logging/logger.js';
import type { Platform } from '../../platform/platform.js';
import { FirestoreJobStore } from '../firestore-job-store.js';
import { parseFileChange } from './file-change.js';
import { FirestoreProgressStore } from './firestore-progress-store.js';
import { recordFileChange, type StatusDeps } from './record-file-change.js';
import { SeenJobs } from './seen-jobs.js';

/** Firestore sustains about one write a second to one document. */
export const MIN_WRITE_INTERVAL_MS = 1000;

/** Wires status aggregation to the platform's Firestore. */
export function jobStatusDeps(platform: Platform): StatusDeps {
  return statusDeps(platform.firestore, platform.logger);
}

/** Status aggregation on one Firestore database, with the real clock and write interval. */
export function statusDeps(firestore: Platform['firestore'], logger: Logger): StatusDeps {
  return {
    progressStore: new FirestoreProgressStore(firestore),
    jobStore: new FirestoreJobStore(firestore),
    logger,
    clock: () => new Date(),
    minWriteIntervalMs: MIN_WRITE_INTERVAL_MS,
    seen: new SeenJobs(),
  };
}

/** The CloudEvent handler for `google.cloud.firestore.document.v1.written` on file statuses. */
export function jobStatusHandler(deps: StatusDeps) {
  return (event: IncomingEvent): Promise<void> =>
    runEvent(deps.logger, event.id, () => recordFileChange(deps, parseFileChange(event.data)));
}
