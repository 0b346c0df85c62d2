import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startMeteredRuntime, TARGET, type MeteredRuntime } from './fixtures/metered-runtime.js';

const MAX_WORKERS = 2;

describe('a job’s workflow callbacks on the local runtime', () => {
  let rt: MeteredRuntime;

  // Deliveries are not what bounds the job here (16 at once): the workflow must.
  beforeAll(async () => {
    rt = await startMeteredRuntime({ BUS_CONCURRENCY: '16' }, 2);
  }, 60_000);
  afterAll(() => rt?.runtime.stop(), 60_000);

  /** The job's shards, wherever under its prefix they are named to go. */
  const shards = async () =>
    (await rt.store.list(TARGET, { prefix: 'output/' })).objects
      .map((o) => o.name)
      .filter((name) => /-of-\d{5}\.ndjson$/.test(name));

  it('keeps the callbacks off the public API, and locally behind the run token', async () => {
    const jobId = '2024-01-19-abcdef12';
    for (const step of ['finalize', 'fail']) {
      const answer = await rt.call('POST', `/api/pipeline/${jobId}/workflow/${step}`, {
        body: {},
      });
      expect(answer.status, step).toBe(404);
    }
    expect((await rt.call('GET', `/api/pipeline/${jobId}/workflow/progress`)).status).toBe(404);
    const direct = await rt.call('GET', `/pipeline-workflow/jobs/${jobId}/progress`);
    expect(direct).toMatchObject({ status: 401, body: { code: 'REQUEST.UNAUTHENTICATED' } });
    const withToken = await rt.call('GET', `/pipeline-workflow/jobs/${jobId}/progress`, {
      token: true,
    });
    expect(withToken).toMatchObject({ status: 404, body: { code: 'JOB.NOT_FOUND' } });
  });

  it('keeps at most dataflowMaxWorkers files in progress, and finalizes only a complete job, once', async () => {
    await rt.hold(300);
    const jobId = await rt.submit({ dataflowMaxWorkers: MAX_WORKERS });
    const finalize = () =>
      rt.call('POST', `/pipeline-workflow/jobs/${jobId}/finalize`, { token: true });

    const early = await finalize();
    expect(early.status).toBe(409);
    expect(early.body.code).toBe('JOB.NOT_COMPLETE');
    expect(String(early.body.detail)).toMatch(/: \d+ of \d+ files are not finished/);
    const afterRefusal = await rt.status(jobId);
    expect(afterRefusal.status).toMatch(/^(submitted|running)$/);
    expect(afterRefusal.outputFiles).toEqual([]);
    expect(await shards()).toEqual([]);

    // The workflow's wait for its files: the callback holds its answer while files run.
    const progress = (query: string) =>
      rt.call('GET', `/pipeline-workflow/jobs/${jobId}/progress?${query}`, { token: true });
    const asked = Date.now();
    expect((await progress('waitSeconds=1')).body).toMatchObject({ done: false });
    expect(Date.now() - asked).toBeGreaterThanOrEqual(750);
    const tooLong = await progress('waitSeconds=3600');
    expect(tooLong.status).toBe(400);
    expect(String(tooLong.body.detail)).toContain('waitSeconds');

    const finished = await rt.follow(jobId);
    expect((await progress('waitSeconds=60')).body).toMatchObject({ done: true });
    const meter = await rt.meter();
    expect(meter.finishedAt).toHaveLength(rt.files);
    expect(meter.peak).toBe(MAX_WORKERS);
    expect(finished).toMatchObject({
      status: 'completed',
      progress: 100,
      filesTotal: rt.files,
      filesSucceeded: rt.files,
    });
    expect(await shards()).toHaveLength(2);

    const again = await finalize();
    expect(again).toEqual({
      status: 200,
      body: {
        jobId,
        status: 'completed',
        outputFiles: finished.outputFiles,
        errorMessage: null,
        loadPending: false,
      },
    });
    expect(await rt.status(jobId)).toMatchObject({
      status: 'completed',
      filesSucceeded: rt.files,
      outputFiles: finished.outputFiles,
    });
  }, 120_000);
});
