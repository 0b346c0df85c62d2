import type { Readable } from 'node:stream';

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
