import { useLocalAdapters } from '../../../shared/local/adapters/platform.js';
import type { Firestore } from '@google-cloud/firestore';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FirestoreTrigger } from '../../../shared/local/firestore-trigger/firestore-trigger.js';
import { DeliveryQueue } from '../../../shared/local/pubsub/delivery-queue.js';
import { FirestoreFileStatusStore } from '../../../shared/pipeline/firestore/file-status-store.js';
import { FirestoreJobStore } from '../../../shared/pipeline/firestore/job-store.js';
import { FirestoreProgressStore } from '../../../shared/pipeline/firestore/progress-store.js';
import { refresh } from '../../../shared/pipeline/status/job-status.js';
import { fileIdOf } from '../../../shared/pipeline/job-model.js';
import { serveFunction, type ServedFunction } from '../../local/delivery/serve-function.js';
import { startEmulatorFixture, type EmulatorFixture } from '../../support/emulator.js';
import {
  FAIL_EVERY,
  JOB_STATUS_TRIGGER,
  expectedTotals,
  processFile,
  runningJob,
  sourceOf,
} from './status-fixture.js';

const PROJECT = 'chimera-status-test';

describe('job-status function behind the local Firestore trigger', () => {
  let fixture: EmulatorFixture;
  let db: Firestore;
  let served: ServedFunction;
  let queue: DeliveryQueue;
  let trigger: FirestoreTrigger;

  beforeAll(async () => {
    fixture = await startEmulatorFixture(PROJECT);
    db = fixture.db;
    process.env.FIRESTORE_EMULATOR_HOST = fixture.emulator.host;
    process.env.GOOGLE_CLOUD_PROJECT = PROJECT;
    process.env.LOG_LEVEL = 'ERROR';
    useLocalAdapters();
    await import('../../../functions/job-status/index.js');
    served = await serveFunction('job-status');
    queue = new DeliveryQueue({
      policy: {
        maxAttempts: 3,
        concurrency: 8,
        ackDeadlineMs: 10_000,
        minBackoffMs: 10,
        maxBackoffMs: 20,
      },
    });
    // Two triggers on the same documents and function, as deployed: every change is delivered
    // twice.
    const twice = ['job-status', 'job-status-again'].map((name) => ({
      name,
      document: JOB_STATUS_TRIGGER.document,
      eventType: JOB_STATUS_TRIGGER.event,
      url: served.url,
    }));
    trigger = new FirestoreTrigger({
      server: fixture.emulator.server,
      projectId: PROJECT,
      queue,
      triggers: twice,
    });
    trigger.start();
  });
  afterAll(async () => {
    trigger?.stop();
    await queue?.close();
    await served?.close();
    await fixture?.close();
  });

  const createJob = (jobId: string, files: number) =>
    db.doc(`dataflow-jobs/${jobId}`).set(runningJob(jobId, files, new Date(Date.now() - 60_000)));
  const jobOf = async (jobId: string) => new FirestoreJobStore(db).get(jobId);
  /** A recount outside the trigger's slots, as a late one would make. */
  const recount = (jobId: string) =>
    refresh({ progressStore: new FirestoreProgressStore(db), clock: () => new Date() }, jobId);

  it('counts every file once when each event arrives twice, with one log line per failed file', async () => {
    const files = 12;
    await createJob('twice', files);
    await Promise.all(Array.from({ length: files }, (_, i) => processFile(db, 'twice', i)));
    await queue.drain();
    await recount('twice');

    const job = await jobOf('twice');
    expect(job.progress).toMatchObject(expectedTotals(files));
    expect(job.stages).toMatchObject({
      read: 'completed',
      decompress: 'completed',
      concatenate: 'waiting',
    });
    const logs = await db.collection('dataflow-jobs/twice/logs').get();
    const failures = logs.docs.filter((d) => d.id.startsWith('file-'));
    const failed = Array.from({ length: files }, (_, i) => i).filter((i) => i % FAIL_EVERY === 0);
    expect(failures.map((d) => d.id).sort()).toEqual(
      failed.map((i) => `file-${fileIdOf(sourceOf(i))}-failed`).sort(),
    );
    expect(failures.map((d) => d.get('message') as string).sort()).toEqual(
      failed
        .map((i) => `File ${sourceOf(i).name} failed: bzip2 block ${i} failed its CRC check`)
        .sort(),
    );
    expect(logs.docs.map((d) => d.id)).toContain('progress-100');
    expect(queue.deadLetters()).toEqual([]);
  });

  it('is not called as files start, and completes read and decompress at the end', async () => {
    await createJob('stages', 3);
    const source = sourceOf(0);
    const fileId = fileIdOf(source);
    const delivered = queue.stats().delivered;
    // Started running: no total and no stage changes (the workflow's first page began them).
    await new FirestoreFileStatusStore(db).begin(
      { jobId: 'stages', orderId: fileId },
      [{ fileId, index: 0, source }],
      3,
    );
    await queue.drain();
    expect(queue.stats().delivered).toBe(delivered);

    await Promise.all([0, 1, 2].map((i) => processFile(db, 'stages', i)));
    await queue.drain();
    expect(queue.stats().delivered).toBeGreaterThan(delivered);
    await recount('stages');
    expect((await jobOf('stages')).stages).toMatchObject({
      read: 'completed',
      decompress: 'completed',
    });
  });

  it.each([
    ['data that is not a document event', { value: { name: 'nonsense' } }],
    ['an order of a job that does not exist', { value: orderNotice('no-such-job') }],
  ])('acknowledges %s instead of asking for it again', async (_, data) => {
    const response = await postEvent(served.url, data);
    expect(response.status).toBe(204);
  });
});

function orderNotice(jobId: string) {
  const recorded = {
    fileId: { stringValue: 'f1' },
    state: { stringValue: 'succeeded' },
    source: { stringValue: 'PRO/1.2.bz2' },
  };
  return {
    name: `projects/${PROJECT}/databases/(default)/documents/dataflow-jobs/${jobId}/orders/f1`,
    fields: { recorded: { arrayValue: { values: [{ mapValue: { fields: recorded } }] } } },
    createTime: '2024-01-19T12:00:00Z',
    updateTime: '2024-01-19T12:00:01Z',
  };
}

function postEvent(url: string, data: unknown): Promise<Response> {
  return fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/cloudevents+json' },
    body: JSON.stringify({
      specversion: '1.0',
      id: 'malformed-1',
      source: `//firestore.googleapis.com/projects/${PROJECT}/databases/(default)`,
      type: 'google.cloud.firestore.document.v1.written',
      time: '2024-01-19T12:00:01Z',
      datacontenttype: 'application/json',
      data,
    }),
  });
}
