/**
 * The pipeline's error codes: jobs, their files, the predecessor's bucket browser, and the
 * market API (a book at a moment, a timeline).
 */
export const PIPELINE_ERROR_CODES = [
  'JOB.NOT_FOUND',
  'JOB.EXISTS',
  'JOB.NO_FILES',
  'JOB.TOO_MANY_FILES',
  'JOB.NOTHING_TO_DO',
  'JOB.NOT_STARTED',
  'JOB.PAGE_NOT_FOUND',
  'JOB.ALREADY_FINISHED',
  'JOB.NOT_COMPLETE',
  'JOB.NO_MANIFEST',
  'FILE.GAVE_UP',
  'PROJECT.NOT_FOUND',
  'BROWSE.INVALID_PATH',
  'BUCKET.RETENTION_UNSUPPORTED',
  'MARKET.NOT_IN_FILE',
  'MARKET.NO_BOOK',
  'MARKET.NOT_INDEXED',
  'TIMELINE.INVALID_RANGE',
  'TIMELINE.TOO_MANY_SAMPLES',
] as const;

declare module '../platform/errors.js' {
  interface ErrorCodes {
    pipeline: (typeof PIPELINE_ERROR_CODES)[number];
  }
}
