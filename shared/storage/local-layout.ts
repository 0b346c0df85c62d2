import { randomBytes } from 'node:crypto';
import { join } from 'node:path';

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

  /** A fresh temp file name; random so concurrent writers never share one. */
  newTempPath(): string {
    return join(this.tempDir, `${randomBytes(12).toString('hex')}.part`);
  }
}
