import { Readable } from 'node:stream';
import { hasCode } from '../errors/app-error.js';
import type { ObjectStore } from '../storage/object-store.js';
import type { DataType } from './record-paths.js';

/** One market a line, each enriched with `_recorded_at` and `_data_type` as the seed does. */
export function toNdjson(records: readonly object[], dataType: DataType, recordedAt: Date): Buffer {
  const extra = { _recorded_at: recordedAt.toISOString(), _data_type: dataType };
  return Buffer.from(
    records.map((record) => `${JSON.stringify({ ...record, ...extra })}\n`).join(''),
  );
}

/**
 * Writes one object, creating the bucket on first use (the local runtime starts with none;
 * in the cloud the deployment creates it and this never runs).
 */
export async function writeObject(
  store: ObjectStore,
  bucket: string,
  name: string,
  bytes: Buffer,
  contentType: string,
): Promise<void> {
  const write = () => store.write(bucket, name, Readable.from([bytes]), { contentType });
  try {
    await write();
  } catch (error) {
    if (!hasCode(error, 'BUCKET.NOT_FOUND')) throw error;
    await store.createBucket(bucket).catch((created: unknown) => {
      if (!hasCode(created, 'BUCKET.ALREADY_EXISTS')) throw created;
    });
    await write();
  }
}

/** A stored JSON document, or undefined when there is none yet. */
export async function readJsonObject(
  store: ObjectStore,
  bucket: string,
  name: string,
): Promise<unknown> {
  try {
    return JSON.parse((await readAll(await store.read(bucket, name))).toString('utf8')) as unknown;
  } catch (error) {
    if (hasCode(error, 'OBJECT.NOT_FOUND') || hasCode(error, 'BUCKET.NOT_FOUND')) return undefined;
    throw error;
  }
}

async function readAll(stream: AsyncIterable<Buffer>): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk);
  return Buffer.concat(chunks);
}
