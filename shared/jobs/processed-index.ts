import { createHash } from 'node:crypto';
import type { OutputCompression, SourceObject, SupportedProcessType } from './job-model.js';

/** Where and how a job writes: processing the same source again here would repeat work. */
export interface OutputTarget {
  bucket: string;
  prefix: string;
  processType: SupportedProcessType;
  compression: OutputCompression;
}

/** The key of "this source generation was processed into this target". */
export function processedKey(target: OutputTarget, source: SourceObject): string {
  return createHash('sha256')
    .update(
      [
        target.bucket,
        target.prefix,
        target.processType,
        target.compression,
        source.bucket,
        source.name,
        source.generation,
      ].join('\n'),
    )
    .digest('hex');
}

/** Remembers which source generations completed jobs have already written to a target. */
export interface ProcessedIndex {
  /** The subset of `keys` already processed. */
  has(keys: readonly string[]): Promise<Set<string>>;
  add(keys: readonly string[]): Promise<void>;
}
