import { hasCode, toAppError } from '../errors/app-error.js';
import type { Logger } from '../logging/logger.js';
import type { ObjectInfo, ObjectStore } from '../storage/object-store.js';

/** One recorded object, the generation it was loaded from, and its content. */
export interface LoadedPart<T> {
  generation: string;
  value: T;
}

/** Where one snapshot object lives and how its bytes become content. */
export interface SnapshotPartOptions<T> {
  objectStore: ObjectStore;
  bucket: string;
  name: string;
  load: (bytes: Buffer) => T;
  logger: Logger;
}

/**
 * Keeps the last valid content of one snapshot object and reads the object again only when its
 * generation changes. A generation that failed validation is remembered, so a corrupt object is
 * read once, logged once, and the previous content stays in service.
 */
export class SnapshotPart<T> {
  private loaded?: LoadedPart<T>;
  private tried?: string;

  constructor(private readonly options: SnapshotPartOptions<T>) {}

  /** The last valid content, if any. */
  get current(): LoadedPart<T> | undefined {
    return this.loaded;
  }

  /** Checks the object's generation and loads it when it is new. */
  async refresh(): Promise<void> {
    const info = await this.stat();
    if (!info || info.generation === this.tried) return;
    const bytes = await this.read(info.generation);
    this.tried = info.generation;
    if (bytes) this.accept(info.generation, bytes);
  }

  private accept(generation: string, bytes: Buffer): void {
    const { bucket, name, logger } = this.options;
    try {
      this.loaded = { generation, value: this.options.load(bytes) };
    } catch (error) {
      const { code, message } = toAppError(error);
      logger.error('corrupt feed snapshot kept out of service', {
        bucket,
        name,
        generation,
        code,
        reason: message,
      });
    }
  }

  /** The object's metadata, or undefined while nothing has been recorded. */
  private async stat(): Promise<ObjectInfo | undefined> {
    const { objectStore, bucket, name } = this.options;
    try {
      return await objectStore.stat(bucket, name);
    } catch (error) {
      if (toAppError(error).kind === 'not_found') return undefined;
      throw error;
    }
  }

  /** The bytes of exactly this generation; undefined when it was replaced meanwhile. */
  private async read(generation: string): Promise<Buffer | undefined> {
    const { objectStore, bucket, name } = this.options;
    try {
      return await readAll(await objectStore.read(bucket, name, { generation }));
    } catch (error) {
      // Overwritten between stat and read: the next check sees the newer generation.
      if (hasCode(error, 'OBJECT.GENERATION_MISMATCH') || toAppError(error).kind === 'not_found') {
        return undefined;
      }
      throw error;
    }
  }
}

async function readAll(stream: AsyncIterable<Buffer>): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk);
  return Buffer.concat(chunks);
}
