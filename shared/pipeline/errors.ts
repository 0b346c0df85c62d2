/** The pipeline's error codes: jobs, their files, and the predecessor's bucket browser. */
export const PIPELINE_ERROR_CODES = [
  'JOB.NOT_FOUND',
  'JOB.EXISTS',
  'JOB.NO_FILES',
  'JOB.TOO_MANY_FILES',
  'JOB.NOTHING_TO_DO',
  'JOB.NOT_STARTED',
  'JOB.PAGE_NOT_FOUND',
  'JOB.ALREADY_FINISHED',
  'FILE.GAVE_UP',
  'PROJECT.NOT_FOUND',
  'BROWSE.INVALID_PATH',
  'BUCKET.RETENTION_UNSUPPORTED',
] as const;

declare module '../platform/errors.js' {
  interface ErrorCodes {
    pipeline: (typeof PIPELINE_ERROR_CODES)[number];
  }
}
