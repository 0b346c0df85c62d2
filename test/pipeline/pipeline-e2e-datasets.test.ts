import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateSampleData, type ManifestEntry } from '../../shared/local/generator/generate.js';
import { expectedConcatenation } from '../support/job-input.js';
import { startPipeline, type PipelineHarness } from '../support/pipeline-harness.js';
import { readAll } from '../support/temp-store.js';

const SOURCE = 'betfair-historic';
const TARGET = 'dataset-results';
const SHARD = /output-\d{5}-of-\d{5}\.ndjson$/;

/** Race days either side of a new year, so a selection of two years has files in both. */
const NEW_YEAR = {
  date: '2021-12-31',
  days: 2,
  seed: 5,
  meetings: 1,
  racesPerMeeting: 2,
  updates: 20,
};

interface Refusal {
  code: string;
  detail: string;
}

describe('a dataset is any folder of the bucket, end to end over HTTP', () => {
  let harness: PipelineHarness;
  let atTop: ManifestEntry[];
  let archived: ManifestEntry[];
  let ownLayout: ManifestEntry[];

  const jobCount = async () =>
    (await harness.get<{ jobs: unknown[] }>('/api/pipeline/history?limit=100')).body.jobs.length;

  /** Submits, waits for the job, and returns its status and its shards joined in order. */
  async function runJob(request: Record<string, unknown>, outputPrefix: string) {
    const submit = await harness.post<{ jobId: string }>('/api/pipeline/submit', {
      sourceBucket: SOURCE,
      targetBucket: TARGET,
      createNewBucket: true,
      outputShards: 2,
      outputPrefix,
      ...request,
    });
    expect(submit.status, JSON.stringify(submit.body)).toBe(201);
    const status = await harness.waitForJob(submit.body.jobId);
    const shards = (status.outputFiles as string[]).filter((name) => SHARD.test(name));
    expect(shards).toHaveLength(2);
    const joined = Buffer.concat(
      await Promise.all(shards.map(async (s) => readAll(await harness.store.read(TARGET, s)))),
    );
    return { status, joined };
  }

  beforeAll(async () => {
    harness = await startPipeline();
    atTop = (await generateSampleData(harness.store, SOURCE, NEW_YEAR)).files;
    archived = (
      await generateSampleData(harness.store, SOURCE, { ...NEW_YEAR, prefix: 'archive/' })
    ).files;
    // The same markets again in folders of the user's own, with nothing of the vendor layout.
    ownLayout = await Promise.all(
      atTop.map(async (file, n) => {
        const objectName = `my/own/layout/batch-${n % 2}/${file.marketId}.bz2`;
        const bytes = await readAll(await harness.store.read(SOURCE, file.objectName));
        await harness.store.write(SOURCE, objectName, Readable.from([bytes]));
        return { ...file, objectName };
      }),
    );
  }, 60_000);
  afterAll(() => harness.stop(), 60_000);

  it('has generated files in both years', () => {
    const years = new Set(archived.map((file) => file.objectName.split('/')[2]));
    expect([...years].sort()).toEqual(['2021', '2022']);
  });

  it('runs a job on a dataset below the bucket top, its selection spanning two years', async () => {
    const { status, joined } = await runJob(
      { sourceDataset: 'archive/PRO', selectedPaths: ['2021', '2022'] },
      'archive/',
    );
    expect(status).toMatchObject({
      status: 'completed',
      filesTotal: archived.length,
      filesSucceeded: archived.length,
      filesFailed: 0,
    });
    const expected = await expectedConcatenation(harness.store, SOURCE, archived);
    expect(joined.equals(expected)).toBe(true);
  }, 120_000);

  it('runs the same two years as a dataset at the top, `PRO`, to the same bytes', async () => {
    const { status, joined } = await runJob(
      { sourceDataset: 'PRO', selectedPaths: ['2021', '2022'] },
      'top/',
    );
    expect(status).toMatchObject({ status: 'completed', filesTotal: atTop.length });
    expect(joined.equals(await expectedConcatenation(harness.store, SOURCE, archived))).toBe(true);
  }, 120_000);

  it('runs a job on folders laid out in a way of their own', async () => {
    const { status, joined } = await runJob(
      { sourceDataset: 'my/own/layout', selectedPaths: [''] },
      'own/',
    );
    expect(status).toMatchObject({
      status: 'completed',
      filesTotal: ownLayout.length,
      filesSucceeded: ownLayout.length,
    });
    expect(joined.equals(await expectedConcatenation(harness.store, SOURCE, ownLayout))).toBe(true);
  }, 120_000);

  it('reports what the vendor layout says of each selected folder, and nothing for its own', async () => {
    const archive = await harness.post('/api/plugins/validate', {
      sourceBucket: SOURCE,
      sourceDataset: 'archive/PRO',
      selectedPaths: ['2021', '2022/Jan'],
    });
    expect(archive).toMatchObject({
      status: 200,
      body: {
        allValid: true,
        folders: [
          { path: 'archive/PRO/2021', layout: { root: 'archive', tier: 'PRO', year: 2021 } },
          {
            path: 'archive/PRO/2022/Jan',
            layout: { root: 'archive', tier: 'PRO', year: 2022, month: 'Jan' },
          },
        ],
      },
    });
    const own = await harness.post('/api/plugins/validate', {
      sourceBucket: SOURCE,
      sourceDataset: 'my/own/layout',
      selectedPaths: ['batch-0', 'batch-1'],
    });
    expect(own).toMatchObject({
      status: 200,
      body: {
        totalFiles: ownLayout.length,
        folders: [
          { path: 'my/own/layout/batch-0', layout: null },
          { path: 'my/own/layout/batch-1', layout: null },
        ],
      },
    });
    const browsed = await harness.get(`/api/gcp/buckets/${SOURCE}/browse/archive/PRO`);
    expect(browsed).toMatchObject({
      status: 200,
      body: { folders: ['2021', '2022'], layout: { root: 'archive', tier: 'PRO' } },
    });
  });

  it.each([
    [
      'paths leaving the dataset or holding glob syntax, each listed',
      { sourceDataset: 'archive/PRO', selectedPaths: ['2021', '../../..', '2022/*'] },
      'PLUGIN.INVALID_PATH',
      'Invalid selection: path "../../..": ".." would leave the dataset; ' +
        'path "2022/*": contains the glob character "*"',
    ],
    [
      'a dataset leaving the bucket',
      { sourceDataset: 'archive/../../other', selectedPaths: ['2021'] },
      'PLUGIN.INVALID_DATASET',
      'Invalid selection: dataset "archive/../../other": ".." would leave the bucket',
    ],
    [
      'an absolute dataset, even with a source bucket that does not exist',
      { sourceBucket: 'no-such-source', sourceDataset: '/archive/PRO', selectedPaths: ['2021'] },
      'PLUGIN.INVALID_DATASET',
      'Invalid selection: dataset "/archive/PRO": absolute paths are not allowed',
    ],
  ])('refuses %s with a 400, creating no bucket and no job', async (_case, extra, code, detail) => {
    const target = `refused-${Math.random().toString(36).slice(2, 10)}`;
    const before = await jobCount();
    const answer = await harness.post<Refusal>('/api/pipeline/submit', {
      sourceBucket: SOURCE,
      targetBucket: target,
      createNewBucket: true,
      ...extra,
    });
    expect(answer).toEqual({ status: 400, body: { code, detail } });
    expect(await harness.store.bucketExists(target)).toBe(false);
    expect(await jobCount()).toBe(before);
  });
});
