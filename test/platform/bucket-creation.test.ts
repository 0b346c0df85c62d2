import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { withBucketCreation } from '../../shared/platform/bucket-creation.js';
import { loadConfig } from '../../shared/platform/config.js';
import { createPlatform } from '../../shared/platform/platform.js';
import { MemoryObjectStore } from '../support/memory-object-store.js';
import { readAll } from '../support/temp-store.js';

describe('bucket creation switched off (CHIMERA_BUCKET_CREATION=false)', () => {
  it('refuses createBucket with a 400 that says what to do, and leaves the rest of the store as it is', async () => {
    const inner = new MemoryObjectStore();
    await inner.createBucket('existing');
    const store = withBucketCreation(inner, false);
    await expect(store.createBucket('new-bucket')).rejects.toMatchObject({
      code: 'BUCKET.CREATION_DISABLED',
      kind: 'invalid',
      message: expect.stringMatching(/new-bucket.*CHIMERA_EXTRA_TARGET_BUCKETS/) as unknown,
    });
    expect(await inner.bucketExists('new-bucket')).toBe(false);
    await store.write('existing', 'a.txt', Readable.from([Buffer.from('hi')]));
    expect((await readAll(await store.read('existing', 'a.txt'))).toString()).toBe('hi');
    expect(withBucketCreation(inner, true)).toBe(inner);
  });

  it('is what a deployed function’s platform does, before Cloud Storage is asked', async () => {
    const platform = createPlatform(
      loadConfig({
        CHIMERA_MODE: 'cloud',
        GOOGLE_CLOUD_PROJECT: 'p',
        CHIMERA_BUCKET_CREATION: 'false',
      }),
      'pipeline-api',
    );
    await expect(platform.objectStore.createBucket('any-bucket')).rejects.toMatchObject({
      code: 'BUCKET.CREATION_DISABLED',
    });
    await platform.firestore.terminate();
  });
});
