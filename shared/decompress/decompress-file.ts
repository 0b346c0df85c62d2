import type { Logger } from '../logging/logger.js';
import { toAppError } from '../errors/app-error.js';
import type { DecompressMessage } from '../jobs/decompress-message.js';
import { fileIdOf } from '../jobs/file-id.js';
import type { FileStatusStore } from '../jobs/file-status-store.js';
import type { FileState } from '../jobs/job-model.js';
import { processFile, type ProcessFileDeps } from './process-file.js';

/** What the decompress use case needs. */
export interface DecompressDeps extends ProcessFileDeps {
  statusStore: FileStatusStore;
  logger: Logger;
  /** Deliveries of one file before it is marked failed (keep below the dead-letter count). */
  maxAttempts: number;
}

/**
 * Decompresses one file of a job, exactly once in effect. Idempotency key: the job id and the
 * source's (bucket, name, generation). A repeated message for a finished file does nothing; a
 * permanent failure (corrupt, truncated or non-bz2 data, a missing or changed source) is
 * recorded with its reason and acknowledged; anything retryable is thrown for redelivery.
 */
export async function decompressFile(
  deps: DecompressDeps,
  message: DecompressMessage,
): Promise<FileState> {
  const fileId = fileIdOf(message.source);
  const log = deps.logger.child({ jobId: message.jobId, fileId, object: message.source.name });
  const begun = await deps.statusStore.begin(
    message.jobId,
    fileId,
    message.index,
    message.source,
    deps.maxAttempts,
  );
  if (!begun.proceed) {
    log.info('file already handled', { state: begun.state });
    return begun.state;
  }
  try {
    const result = await processFile(deps, message);
    await deps.statusStore.finish(message.jobId, fileId, { state: 'succeeded', result });
    log.info('file decompressed', { ...result, attempt: begun.attempt });
    return 'succeeded';
  } catch (thrown) {
    const error = toAppError(thrown);
    if (error.retryable) throw error;
    const reason = { code: error.code, message: error.message };
    await deps.statusStore.finish(message.jobId, fileId, { state: 'failed', error: reason });
    log.warn('file failed', { error: reason, attempt: begun.attempt });
    return 'failed';
  }
}
