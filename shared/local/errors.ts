/**
 * The embedded runtime's error codes: its Pub/Sub, Workflows, scheduler, secrets file and the
 * Firestore emulator's journal.
 */
export const LOCAL_ERROR_CODES = [
  'TOPIC.NOT_FOUND',
  'SUBSCRIPTION.EXISTS',
  'MESSAGE.EMPTY',
  'DELIVERY.CLOSED',
  'WORKFLOW.NOT_FOUND',
  'WORKFLOW.INVALID',
  'WORKFLOW.UNSUPPORTED',
  'EXECUTION.NOT_FOUND',
  'EXECUTION.NOT_ACTIVE',
  'SCHEDULER.JOB_NOT_FOUND',
  'SCHEDULER.DUPLICATE_JOB',
  'SCHEDULER.INVALID_SCHEDULE',
  'SECRETS.CORRUPT',
  'RUNTIME.STARTING',
  'RUNTIME.FUNCTIONS_UNAVAILABLE',
  'FIRESTORE.DATA_CORRUPT',
  'FIRESTORE.JOURNAL_FAILED',
  'FIRESTORE.EMULATOR_CHANGED',
] as const;

declare module '../platform/errors.js' {
  interface ErrorCodes {
    local: (typeof LOCAL_ERROR_CODES)[number];
  }
}
