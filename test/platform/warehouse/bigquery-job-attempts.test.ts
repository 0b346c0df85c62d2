import type { JobOptions } from '@google-cloud/bigquery';
import { describe, expect, it } from 'vitest';
import {
  MAX_JOB_ATTEMPTS,
  runJob,
  type JobClient,
} from '../../../shared/platform/cloud/bigquery-warehouse.js';

/** A finished job as BigQuery describes it: succeeded, or failed with one error. */
type Finished = { ok: true; rows: number } | { ok: false; error: string };

/**
 * A stand-in for the BigQuery client's job calls, holding the jobs an earlier run left under
 * their ids: creating an id that exists is a 409, as BigQuery answers; a job created here
 * finishes as `next` says.
 */
function jobService(earlier: Record<string, Finished>, next: Finished) {
  const jobs = new Map(Object.entries(earlier));
  const created: string[] = [];
  const handle = (id: string) => ({
    promise: () => Promise.resolve(),
    getMetadata: () => {
      const job = jobs.get(id)!;
      return Promise.resolve([
        job.ok
          ? { status: { state: 'DONE' }, statistics: { load: { outputRows: String(job.rows) } } }
          : { status: { state: 'DONE', errorResult: { message: job.error } } },
      ]);
    },
  });
  const client = {
    createJob: (options: JobOptions) => {
      const id = options.jobId!;
      if (jobs.has(id))
        return Promise.reject(Object.assign(new Error('Already Exists'), { code: 409 }));
      jobs.set(id, next);
      created.push(id);
      return Promise.resolve([handle(id)]);
    },
    job: (id: string) => handle(id),
  } as unknown as JobClient;
  return { client, created };
}

const ID = 'chimera-load-2026-11-30-abcd1234-runners';
const options: JobOptions = { jobId: ID, location: 'EU', configuration: {} };

describe('a warehouse load step run again', () => {
  it('starts its job once under the step id', async () => {
    const { client, created } = jobService({}, { ok: true, rows: 12 });
    const outcome = await runJob(client, options);
    expect(created).toEqual([ID]);
    expect(outcome).toEqual({ errors: [], statistics: { load: { outputRows: '12' } } });
  });

  it('uses the job an earlier run finished under its id, never loading twice', async () => {
    const { client, created } = jobService({ [ID]: { ok: true, rows: 7 } }, { ok: true, rows: 99 });
    const outcome = await runJob(client, options);
    expect(created).toEqual([]);
    expect(outcome.statistics).toEqual({ load: { outputRows: '7' } });
  });

  it('runs a job an earlier run left failed again, under the next attempt id', async () => {
    const { client, created } = jobService(
      { [ID]: { ok: false, error: 'backendError' } },
      { ok: true, rows: 5 },
    );
    const outcome = await runJob(client, options);
    expect(created).toEqual([`${ID}-retry2`]);
    expect(outcome.errors).toEqual([]);
  });

  it('answers with the failure of a job it started itself, without another attempt', async () => {
    const { client, created } = jobService({}, { ok: false, error: 'bad row' });
    const outcome = await runJob(client, options);
    expect(created).toEqual([ID]);
    expect(outcome.errors).toEqual(['bad row']);
  });

  it('stops after the last attempt an earlier run left failed', async () => {
    const earlier: Record<string, Finished> = {};
    for (let attempt = 1; attempt <= MAX_JOB_ATTEMPTS; attempt += 1) {
      earlier[attempt === 1 ? ID : `${ID}-retry${attempt}`] = {
        ok: false,
        error: `failed ${attempt}`,
      };
    }
    const { client, created } = jobService(earlier, { ok: true, rows: 1 });
    const outcome = await runJob(client, options);
    expect(created).toEqual([]);
    expect(outcome.errors).toEqual([`failed ${MAX_JOB_ATTEMPTS}`]);
  });
});
