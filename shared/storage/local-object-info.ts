import { createHash } from 'node:crypto';
import type { BigIntStats } from 'node:fs';
import type { ObjectInfo } from './object-store.js';

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
