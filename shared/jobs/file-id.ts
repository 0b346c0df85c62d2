import { createHash } from 'node:crypto';
import type { SourceObject } from './job-model.js';

/**
 * The id of a file's work inside a job: a digest of bucket, object name and generation, so a
 * redelivered message finds the same status document and an overwritten source is new work.
 */
export function fileIdOf(source: SourceObject): string {
  return createHash('sha256')
    .update(`${source.bucket}\n${source.name}\n${source.generation}`)
    .digest('hex')
    .slice(0, 32);
}
