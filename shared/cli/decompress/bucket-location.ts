import { Readable } from 'node:stream';
import type { ObjectStore } from '../../storage/object-store.js';
import type { Bytes, LocatedFile, Location } from './location.js';

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
