import picomatch from 'picomatch';
import { createWriteStream, constants, type BigIntStats, type Dirent } from 'node:fs';
import { link, mkdir, rename, rm, lstat, open, type FileHandle, readdir } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import {
  invalidArgument,
  objectAlreadyExists,
  type ReadOptions,
  generationMismatch,
  resolveByteRange,
  objectNotFound,
  DEFAULT_PAGE_SIZE,
  type ListOptions,
  type ListPage,
  type ObjectInfo,
} from '../../platform/ports/object-store.js';
import {
  errnoCode,
  generationOf,
  isMissing,
  type LocalLayout,
  objectInfoFromStats,
} from './object-store.js';

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

/** Which names a walk may skip without reading them. */
export interface WalkBounds {
  /** Only names starting with this. */
  prefix: string;
  /** Only names sorting after this one (byte order). */
  startAfter?: string;
}

/**
 * Every regular file under `dir` as a `/`-joined name, in byte order of the full names.
 * Entries sort by name plus `/` for folders, which orders each folder's names exactly where
 * they fall among its siblings. Symbolic links are neither followed nor listed; folders that
 * cannot hold a name within `bounds` are not read.
 */
export async function* walkNames(
  dir: string,
  bounds: WalkBounds,
  parent = '',
): AsyncGenerator<string> {
  for (const { key, entry } of await sortedEntries(dir)) {
    const name = parent + key;
    if (entry.isDirectory()) {
      if (mayHoldNames(name, bounds)) yield* walkNames(join(dir, entry.name), bounds, name);
    } else if (entry.isFile() && isWanted(name, bounds)) {
      yield name;
    }
  }
}

async function sortedEntries(dir: string): Promise<{ key: string; entry: Dirent }[]> {
  let entries: Dirent[];
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch (error) {
    if (isMissing(error)) return []; // removed while walking
    throw error;
  }
  const keyed = entries.map((entry) => ({
    key: entry.isDirectory() ? `${entry.name}/` : entry.name,
    entry,
  }));
  return keyed.sort((a, b) => compareBytes(a.key, b.key));
}

/** Byte order of the UTF-8 encodings, the order Cloud Storage lists names in. */
export function compareBytes(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));
}

function isWanted(name: string, { prefix, startAfter }: WalkBounds): boolean {
  if (!name.startsWith(prefix)) return false;
  return startAfter === undefined || compareBytes(name, startAfter) > 0;
}

/** Whether a folder (`folder` ends with `/`) can contain a name within the bounds. */
function mayHoldNames(folder: string, { prefix, startAfter }: WalkBounds): boolean {
  if (!folder.startsWith(prefix) && !prefix.startsWith(folder)) return false;
  if (startAfter === undefined || startAfter.startsWith(folder)) return true;
  // Not a prefix of startAfter, so either every name in the folder sorts after it or none does.
  return compareBytes(folder, startAfter) > 0;
}

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
