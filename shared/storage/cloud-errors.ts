import { AppError } from '../errors/app-error.js';
import {
  bucketAlreadyExists,
  bucketNotFound,
  generationMismatch,
  invalidArgument,
  objectAlreadyExists,
  objectNotFound,
  storageUnavailable,
} from './storage-errors.js';

/** What the failed call was about, to pick the right code for a status. */
export interface CloudErrorContext {
  bucket: string;
  name?: string;
  ifNotExists?: boolean;
  generation?: string;
}

const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'EAI_AGAIN',
  'ENOTFOUND',
  'ENETUNREACH',
  'EHOSTUNREACH',
  'ERR_STREAM_PREMATURE_CLOSE',
  // The client's checksum check failed: bytes were damaged on the way, so a retry can help.
  'FILE_NO_UPLOAD',
  'CONTENT_DOWNLOAD_MISMATCH',
]);

/**
 * A Cloud Storage client failure as an AppError: 404 → OBJECT/BUCKET.NOT_FOUND, 409 and 412 →
 * ALREADY_EXISTS or GENERATION_MISMATCH, 400 and 416 → OBJECT.INVALID_ARGUMENT, 408, 429, 5xx
 * network failures and checksum mismatches → STORAGE.UNAVAILABLE. Anything else (a caller's own stream error, an
 * AppError) is returned unchanged.
 */
export function mapCloudError(error: unknown, context: CloudErrorContext): unknown {
  if (error instanceof AppError) return error;
  const status = httpStatus(error);
  if (status === undefined) {
    return isNetworkFailure(error) ? storageUnavailable(describe(error), error) : error;
  }
  return fromStatus(status, error, context);
}

function fromStatus(status: number, error: unknown, context: CloudErrorContext): AppError {
  const { bucket, name } = context;
  if (status === 404) {
    const noBucket =
      name === undefined || /bucket does not exist|no such bucket/i.test(describe(error));
    return noBucket ? bucketNotFound(bucket, error) : objectNotFound(bucket, name, error);
  }
  if (status === 409 && name === undefined) return bucketAlreadyExists(bucket, error);
  if (status === 409 || (status === 412 && context.ifNotExists)) {
    return objectAlreadyExists(bucket, name ?? '', error);
  }
  if (status === 412)
    return generationMismatch(bucket, name ?? '', context.generation ?? '', error);
  if (status === 400 || status === 416) return invalidArgument(describe(error), error);
  if (status === 408 || status === 429 || status >= 500) {
    return storageUnavailable(`Cloud Storage answered ${status}: ${describe(error)}`, error);
  }
  return new AppError('STORAGE.FAILED', 'internal', `Cloud Storage answered ${status}`, {
    cause: error,
  });
}

function httpStatus(error: unknown): number | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const { code, response } = error as { code?: unknown; response?: { status?: unknown } };
  if (typeof code === 'number') return code;
  return typeof response?.status === 'number' ? response.status : undefined;
}

function isNetworkFailure(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const { code, cause } = error as { code?: unknown; cause?: unknown };
  if (typeof code === 'string' && NETWORK_CODES.has(code)) return true;
  return cause !== undefined && cause !== error && isNetworkFailure(cause);
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
