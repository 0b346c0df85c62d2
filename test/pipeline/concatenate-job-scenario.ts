import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GeneratedManifest } from '../../shared/local/generator/generate.js';
import { expectedConcatenation, failsInJob, generateJobInput } from '../support/job-input.js';
import { startPipeline, type PipelineHarness } from '../support/pipeline-harness.js';
import { readAll } from '../support/temp-store.js';

const SOURCE = 'betfair-historic';

interface Submitted {
  jobId: string;
  dataflowJobId: string;
  status: string;
}

/**
 * Runs one concatenate job end to end over HTTP on a fresh system started with `env`. Each
 * test file calls it once: functions keep their clients for the life of the process, so one
 * process holds one local runtime.
 */
export function concatenateJobScenario(label: string, env: Record<string, string>): void {
  describe(`a concatenate job end to end over HTTP, ${label}`, () => {
    let harness: PipelineHarness;
    let files: GeneratedManifest['files'];

    beforeAll(async () => {
      harness = await startPipeline(env);
      files = await generateJobInput(
        harness.store,
        SOURCE,
        { seed: 3, meetings: 2, racesPerMeeting: 3, updates: 40 },
        4,
      );
    }, 60_000);
    afterAll(() => harness.stop(), 60_000);

    it('writes shards equal to the path-ordered decompressed inputs and lists every failure', async () => {
      const submit = await harness.post<Submitted>('/api/pipeline/submit', {
        sourceBucket: SOURCE,
        sourceDataset: 'PRO/2022',
        selectedPaths: ['Apr'],
        targetBucket: 'betfair-results',
        createNewBucket: true,
        outputPrefix: 'output/',
        outputShards: 3,
      });
      expect(submit.status, JSON.stringify(submit.body)).toBe(201);
      expect(submit.body.jobId).toMatch(/^\d{4}-\d{2}-\d{2}-[0-9a-f]{8}$/);
      const status = await harness.waitForJob(submit.body.jobId);

      const expected = await expectedConcatenation(harness.store, SOURCE, files);
      const shards = (
        await harness.store.list('betfair-results', { prefix: 'output/output/output-' })
      ).objects.map((o) => o.name);
      expect(shards).toEqual([0, 1, 2].map((n) => `output/output/output-0000${n}-of-00003.ndjson`));
      const joined = Buffer.concat(
        await Promise.all(
          shards.map(async (s) => readAll(await harness.store.read('betfair-results', s))),
        ),
      );
      expect(joined.equals(expected)).toBe(true);

      const failures = (
        await readAll(await harness.store.read('betfair-results', 'output/output/_FAILURES.csv'))
      )
        .toString()
        .trim()
        .split('\n');
      const failedNames = files.filter(failsInJob).map((f) => `gs://${SOURCE}/${f.objectName}`);
      expect(failures[0]).toBe('file,error');
      expect(
        failures
          .slice(1)
          .map((row) => row.split(',')[0])
          .sort(),
      ).toEqual(failedNames.sort());

      const lines = expected.toString().split('\n').length - 1;
      expect(status).toMatchObject({
        status: 'completed',
        progress: 100,
        recordsProcessed: lines,
        filesTotal: files.length,
        filesSucceeded: files.filter((f) => !failsInJob(f)).length,
        filesFailed: 3,
        errorMessage: `3 of ${files.length} files failed; see _FAILURES.csv`,
      });
      // The manifest as the API pages it is the manifest object, file by file.
      const written = JSON.parse(
        (
          await readAll(await harness.store.read('betfair-results', 'output/output/_MANIFEST.json'))
        ).toString(),
      ) as { files: unknown[]; shards: string[] };
      const page = await harness.get<{ files: unknown[]; filesTotal: number; shards: string[] }>(
        `/api/pipeline/${submit.body.jobId}/manifest?offset=2&limit=3`,
      );
      expect(page.status).toBe(200);
      expect(page.body).toMatchObject({ shards: written.shards, filesTotal: written.files.length });
      expect(page.body.files).toEqual(written.files.slice(2, 5));

      // A duplicate delivery still writing when the job ended removes its late part itself.
      await expect
        .poll(
          async () =>
            (await harness.store.list('betfair-results', { prefix: 'output/_parts/' })).objects,
          { timeout: 10_000 },
        )
        .toEqual([]);
    }, 120_000);
  });
}
