import { AppError } from '../errors/app-error.js';

/** BUCKET.NOT_FOUND in the predecessor API's wording. */
export function bucketNotFoundDetail(bucket: string): AppError {
  return new AppError('BUCKET.NOT_FOUND', 'not_found', `Bucket ${bucket} not found`);
}

/** PROJECT.NOT_FOUND: a project this deployment is not configured for. */
export function projectNotFound(projectId: string): AppError {
  return new AppError('PROJECT.NOT_FOUND', 'not_found', `Project ${projectId} not found`);
}

/** BROWSE.INVALID_PATH: a browse path that is malformed or climbs out of the bucket. */
export function invalidBrowsePath(path: string, reason: string): AppError {
  const message = `Invalid path ${JSON.stringify(path)}: ${reason}`;
  return new AppError('BROWSE.INVALID_PATH', 'invalid', message);
}

/** BUCKET.RETENTION_UNSUPPORTED: the object store port cannot set a retention policy yet. */
export function retentionUnsupported(): AppError {
  const message =
    'retention: bucket retention policies are not supported yet; send null or leave it out';
  return new AppError('BUCKET.RETENTION_UNSUPPORTED', 'invalid', message);
}
