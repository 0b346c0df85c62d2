import { createReadStream } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { open, rename, rm, stat } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { Readable } from 'node:stream';
import { walkNames, writeTempFile } from '../platform/files.js';
import type { ObjectStore } from '../platform/ports/object-store.js';
import { type ObjectStoreFactory, UsageError } from './command.js';

/** One file found under a location: its `/`-separated name relative to it, and its size. */
export interface LocatedFile {
  name: string;
  size: number;
}

/** Bytes to write: a stream, or chunks produced in order. */
export type Bytes = Readable | AsyncIterable<Uint8Array>;

/**
 * Where `chimera decompress` reads or writes: a local folder or a bucket prefix. Names are
 * relative to the location, so the same code mirrors paths from either kind to either kind.
 */
export interface Location {
  /** The folder path or `gs://bucket/prefix/`, for messages. */
  readonly label: string;
  /** Every file below the location, in byte order of the names. */
  list(): AsyncIterable<LocatedFile>;
  /** The file's bytes; rejects before the first byte when it cannot be read. */
  read(name: string): Promise<Readable>;
  /** Writes the whole of `source` under `name`, visible only once complete; returns its size. */
  write(name: string, source: Bytes): Promise<number>;
}

/** A prefix in a bucket of an object store; the store writes atomically. */
export class BucketLocation implements Location {
  readonly label: string;
  private readonly prefix: string;

  constructor(
    private readonly store: ObjectStore,
    private readonly bucket: string,
    prefix: string,
  ) {
    const trimmed = prefix.replace(/^\/+|\/+$/g, '');
    this.prefix = trimmed ? `${trimmed}/` : '';
    this.label = `gs://${bucket}/${this.prefix}`;
  }

  async *list(): AsyncIterable<LocatedFile> {
    for await (const object of this.store.listAll(this.bucket, { prefix: this.prefix })) {
      yield { name: object.name.slice(this.prefix.length), size: object.size };
    }
  }

  read(name: string): Promise<Readable> {
    return this.store.read(this.bucket, this.prefix + name);
  }

  async write(name: string, source: Bytes): Promise<number> {
    const body = source instanceof Readable ? source : Readable.from(source);
    return (await this.store.write(this.bucket, this.prefix + name, body)).size;
  }
}

/** Temp files start with this, so a listing never picks up a half-written output. */
const TEMP_MARK = '.chimera-tmp-';

/**
 * A local folder. Writes go to a temp file in the target's own folder and are renamed into
 * place, so a crash or a failed file never leaves a partial output under the real name.
 */
export class FolderLocation implements Location {
  readonly label: string;
  private readonly root: string;

  constructor(folder: string) {
    this.root = resolve(folder);
    this.label = folder;
  }

  async *list(): AsyncIterable<LocatedFile> {
    for await (const name of walkNames(this.root, { prefix: '' })) {
      if (basename(name).startsWith(TEMP_MARK)) continue;
      yield { name, size: (await stat(this.path(name))).size };
    }
  }

  async read(name: string): Promise<Readable> {
    const handle = await open(this.path(name), 'r');
    return handle.createReadStream();
  }

  async write(name: string, source: Bytes): Promise<number> {
    const target = this.path(name);
    const temp = join(dirname(target), `${TEMP_MARK}${randomBytes(6).toString('hex')}`);
    await writeTempFile(temp, source);
    try {
      await rename(temp, target);
    } catch (error) {
      await rm(temp, { force: true });
      throw error;
    }
    return (await stat(target)).size;
  }

  /** Whether the folder exists (a source must; a destination is created as needed). */
  async exists(): Promise<boolean> {
    return stat(this.root).then(
      (stats) => stats.isDirectory(),
      () => false,
    );
  }

  private path(name: string): string {
    return join(this.root, ...name.split('/'));
  }
}

/** `gs://bucket/prefix` as a bucket location; anything else as a local folder. */
export function openLocation(spec: string, objectStore: ObjectStoreFactory): Location {
  if (!spec.startsWith('gs://')) return new FolderLocation(spec);
  const match = /^gs:\/\/([^/]+)\/?(.*)$/.exec(spec);
  if (!match?.[1]) throw new UsageError(`"${spec}" is not gs://bucket[/prefix]`);
  return new BucketLocation(objectStore(), match[1], match[2] ?? '');
}

/** Fails with a UsageError when `location` is a local folder that does not exist. */
export async function assertSourceExists(location: Location): Promise<void> {
  if (location instanceof FolderLocation && !(await location.exists())) {
    throw new UsageError(`source folder "${location.label}" does not exist`);
  }
}

/**
 * One file named on the command line, `gs://bucket/object` or a local path, as a stream with
 * its size (for a progress bar). `what` names it in the message when it is not there.
 */
export async function openFile(
  spec: string,
  objectStore: ObjectStoreFactory,
  what: string,
): Promise<{ stream: Readable; size: number }> {
  const match = /^gs:\/\/([^/]+)\/(.+)$/.exec(spec);
  if (match) {
    const [, bucket = '', name = ''] = match;
    const store = objectStore();
    const info = await store.stat(bucket, name);
    return { stream: await store.read(bucket, name), size: info.size };
  }
  if (spec.startsWith('gs://')) throw new UsageError(`"${spec}" is not gs://bucket/object`);
  const info = await stat(spec).catch(() => undefined);
  if (!info?.isFile()) throw new UsageError(`${what} "${spec}" is not a file`);
  return { stream: createReadStream(spec), size: info.size };
}
