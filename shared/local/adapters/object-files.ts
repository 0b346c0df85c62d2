import { createHash, randomBytes } from 'node:crypto';
import {
  constants,
  linkSync,
  lstatSync,
  renameSync,
  rmSync,
  type BigIntStats,
  type Stats,
} from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { Readable } from 'node:stream';
import {
  invalidArgument,
  bucketNotFound,
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
import { compileObjectGlob } from '../../platform/ports/object-glob.js';
import {
  closeQuietly,
  descriptors,
  errnoCode,
  isMissing,
  walkNames,
} from '../../platform/files.js';

/**
 * Where the local store keeps things under its data folder:
 * `buckets/<bucket>/<object name>` for objects, `.tmp/` for writes in progress (same filesystem,
 * so a rename publishes them atomically, but outside every bucket, so no listing sees them) and
 * `bucket-meta/<bucket>.json` for the location and storage class given at creation.
 */
export class LocalLayout {
  readonly bucketsDir: string;
  readonly tempDir: string;
  readonly metaDir: string;

  constructor(readonly dataDir: string) {
    this.bucketsDir = join(dataDir, 'buckets');
    this.tempDir = join(dataDir, '.tmp');
    this.metaDir = join(dataDir, 'bucket-meta');
  }

  /** The folder of a (validated) bucket name. */
  bucketDir(bucket: string): string {
    return join(this.bucketsDir, bucket);
  }

  /** The file of a (validated) object name. */
  objectPath(bucket: string, name: string): string {
    return join(this.bucketDir(bucket), ...name.split('/'));
  }

  /** The sidecar holding a bucket's creation options. */
  metaPath(bucket: string): string {
    return join(this.metaDir, `${bucket}.json`);
  }

  /**
   * A fresh temp file name, `<pid>-<random><count>.part`: unique to this process (the random
   * part is drawn once per process, in case a process id is reused) and within it, with the
   * writer's process id so a start-up can tell a dead process's leftovers.
   */
  newTempPath(): string {
    tempFiles += 1;
    return join(this.tempDir, `${process.pid}-${PROCESS_TAG}${tempFiles.toString(16)}.part`);
  }
}

const PROCESS_TAG = randomBytes(8).toString('hex');
let tempFiles = 0;

/**
 * The generation of a local object, derived from its file so that a file copied in by hand is
 * an object like any other: the modification time in nanoseconds followed by the inode number
 * (zero-padded), all digits like a Cloud Storage generation. Writing in place changes the time;
 * replacing by rename (as every write of this store does) changes the inode.
 */
export function generationOf(stats: BigIntStats): string {
  return `${stats.mtimeNs}${stats.ino.toString().padStart(20, '0')}`;
}

/** What the store reports for a local file. Content type and custom metadata are not kept. */
export function objectInfoFromStats(bucket: string, name: string, stats: BigIntStats): ObjectInfo {
  const generation = generationOf(stats);
  return {
    bucket,
    name,
    size: Number(stats.size),
    generation,
    etag: etagOf(generation, stats.size),
    updated: new Date(Number(stats.mtimeNs / 1_000_000n)),
  };
}

function etagOf(generation: string, size: bigint): string {
  return createHash('sha256').update(`${generation}:${size}`).digest('base64url').slice(0, 22);
}

/** Which object a temp file becomes, and whether an existing one may be replaced. */
export interface PublishTarget {
  bucket: string;
  name: string;
  path: string;
  ifNotExists?: boolean;
  /** Asked before a missing folder on the path is made: a write never makes a bucket. */
  bucketExists: () => Promise<boolean>;
}

/**
 * Makes a complete temp file visible under the target path in one step: `rename` replaces,
 * `link` creates only (fails with EEXIST, atomically). The temp file never stays behind.
 */
export async function publishTempFile(tempPath: string, target: PublishTarget): Promise<void> {
  try {
    await placeWithRetry(tempPath, target);
  } catch (error) {
    rmSync(tempPath, { force: true });
    throw publishError(error, target);
  }
  // A rename moved the temp file; a link left it behind.
  if (target.ifNotExists) rmSync(tempPath, { force: true });
}

async function placeWithRetry(tempPath: string, target: PublishTarget): Promise<void> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      if (target.ifNotExists) linkSync(tempPath, target.path);
      else renameSync(tempPath, target.path);
      return;
    } catch (error) {
      // The folder is missing: not made yet, or removed by a concurrent delete once empty.
      if (errnoCode(error) !== 'ENOENT' || attempt >= 3) throw error;
    }
    if (!(await target.bucketExists())) throw bucketNotFound(target.bucket);
    await mkdir(dirname(target.path), { recursive: true });
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
 * uses the descriptor's own stats, so a rename-replace after opening cannot slip in another
 * file. The stream owns the descriptor from here and closes it when it ends or is destroyed.
 */
