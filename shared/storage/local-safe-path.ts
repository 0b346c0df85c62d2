import { constants, type BigIntStats } from 'node:fs';
import { lstat, open, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import { errnoCode, isMissing } from './fs-errors.js';
import { objectNotFound } from './storage-errors.js';

/**
 * True when some existing folder or file on the way from the bucket folder to the object is a
 * symbolic link. Names are already free of `..`, so a link is the only way out of the bucket,
 * and the store never follows one.
 */
export async function passesThroughSymlink(bucketDir: string, name: string): Promise<boolean> {
  let path = bucketDir;
  for (const segment of name.split('/')) {
    path = join(path, segment);
    try {
      if ((await lstat(path)).isSymbolicLink()) return true;
    } catch (error) {
      if (isMissing(error)) return false;
      throw error;
    }
  }
  return false;
}

/** An open object file and its stats, taken from the open handle so both describe one file. */
export interface OpenObject {
  handle: FileHandle;
  stats: BigIntStats;
}

/**
 * Opens an object file for reading without following links; a missing file, a folder or a link
 * is OBJECT.NOT_FOUND.
 */
export async function openObjectFile(
  bucketDir: string,
  path: string,
  bucket: string,
  name: string,
): Promise<OpenObject> {
  if (await passesThroughSymlink(bucketDir, name)) throw objectNotFound(bucket, name);
  let handle: FileHandle;
  try {
    handle = await open(path, constants.O_RDONLY | constants.O_NOFOLLOW);
  } catch (error) {
    if (isMissing(error) || errnoCode(error) === 'ELOOP') throw objectNotFound(bucket, name, error);
    throw error;
  }
  const stats = await handle.stat({ bigint: true });
  if (!stats.isFile()) {
    await handle.close();
    throw objectNotFound(bucket, name);
  }
  return { handle, stats };
}
