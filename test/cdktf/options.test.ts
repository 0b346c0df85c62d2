import { describe, expect, it } from 'vitest';
import { stackOptions } from '../../cdktf/options.js';

describe('stackOptions', () => {
  it('needs only a project and derives the bucket names from it', () => {
    expect(stackOptions({ CHIMERA_PROJECT: 'my-project-1' })).toMatchObject({
      project: 'my-project-1',
      region: 'europe-west2',
      firestoreLocation: 'europe-west2',
      targetBucket: 'my-project-1-chimera-output',
      recorderBucket: 'my-project-1-chimera-recorder',
      sourcesBucket: 'my-project-1-chimera-sources',
      sourceBuckets: [],
      invokers: [],
      publicFeed: false,
    });
  });

  it('reads lists and flags', () => {
    const options = stackOptions({
      CHIMERA_PROJECT: 'my-project-1',
      CHIMERA_SOURCE_BUCKETS: 'a-bucket, b-bucket',
      CHIMERA_INVOKERS: 'user:ann@example.com,group:quants@example.com',
      CHIMERA_PUBLIC_FEED: 'true',
    });
    expect(options.sourceBuckets).toEqual(['a-bucket', 'b-bucket']);
    expect(options.invokers).toEqual(['user:ann@example.com', 'group:quants@example.com']);
    expect(options.publicFeed).toBe(true);
  });

  it.each([
    [{}, 'CHIMERA_PROJECT'],
    [{ CHIMERA_PROJECT: 'Bad_Project' }, 'CHIMERA_PROJECT'],
    [
      { CHIMERA_PROJECT: 'my-project-1', CHIMERA_SOURCE_BUCKETS: 'gs://x' },
      'CHIMERA_SOURCE_BUCKETS',
    ],
    [{ CHIMERA_PROJECT: 'my-project-1', CHIMERA_INVOKERS: 'ann@example.com' }, 'CHIMERA_INVOKERS'],
    [{ CHIMERA_PROJECT: 'my-project-1', CHIMERA_PUBLIC_FEED: 'yes' }, 'CHIMERA_PUBLIC_FEED'],
  ])('refuses %o naming %s', (env, variable) => {
    expect(() => stackOptions(env)).toThrow(variable);
  });
});