export function readRange(opened: OpenObject, request: ReadRequest): Readable {
  const { fd, stats } = opened;
  try {
    const generation = generationOf(stats);
    if (request.generation !== undefined && request.generation !== generation) {
      throw generationMismatch(request.bucket, request.name, request.generation);
    }
    const range = resolveByteRange(Number(stats.size), request);
    return descriptorStream(fd, range?.start ?? 0, range ? range.end + 1 : 0);
  } catch (error) {
    closeQuietly(fd);
    throw error;
  }
}

/** Bytes read from a descriptor per chunk of a read stream. */
const READ_CHUNK_BYTES = 256 * 1024;

/**
 * Bytes [start, end) of an open file as a stream that closes the descriptor once done. The first
 * chunk is read at once; each later one after a turn of the event loop, so a reader of a large
 * object never holds up the process's other work.
 */
function descriptorStream(fd: number, start: number, end: number): Readable {
  let position = start;
  const readChunk = (stream: Readable) => {
    if (stream.destroyed) return; // its descriptor is closed, and its number may be reused
    try {
      const length = Math.min(READ_CHUNK_BYTES, end - position);
      const buffer = Buffer.allocUnsafe(length);
      const bytesRead = length > 0 ? descriptors.read(fd, buffer, length, position) : 0;
      position += bytesRead;
      if (bytesRead > 0) stream.push(buffer.subarray(0, bytesRead));
      // A file cut short since it was opened ends the stream at what is there.
      if (bytesRead === 0 || position >= end) stream.push(null);
    } catch (error) {
      stream.destroy(error as Error);
    }
  };
  return new Readable({
    read() {
      if (position === start) readChunk(this);
      else setImmediate(readChunk, this);
    },
    destroy(error, done) {
      closeQuietly(fd);
      done(error);
    },
  });
}

/**
 * True when some existing folder or file on the way from the bucket folder to the object is a
 * symbolic link. Names are already free of `..`, so a link is the only way out of the bucket,
 * and the store never follows one.
 */
export function passesThroughSymlink(bucketDir: string, name: string): boolean {
  let path = bucketDir;
  for (const segment of name.split('/')) {
    path = join(path, segment);
    // A missing name is answered without an error: a new object's own name always is.
    let stats: Stats | undefined;
    try {
      stats = lstatSync(path, { throwIfNoEntry: false });
    } catch (error) {
      if (isMissing(error)) return false;
      throw error;
    }
    if (stats === undefined) return false;
    if (stats.isSymbolicLink()) return true;
  }
  return false;
}

/** An open object file and its stats, taken from the open descriptor so both describe one file. */
export interface OpenObject {
  fd: number;
  stats: BigIntStats;
}

/**
 * Opens an object file for reading without following links; a missing file, a folder or a link
 * is OBJECT.NOT_FOUND.
 */
export function openObjectFile(
  bucketDir: string,
  path: string,
  bucket: string,
  name: string,
): OpenObject {
  if (passesThroughSymlink(bucketDir, name)) throw objectNotFound(bucket, name);
  let fd: number;
  try {
    fd = descriptors.open(path, constants.O_RDONLY | constants.O_NOFOLLOW);
  } catch (error) {
    if (isMissing(error) || errnoCode(error) === 'ELOOP') throw objectNotFound(bucket, name, error);
    throw error;
  }
  const stats = descriptors.stat(fd);
  if (!stats.isFile()) {
    descriptors.close(fd);
    throw objectNotFound(bucket, name);
  }
  return { fd, stats };
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
  const matches = options.glob === undefined ? () => true : compileObjectGlob(options.glob);
  const bounds = { prefix: options.prefix ?? '', startAfter: options.pageToken };
  const names: string[] = [];
  let more = false;
  for await (const name of walkNames(layout.bucketDir(bucket), bounds)) {
    if (!matches(name)) continue;
    if (names.length === pageSize) {
      more = true;
      break;
    }
    names.push(name);
  }
  const objects = names.flatMap((name) => statIfPresent(layout, bucket, name) ?? []);
  return more ? { objects, nextPageToken: names[names.length - 1] } : { objects };
}

function checkedPageSize(pageSize = DEFAULT_PAGE_SIZE): number {
  if (!Number.isInteger(pageSize) || pageSize < 1) {
    throw invalidArgument(`pageSize must be a positive integer, not ${pageSize}`);
  }
  return pageSize;
}

function statIfPresent(layout: LocalLayout, bucket: string, name: string): ObjectInfo | undefined {
  try {
    const stats = lstatSync(layout.objectPath(bucket, name), { bigint: true });
    return stats.isFile() ? objectInfoFromStats(bucket, name, stats) : undefined;
  } catch (error) {
    if (isMissing(error)) return undefined; // deleted after the folder was read
    throw error;
  }
}
