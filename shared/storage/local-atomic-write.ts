import { createWriteStream } from 'node:fs';
import { link, mkdir, rename, rm } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { errnoCode } from './fs-errors.js';
import { invalidArgument, objectAlreadyExists } from './storage-errors.js';

/** Bytes for a temp file: a stream, or chunks produced in order. */
export type ByteSource = Readable | AsyncIterable<Uint8Array>;

/** Streams `source` into a new temp file; on any failure the temp file is removed. */
export async function writeTempFile(tempPath: string, source: ByteSource): Promise<void> {
  await mkdir(dirname(tempPath), { recursive: true });
  try {
    await pipeline(source, createWriteStream(tempPath, { flags: 'wx' }));
  } catch (error) {
    await rm(tempPath, { force: true });
    throw error;
  }
}

/** Which object a temp file becomes, and whether an existing one may be replaced. */
export interface PublishTarget {
  bucket: string;
  name: string;
  path: string;
  ifNotExists?: boolean;
}

/**
 * Makes a complete temp file visible under the target path in one step: `rename` replaces,
 * `link` creates only (fails with EEXIST, atomically). The temp file is always removed.
 */
export async function publishTempFile(tempPath: string, target: PublishTarget): Promise<void> {
  try {
    await placeWithRetry(tempPath, target);
  } catch (error) {
    throw publishError(error, target);
  } finally {
    await rm(tempPath, { force: true });
  }
}

async function placeWithRetry(tempPath: string, target: PublishTarget): Promise<void> {
  for (let attempt = 1; ; attempt += 1) {
    await mkdir(dirname(target.path), { recursive: true });
    try {
      if (target.ifNotExists) await link(tempPath, target.path);
      else await rename(tempPath, target.path);
      return;
    } catch (error) {
      // A concurrent delete may remove the folder, once empty, between mkdir and the rename.
      if (errnoCode(error) !== 'ENOENT' || attempt >= 3) throw error;
    }
  }
}

function publishError(error: unknown, target: PublishTarget): unknown {
  const code = errnoCode(error);
  if (target.ifNotExists && code === 'EEXIST')
    return objectAlreadyExists(target.bucket, target.name, error);
  if (code === 'EEXIST' || code === 'ENOTDIR' || code === 'EISDIR' || code === 'ENOTEMPTY') {
    // Cloud Storage can hold both `a` and `a/b`; folders on disk cannot.
    const message = `Object ${target.bucket}/${target.name} clashes with a folder or file on its path`;
    return invalidArgument(message, error);
  }
  return error;
}
