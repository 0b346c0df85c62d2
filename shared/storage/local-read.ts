import type { Readable } from 'node:stream';
import type { OpenObject } from './local-safe-path.js';
import { generationOf } from './local-object-info.js';
import type { ReadOptions } from './object-store.js';
import { generationMismatch } from './storage-errors.js';
import { resolveByteRange } from './byte-range.js';

/** Which object is being read, and how. */
export interface ReadRequest extends ReadOptions {
  bucket: string;
  name: string;
}

/**
 * A stream over the opened file, checked against the expected generation first. The check
 * uses the handle's own stats, so a rename-replace after opening cannot slip in another file.
 */
export async function readRange(opened: OpenObject, request: ReadRequest): Promise<Readable> {
  const { handle, stats } = opened;
  try {
    const generation = generationOf(stats);
    if (request.generation !== undefined && request.generation !== generation) {
      throw generationMismatch(request.bucket, request.name, request.generation);
    }
    return handle.createReadStream(resolveByteRange(Number(stats.size), request));
  } catch (error) {
    await handle.close();
    throw error;
  }
}
