import express from 'express';
import { http } from '@google-cloud/functions-framework';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pipelineRoutes, type PipelineRouteDeps } from '../../../shared/pipeline/api/job-routes.js';
import { FirestoreJobStore } from '../../../shared/pipeline/firestore/job-store.js';
import type { JobStatus, SupportedProcessType } from '../../../shared/pipeline/job-model.js';
import { errorResponder } from '../../../shared/platform/http.js';
import { createLogger } from '../../../shared/platform/logging.js';
import { serveFunction, type ServedFunction } from '../../local/delivery/serve-function.js';
import { startEmulatorFixture, type EmulatorFixture } from '../../support/emulator.js';
import { tempStore } from '../../support/temp-store.js';
import { runningJob } from '../status/status-fixture.js';

/** Jobs one minute apart, oldest first, in a mix of states and process types. */
const JOBS: { status: JobStatus; processType: SupportedProcessType }[] = [
  { status: 'completed', processType: 'decompress_and_concatenate' },
  { status: 'failed', processType: 'decompress_and_concatenate' },
  { status: 'completed', processType: 'decompress_concatenate_parse' },
  { status: 'failed', processType: 'decompress_concatenate_parse' },
  { status: 'running', processType: 'decompress_and_concatenate' },
  { status: 'completed', processType: 'decompress_and_concatenate' },
  { status: 'failed', processType: 'decompress_concatenate_parse' },
];
const START = Date.parse('2026-11-01T10:00:00Z');
const idOf = (i: number) => `2026-11-01-job${i}`;
/** Cancelled jobs created in one millisecond, an hour before the others. */
const TIED = ['2026-11-01-tied0', '2026-11-01-tied1', '2026-11-01-tied2', '2026-11-01-tied3'];

interface HistoryPage {
  jobs: { jobId: string; status: string; processType: string }[];
  next: string | null;
}

let fixture: EmulatorFixture;
let api: ServedFunction;

async function get(query: string, path = 'history'): Promise<[number, Record<string, unknown>]> {
  const response = await fetch(`${api.url}api/pipeline/${path}?${query}`);
  return [response.status, (await response.json()) as Record<string, unknown>];
}

/** Every page of a query, following `next`. */
async function allPages(query: string): Promise<{ ids: string[]; pages: number }> {
  const ids: string[] = [];
  let pages = 0;
  for (let before: string | null = ''; before !== null; pages += 1) {
    const [status, body] = await get(
      `${query}${before ? `&before=${encodeURIComponent(before)}` : ''}`,
    );
    expect(status, JSON.stringify(body)).toBe(200);
    const page = body as unknown as HistoryPage;
    ids.push(...page.jobs.map((job) => job.jobId));
    before = page.next;
  }
  return { ids, pages };
}

beforeAll(async () => {
  fixture = await startEmulatorFixture();
  const jobStore = new FirestoreJobStore(fixture.db);
  for (const [i, { status, processType }] of JOBS.entries()) {
    const job = runningJob(idOf(i), 1, new Date(START + i * 60_000));
    await jobStore.create({ ...job, status, processType }, []);
  }
  for (const id of TIED) {
    const job = runningJob(id, 1, new Date(START - 3_600_000));
    await jobStore.create({ ...job, status: 'cancelled' }, []);
  }
  const app = express();
  const { store: objectStore } = await tempStore();
  // These routes read jobs and objects only.
  app.use(pipelineRoutes({ jobStore, objectStore } as unknown as PipelineRouteDeps));
  app.use(errorResponder(createLogger({ write: () => undefined })));
  http('job-history-test', app);
  api = await serveFunction('job-history-test');
}, 60_000);

afterAll(async () => {
  await api?.close();
  await fixture?.close();
});

describe('GET /api/pipeline/history', () => {
  const newestFirst = (keep: (job: (typeof JOBS)[number]) => boolean) =>
    JOBS.flatMap((job, i) => (keep(job) ? [idOf(i)] : [])).reverse();

  it('filters by status and by process type on the server, newest first', async () => {
    const [, failed] = await get('status=failed');
    expect((failed as unknown as HistoryPage).jobs.map((j) => j.jobId)).toEqual(
      newestFirst((job) => job.status === 'failed'),
    );
    const [, both] = await get('status=completed&processType=decompress_and_concatenate');
    expect((both as unknown as HistoryPage).jobs.map((j) => j.jobId)).toEqual(
      newestFirst(
        (job) => job.status === 'completed' && job.processType === 'decompress_and_concatenate',
      ),
    );
  });

  it('pages through every job with next, each once, and ends with next null', async () => {
    const { ids } = await allPages('limit=2');
    expect(ids.slice(0, JOBS.length)).toEqual(newestFirst(() => true));
    expect(ids.slice(JOBS.length).sort()).toEqual(TIED);
    const failed = await allPages('limit=1&status=failed');
    expect(failed.ids).toEqual(newestFirst((job) => job.status === 'failed'));
  });

  it('lists jobs created in the same millisecond once each, whatever the page size', async () => {
    for (const limit of [1, 2, 3]) {
      const { ids, pages } = await allPages(`limit=${limit}&status=cancelled`);
      expect(ids.slice().sort()).toEqual(TIED);
      expect(pages).toBe(Math.floor(TIED.length / limit) + 1);
    }
  });

  it('refuses an unknown status, process type, date or parameter with a 400 naming what is allowed', async () => {
    const [status, body] = await get('status=finished');
    expect(status).toBe(400);
    expect(JSON.stringify(body)).toMatch(/submitted.*running.*completed.*failed.*cancelled/);
    const [type] = await get('processType=snappy');
    expect(type).toBe(400);
    const [before, beforeBody] = await get('before=yesterday');
    expect(before).toBe(400);
    expect(JSON.stringify(beforeBody)).toMatch(/before: must be the `next` of a history page/);
    const [unknown, unknownBody] = await get('state=failed');
    expect(unknown).toBe(400);
    expect(JSON.stringify(unknownBody)).toMatch(/state/);
  });
});

describe('GET /api/pipeline/{jobId}/manifest', () => {
  it('is 404 JOB.NO_MANIFEST, saying why, before the job is finalized', async () => {
    const [status, body] = await get('', `${idOf(4)}/manifest`);
    expect([status, body.code]).toEqual([404, 'JOB.NO_MANIFEST']);
    expect(body.detail).toMatch(/it is running; finalize writes it/);
    const [missing, missingBody] = await get('', '2026-11-01-nosuchjob/manifest');
    expect([missing, missingBody.code]).toEqual([404, 'JOB.NOT_FOUND']);
  });
});
