import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateSampleData } from '../../shared/local/generator/generate.js';
import { startPipeline, type PipelineHarness } from '../support/pipeline-harness.js';

const SOURCE = 'betfair-historic';
const request = (paths: string[], extra: Record<string, unknown> = {}) => ({
  sourceBucket: SOURCE,
  sourceDataset: 'PRO/2022',
  selectedPaths: paths,
  targetBucket: 'results',
  createNewBucket: true,
  ...extra,
});

describe('resubmitting with skipProcessed, and cancelling', () => {
  let harness: PipelineHarness;

  beforeAll(async () => {
    harness = await startPipeline();
    await generateSampleData(harness.store, SOURCE, {
      mode: 'normal',
      seed: 8,
      meetings: 1,
      racesPerMeeting: 3,
    });
  }, 60_000);
  afterAll(() => harness.stop(), 60_000);

  it('reprocesses nothing a completed job already wrote to the same target', async () => {
    const first = await harness.post<{ jobId: string }>(
      '/api/pipeline/submit',
      request(['Apr/19']),
    );
    const done = await harness.waitForJob(first.body.jobId);
    expect(done.status).toBe('completed');

    const again = await harness.post<{ detail: string }>(
      '/api/pipeline/submit',
      request(['Apr/19'], { skipProcessed: true }),
    );
    expect(again.status).toBe(400);
    expect(again.body.detail).toMatch(/already processed/);

    const more = await generateSampleData(harness.store, SOURCE, {
      mode: 'normal',
      seed: 9,
      meetings: 1,
      racesPerMeeting: 2,
      date: '2022-04-20',
    });
    const second = await harness.post<{ jobId: string }>(
      '/api/pipeline/submit',
      request(['Apr'], { skipProcessed: true }),
    );
    const status = await harness.waitForJob(second.body.jobId);
    expect(status).toMatchObject({
      status: 'completed',
      filesTotal: more.files.length,
      filesSkipped: done.filesTotal,
      filesSucceeded: more.files.length,
    });
  }, 120_000);

  it('stops publishing when cancelled and ends cancelled, with files left unprocessed', async () => {
    await generateSampleData(harness.store, SOURCE, {
      mode: 'high-volume',
      files: 120,
      seed: 10,
      date: '2022-05-01',
    });
    const submitted = await harness.post<{ jobId: string }>(
      '/api/pipeline/submit',
      request(['May'], { dataflowMaxWorkers: 1, outputPrefix: 'cancelled/' }),
    );
    expect(submitted.status).toBe(201);
    const cancel = await harness.post<{ cancelled: boolean }>(
      `/api/pipeline/${submitted.body.jobId}/cancel`,
    );
    expect(cancel.body).toEqual({ cancelled: true });
    const status = await harness.waitForJob(submitted.body.jobId);
    expect(status.status).toBe('cancelled');
    expect((status.filesSucceeded as number) + (status.filesFailed as number)).toBeLessThan(120);

    const again = await harness.post<{ detail: string }>(
      `/api/pipeline/${submitted.body.jobId}/cancel`,
    );
    expect(again.body).toEqual({ cancelled: true });
    const logs = await harness.get<{ logs: string[] }>(
      `/api/pipeline/${submitted.body.jobId}/logs`,
    );
    expect(logs.body.logs.some((line) => line.includes('Pipeline cancelled'))).toBe(true);
  }, 120_000);
});
