import { AppError } from '../errors/app-error.js';

/** PLUGIN.INVALID_PATH: a selected path or dataset that is malformed or leaves its dataset. */
export function invalidPath(path: string, reason: string): AppError {
  return new AppError(
    'PLUGIN.INVALID_PATH',
    'invalid',
    `Invalid path ${JSON.stringify(path)}: ${reason}`,
  );
}

/** PLUGIN.INVALID_DATASET: a dataset that does not follow the source's layout. */
export function invalidDataset(dataset: string, expected: string): AppError {
  const message = `Invalid dataset ${JSON.stringify(dataset)}: expected ${expected}`;
  return new AppError('PLUGIN.INVALID_DATASET', 'invalid', message);
}

/** PLUGIN.NOT_FOUND: no plugin with this id. */
export function pluginNotFound(id: string, available: readonly string[]): AppError {
  const message = `Unknown source type ${JSON.stringify(id)}; available: ${available.join(', ')}`;
  return new AppError('PLUGIN.NOT_FOUND', 'invalid', message);
}

/** GZIP.CORRUPT: bytes that are not gzip, or damaged gzip. */
export function gzipCorrupt(detail: string, cause?: unknown): AppError {
  const message = `The gzip data is corrupt or not gzip at all (${detail})`;
  return new AppError('GZIP.CORRUPT', 'invalid', message, { cause });
}

/** GZIP.TRUNCATED: gzip data that stops before its end, e.g. an interrupted upload. */
export function gzipTruncated(cause?: unknown): AppError {
  const message = 'The gzip data ends early: the file is truncated';
  return new AppError('GZIP.TRUNCATED', 'invalid', message, { cause });
}
