import { AppError } from '../errors/app-error.js';

/** OBJECT.NOT_FOUND: no object under this name (or not the requested generation). */
export function objectNotFound(bucket: string, name: string, cause?: unknown): AppError {
  return new AppError('OBJECT.NOT_FOUND', 'not_found', `No object ${bucket}/${name}`, { cause });
}

/** OBJECT.ALREADY_EXISTS: a create-only write found the name taken. */
export function objectAlreadyExists(bucket: string, name: string, cause?: unknown): AppError {
  return new AppError('OBJECT.ALREADY_EXISTS', 'conflict', `Object ${bucket}/${name} exists`, {
    cause,
  });
}

/** OBJECT.GENERATION_MISMATCH: the object was replaced since its generation was read. */
export function generationMismatch(
  bucket: string,
  name: string,
  expected: string,
  cause?: unknown,
): AppError {
  const message = `Object ${bucket}/${name} is no longer generation ${expected}`;
  return new AppError('OBJECT.GENERATION_MISMATCH', 'conflict', message, { cause });
}

/** OBJECT.INVALID_NAME: a name the store refuses (unsafe, too long, malformed). */
export function invalidObjectName(name: string, reason: string): AppError {
  return new AppError(
    'OBJECT.INVALID_NAME',
    'invalid',
    `Invalid object name ${JSON.stringify(name)}: ${reason}`,
  );
}

/** OBJECT.INVALID_ARGUMENT: a request that can never succeed as sent. */
export function invalidArgument(message: string, cause?: unknown): AppError {
  return new AppError('OBJECT.INVALID_ARGUMENT', 'invalid', message, { cause });
}

/** BUCKET.NOT_FOUND. */
export function bucketNotFound(bucket: string, cause?: unknown): AppError {
  return new AppError('BUCKET.NOT_FOUND', 'not_found', `No bucket ${bucket}`, { cause });
}

/** BUCKET.ALREADY_EXISTS: createBucket on a taken name. */
export function bucketAlreadyExists(bucket: string, cause?: unknown): AppError {
  return new AppError('BUCKET.ALREADY_EXISTS', 'conflict', `Bucket ${bucket} exists`, { cause });
}

/** BUCKET.INVALID_NAME: a name outside Cloud Storage's bucket naming rules. */
export function invalidBucketName(bucket: string, reason: string): AppError {
  const message = `Invalid bucket name ${JSON.stringify(bucket)}: ${reason}`;
  return new AppError('BUCKET.INVALID_NAME', 'invalid', message);
}

/** STORAGE.UNAVAILABLE: an outage (5xx, throttling, network); retrying later can help. */
export function storageUnavailable(message: string, cause?: unknown): AppError {
  return new AppError('STORAGE.UNAVAILABLE', 'unavailable', message, { cause });
}
