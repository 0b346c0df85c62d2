import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateSampleData } from '../../shared/local/generator/generate.js';
import { startPipeline, type PipelineHarness } from '../support/pipeline-harness.js';

const SOURCE = 'betfair-historic';
const request = (target: string, extra: Record<string, unknown> = {}) => ({
  sourceBucket: SOURCE,
  sourceDataset: 'PRO/2022',
  selectedPaths: ['Apr/19'],
  targetBucket: target,
  createNewBucket: true,
  ...extra,
});

describe('a submit is validated before anything is created', () => {
  let harness: PipelineHarness;
  const jobCount = async () =>
    (await harness.get<{ jobs: unknown[] }>('/api/pipeline/history?limit=100')).body.jobs.length;

  beforeAll(async () => {
    harness = await startPipeline();
    await generateSampleData(harness.store, SOURCE, {
      mode: 'normal',
      seed: 3,
      meetings: 1,
      racesPerMeeting: 2,
    });
  }, 60_000);
  afterAll(() => harness.stop(), 60_000);

  it.each([
    ['..', '..', /"\.\." path segment/],
    ['../../x', '../../x', /"\.\." path segment/],
    ['a<NUL>b', 'a\0b', /NUL/],
    ['C:\\x', 'C:\\x', /backslash/],
    ['a//b', 'a//b', /empty path segment/],
    ['./x', './x', /"\." path segment/],
    ['500 × ü (1000 bytes)', 'ü'.repeat(500), /longer than 1024 bytes/],
  ])(
    'refuses outputPrefix %s with a 400, creating no bucket and no job',
    async (_label, prefix, why) => {
      const target = `refused-${Math.random().toString(36).slice(2, 10)}`;
      const before = await jobCount();
      const answer = await harness.post<{ detail: string; code: string }>(
        '/api/pipeline/submit',
        request(target, { outputPrefix: prefix }),
      );
      expect(answer.status).toBe(400);
      expect(answer.body.code).toBe('REQUEST.INVALID');
      expect(answer.body.detail).toMatch(/^outputPrefix: /);
      expect(answer.body.detail).toMatch(why);
      expect(answer.body.detail.length).toBeLessThan(600);
      expect(await harness.store.bucketExists(target)).toBe(false);
      expect(await jobCount()).toBe(before);
    },
  );

  it('refuses a selection that matches no files without creating the target bucket', async () => {
    const answer = await harness.post<{ code: string }>(
      '/api/pipeline/submit',
      request('never-made', { selectedPaths: ['Dec/31'] }),
    );
    expect(answer).toMatchObject({ status: 400, body: { code: 'JOB.NO_FILES' } });
    expect(await harness.store.bucketExists('never-made')).toBe(false);
  });

  it.each([
    ['an invalid target bucket name', { targetBucket: 'Not_A_Bucket' }, 'BUCKET.INVALID_NAME'],
    ['a location that is not one', { location: 'EU; rm -rf' }, 'REQUEST.INVALID'],
  ])('refuses %s before touching the store', async (_what, extra, code) => {
    const answer = await harness.post<{ code: string }>(
      '/api/pipeline/submit',
      request('fine-target', extra),
    );
    expect(answer).toMatchObject({ status: 400, body: { code } });
    expect(await harness.store.bucketExists('fine-target')).toBe(false);
  });

  it('accepts two identical submits at once that both create the target, and both complete', async () => {
    const body = request('made-twice');
    const answers = await Promise.all([
      harness.post<{ jobId: string }>('/api/pipeline/submit', body),
      harness.post<{ jobId: string }>('/api/pipeline/submit', body),
    ]);
    expect(answers.map((answer) => answer.status)).toEqual([201, 201]);
    const [first, second] = answers.map((answer) => answer.body.jobId);
    expect(first).not.toBe(second);
    const done = await Promise.all([harness.waitForJob(first!), harness.waitForJob(second!)]);
    expect(done.map((job) => job.status)).toEqual(['completed', 'completed']);
    // Parts are per job; the shards both jobs compose from the same files are the same bytes.
    const shards = await harness.store.list('made-twice', { prefix: 'output/output-' });
    expect(shards.objects.length).toBe(10);
  });
});
