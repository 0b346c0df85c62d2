import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ManifestEntry } from '../../shared/local/generator/generate.js';
import { bzip2Dc } from '../support/bzip2.js';
import { failsInJob, generateJobInput, aprilJob, SOURCE_BUCKET } from '../support/job-input.js';
import { startPipeline, type PipelineHarness } from '../support/pipeline-harness.js';
import { referenceLines } from '../support/reference-lines.js';
import { readAll } from '../support/temp-store.js';

const SOURCE = SOURCE_BUCKET;
const TARGET = 'filtered-results';

const request = (extra: Record<string, unknown>) => aprilJob(TARGET, extra);

/** A good input's decompressed lines and the market type of its first definition. */
interface Decoded {
  file: ManifestEntry;
  lines: Buffer;
  marketType: string | undefined;
}

describe('job filters read from each file first market definition, end to end over HTTP', () => {
  let harness: PipelineHarness;
  let files: ManifestEntry[];
  let decoded: Decoded[];

  beforeAll(async () => {
    harness = await startPipeline();
    files = await generateJobInput(
      harness.store,
      SOURCE,
      { seed: 8, meetings: 2, racesPerMeeting: 2, updates: 30 },
      9,
    );
    const good = files
      .filter((f) => !failsInJob(f) && f.objectName.includes('/Apr/19/'))
      .sort((a, b) => (a.objectName < b.objectName ? -1 : 1));
    decoded = await Promise.all(
      good.map(async (file) => {
        const lines = referenceLines(
          bzip2Dc(await readAll(await harness.store.read(SOURCE, file.objectName))),
        );
        const first = lines
          .toString()
          .split('\n')
          .find((line) => line.includes('marketDefinition'));
        const definition = (
          JSON.parse(first ?? '{}') as { mc?: { marketDefinition?: { marketType?: string } }[] }
        ).mc?.[0]?.marketDefinition;
        return { file, lines, marketType: definition?.marketType };
      }),
    );
  }, 60_000);
  afterAll(() => harness.stop(), 60_000);

  const filters = { marketTypes: ['win'], dateFrom: '2022-04-19', dateTo: '2022-04-19' };

  it('keeps only the matching files in a concatenate job and counts the others skipped', async () => {
    const wins = decoded.filter((d) => d.marketType === 'WIN');
    expect(wins.length).toBeGreaterThan(0);
    expect(wins.length).toBeLessThan(decoded.length);
    const submit = await harness.post<{ jobId: string }>(
      '/api/pipeline/submit',
      request({ outputPrefix: 'concat/', outputShards: 2, filters }),
    );
    expect(submit.status, JSON.stringify(submit.body)).toBe(201);
    const status = await harness.waitForJob(submit.body.jobId);
    const shards = (await harness.store.list(TARGET, { prefix: 'concat/output/output-' })).objects;
    const joined = Buffer.concat(
      await Promise.all(shards.map(async (s) => readAll(await harness.store.read(TARGET, s.name)))),
    );
    expect(joined.equals(Buffer.concat(wins.map((d) => d.lines)))).toBe(true);
    expect(status.status).toBe('completed');
    expect(status.filesSucceeded).toBe(wins.length);
    const skipped = status.filesSkipped as number;
    expect(skipped).toBeGreaterThanOrEqual(decoded.length - wins.length);
    expect(wins.length + skipped + (status.filesFailed as number)).toBe(files.length);
    expect(status.progress).toBe(100);
    const listed = await harness.get<{ files: unknown[] }>(
      `/api/pipeline/${submit.body.jobId}/files?state=skipped`,
    );
    expect(listed.status).toBe(200);
    expect(listed.body.files).toHaveLength(skipped);
  }, 120_000);

  it('filters a parse job the same way', async () => {
    const submit = await harness.post<{ jobId: string }>(
      '/api/pipeline/submit',
      request({
        outputPrefix: 'parse/',
        outputShards: 1,
        processType: 'decompress_concatenate_parse',
        products: ['markets'],
        filters: { ...filters, countries: ['GB', 'IE'] },
      }),
    );
    expect(submit.status, JSON.stringify(submit.body)).toBe(201);
    const status = await harness.waitForJob(submit.body.jobId);
    expect(status.status).toBe('completed');
    const rows = (
      await readAll(await harness.store.read(TARGET, 'parse/output/markets-00000-of-00001.ndjson'))
    )
      .toString()
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { market_type: string; market_id: string });
    expect(rows.map((r) => r.market_id).sort()).toEqual(
      decoded
        .filter((d) => d.marketType === 'WIN')
        .map((d) => d.file.marketId)
        .sort(),
    );
  }, 120_000);

  it('completes a job whose filters match none of its files, every file skipped', async () => {
    const submit = await harness.post<{ jobId: string }>(
      '/api/pipeline/submit',
      request({
        selectedPaths: ['Apr/19'],
        outputPrefix: 'none/',
        outputShards: 1,
        filters: { venues: ['Nowhere Park'] },
      }),
    );
    expect(submit.status, JSON.stringify(submit.body)).toBe(201);
    const status = await harness.waitForJob(submit.body.jobId);
    expect(status).toMatchObject({
      status: 'completed',
      progress: 100,
      filesSucceeded: 0,
      filesFailed: 0,
      filesSkipped: decoded.length,
      errorMessage: null,
    });
  }, 120_000);

  it.each([
    [{ filters: { sports: ['7'] } }, /unknown filter sports; allowed: marketTypes, countries/],
    [{ filters: { countries: [] } }, /filters\.countries.*at least one country code/],
    [{ filters: { dateFrom: '19/04/2022' } }, /filters\.dateFrom.*a day such as 2022-04-19/],
    [
      { filters: { dateFrom: '2022-04-20', dateTo: '2022-04-19' } },
      /dateFrom must not be after dateTo/,
    ],
  ])('refuses %j with a 400 that says what is allowed', async (extra, why) => {
    const answer = await harness.post<{ detail: string; code: string }>(
      '/api/pipeline/submit',
      request({ targetBucket: 'never-made', ...extra }),
    );
    expect(answer.status).toBe(400);
    expect(answer.body.code).toBe('REQUEST.INVALID');
    expect(answer.body.detail).toMatch(why);
  });
});
