import { lstat } from 'node:fs/promises';
import picomatch from 'picomatch';
import { isMissing } from './fs-errors.js';
import { DEFAULT_PAGE_SIZE } from './list-all.js';
import type { LocalLayout } from './local-layout.js';
import { objectInfoFromStats } from './local-object-info.js';
import { walkNames } from './local-walk.js';
import type { ListOptions, ListPage, ObjectInfo } from './object-store.js';
import { invalidArgument } from './storage-errors.js';

/**
 * One page of a local bucket's objects in byte order of names. The page token is the last
 * name returned, so a page picks up after it even if objects came or went in between.
 */
export async function listLocalPage(
  layout: LocalLayout,
  bucket: string,
  options: ListOptions = {},
): Promise<ListPage> {
  const pageSize = checkedPageSize(options.pageSize);
  const matches = options.glob === undefined ? () => true : picomatch(options.glob, { dot: true });
  const bounds = { prefix: options.prefix ?? '', startAfter: options.pageToken };
  const objects: ObjectInfo[] = [];
  for await (const name of walkNames(layout.bucketDir(bucket), bounds)) {
    if (!matches(name)) continue;
    if (objects.length === pageSize) {
      return { objects, nextPageToken: objects[objects.length - 1]?.name };
    }
    const info = await statIfPresent(layout, bucket, name);
    if (info) objects.push(info);
  }
  return { objects };
}

function checkedPageSize(pageSize = DEFAULT_PAGE_SIZE): number {
  if (!Number.isInteger(pageSize) || pageSize < 1) {
    throw invalidArgument(`pageSize must be a positive integer, not ${pageSize}`);
  }
  return pageSize;
}

async function statIfPresent(
  layout: LocalLayout,
  bucket: string,
  name: string,
): Promise<ObjectInfo | undefined> {
  try {
    const stats = await lstat(layout.objectPath(bucket, name), { bigint: true });
    return stats.isFile() ? objectInfoFromStats(bucket, name, stats) : undefined;
  } catch (error) {
    if (isMissing(error)) return undefined; // deleted after the folder was read
    throw error;
  }
}
