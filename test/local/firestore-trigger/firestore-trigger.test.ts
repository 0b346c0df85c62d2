import { FieldValue, type Firestore } from '@google-cloud/firestore';
import { cloudEvent } from '@google-cloud/functions-framework';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  startFirestoreEmulator,
  type EmbeddedFirestore,
} from '../../../shared/local/firestore-emulator.js';
import type { DocumentEventData } from '../../../shared/local/firestore-trigger/document-event.js';
import { FirestoreTrigger } from '../../../shared/local/firestore-trigger/firestore-trigger.js';
import { DeliveryQueue } from '../../../shared/local/pubsub/delivery-queue.js';
import { createFirestore } from '../../../shared/platform/platform.js';
import { serveFunction, type ServedFunction } from '../delivery/serve-function.js';

interface Received {
  id: string;
  type: string;
  source: string;
  subject?: string;
  document?: string;
  data?: DocumentEventData;
  [attribute: string]: unknown;
}

const written: Received[] = [];
const created: Received[] = [];
/** Document paths whose handler fails once more for each count left. */
const failures = new Map<string, number>();

cloudEvent('fileStatus', (event: Received) => {
  written.push(event);
  const left = failures.get(event.document ?? '') ?? 0;
  if (left > 0) {
    failures.set(event.document ?? '', left - 1);
    throw new Error('aggregation failed');
  }
});
cloudEvent('jobCreated', (event: Received) => {
  created.push(event);
});

const PROJECT = 'chimera-test';
const NAME_PREFIX = `projects/${PROJECT}/databases/(default)/documents/`;
const TIMESTAMP = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/;

describe('FirestoreTrigger on the embedded emulator', () => {
  let emulator: EmbeddedFirestore;
  let db: Firestore;
  let queue: DeliveryQueue;
  let trigger: FirestoreTrigger;
  let functions: ServedFunction[];

  beforeAll(async () => {
    emulator = await startFirestoreEmulator();
    db = createFirestore({ projectId: PROJECT, firestoreEmulatorHost: emulator.host });
    functions = [await serveFunction('fileStatus'), await serveFunction('jobCreated')];
    queue = new DeliveryQueue({
      policy: {
        maxAttempts: 3,
        concurrency: 2,
        ackDeadlineMs: 2000,
        minBackoffMs: 1,
        maxBackoffMs: 2,
      },
    });
    trigger = new FirestoreTrigger({
      server: emulator.server,
      projectId: PROJECT,
      location: 'europe-west2',
      queue,
      triggers: [
        {
          name: 'file-status',
          document: 'dataflow-jobs/{jobId}/files/{fileId}',
          url: functions[0]!.url,
        },
        {
          name: 'job-created',
          document: 'dataflow-jobs/{jobId}',
          url: functions[1]!.url,
          eventType: 'created',
        },
      ],
    });
    trigger.start();
  });
  afterAll(async () => {
    trigger.stop();
    await queue.close();
    await db.terminate();
    await emulator.stop();
    await Promise.all(functions.map((f) => f.close()));
  });
  beforeEach(() => {
    written.length = 0;
    created.length = 0;
  });

  const file = (name: string) => db.doc(`dataflow-jobs/job-1/files/${name}`);

  it('sends a written event with only `value` on create, and Eventarc attributes', async () => {
    await file('a').set({ object: 'PRO/2022/Apr/19/1/1.1.bz2', state: 'pending', lines: 0 });
    await queue.drain();
    expect(written).toHaveLength(1);
    const [event] = written;
    expect(event).toMatchObject({
      specversion: '1.0',
      type: 'google.cloud.firestore.document.v1.written',
      source: `//firestore.googleapis.com/projects/${PROJECT}/databases/(default)`,
      subject: 'documents/dataflow-jobs/job-1/files/a',
      datacontenttype: 'application/json',
      document: 'dataflow-jobs/job-1/files/a',
      database: '(default)',
      namespace: '(default)',
      project: PROJECT,
      location: 'europe-west2',
    });
    expect(event?.data).toEqual({
      value: {
        name: `${NAME_PREFIX}dataflow-jobs/job-1/files/a`,
        fields: {
          object: { stringValue: 'PRO/2022/Apr/19/1/1.1.bz2' },
          state: { stringValue: 'pending' },
          lines: { integerValue: '0' },
        },
        createTime: expect.stringMatching(TIMESTAMP) as unknown,
        updateTime: expect.stringMatching(TIMESTAMP) as unknown,
      },
    });
  });

  it('sends `value`, `oldValue` and the changed fields on update, one event per commit', async () => {
    await file('b').set({ state: 'pending', lines: 1, bucket: 'x' });
    await queue.drain();
    written.length = 0;
    await file('b').update({ state: 'done', lines: FieldValue.increment(41) });
    await queue.drain();
    expect(written).toHaveLength(1);
    const data = written[0]?.data;
    expect(data?.oldValue?.fields).toEqual({
      state: { stringValue: 'pending' },
      lines: { integerValue: '1' },
      bucket: { stringValue: 'x' },
    });
    expect(data?.value?.fields).toEqual({
      state: { stringValue: 'done' },
      lines: { integerValue: '42' },
      bucket: { stringValue: 'x' },
    });
    expect(data?.updateMask).toEqual({ fieldPaths: ['lines', 'state'] });
  });

  it('sends only `oldValue` on delete', async () => {
    await file('c').set({ state: 'failed', error: 'Bad block CRC' });
    await queue.drain();
    written.length = 0;
    await file('c').delete();
    await queue.drain();
    expect(written.map((event) => event.data)).toEqual([
      {
        oldValue: expect.objectContaining({
          name: `${NAME_PREFIX}dataflow-jobs/job-1/files/c`,
          fields: { state: { stringValue: 'failed' }, error: { stringValue: 'Bad block CRC' } },
        }) as unknown,
      },
    ]);
  });

  it('ignores documents outside the pattern and honours the event kind', async () => {
    await db.doc('dataflow-jobs/job-2').set({ status: 'submitted' });
    await db.doc('dataflow-jobs/job-2').update({ status: 'running' });
    await db.doc('other-jobs/job-2/files/a').set({ state: 'pending' });
    await db.doc('dataflow-jobs/job-2/files/a/parts/1').set({ state: 'pending' });
    await queue.drain();
    expect(written).toEqual([]);
    expect(created.map((event) => [event.type, event.document])).toEqual([
      ['google.cloud.firestore.document.v1.created', 'dataflow-jobs/job-2'],
    ]);
  });

  it('redelivers the same event when the handler fails', async () => {
    failures.set('dataflow-jobs/job-1/files/d', 2);
    await file('d').set({ state: 'pending' });
    await queue.drain();
    expect(written).toHaveLength(3);
    expect(new Set(written.map((event) => event.id)).size).toBe(1);
    expect(written.every((event) => event.data?.value?.fields.state)).toBe(true);
  });

  it('reports each document of a batch as its own event', async () => {
    const batch = db.batch();
    batch.set(file('e'), { state: 'pending' });
    batch.set(file('f'), { state: 'pending' });
    await batch.commit();
    await queue.drain();
    expect(written.map((event) => event.document).sort()).toEqual([
      'dataflow-jobs/job-1/files/e',
      'dataflow-jobs/job-1/files/f',
    ]);
  });
});
