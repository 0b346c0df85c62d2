import os from 'node:os';
import path from 'node:path';
import { mkdtemp } from 'node:fs/promises';
import { LocalObjectStore } from '../../shared/local/adapters/object-store.js';

/** A local object store in a new temporary data directory. */
export async function tempStore(): Promise<{ store: LocalObjectStore; dataDir: string }> {
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'chimera-test-'));
  return { store: new LocalObjectStore({ dataDir }), dataDir };
}

/** The whole content of a readable. */
export async function readAll(stream: AsyncIterable<Buffer>): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk);
  return Buffer.concat(chunks);
}
