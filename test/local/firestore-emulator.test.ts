import os from 'node:os';
import path from 'node:path';
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { appendFile, mkdtemp, rm } from 'node:fs/promises';
import { FieldValue, type Firestore } from '@google-cloud/firestore';
import { FirestoreServer } from '@firestore-emulator/server';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  startFirestoreEmulator,
  type EmbeddedFirestore,
  type FirestoreEmulatorOptions,
} from '../../shared/local/firestore-emulator.js';
import { persistFirestore } from '../../shared/local/firestore-persistence.js';
import { FirestoreTrigger } from '../../shared/local/firestore-trigger/firestore-trigger.js';
import { DeliveryQueue } from '../../shared/local/pubsub/delivery-queue.js';
import type { CloudEvent } from '../../shared/local/pubsub/http-delivery.js';
import { hasCode } from '../../shared/platform/errors.js';
import { createLogger } from '../../shared/platform/logging.js';
import { createFirestore } from '../../shared/platform/platform.js';
import { waitFor } from './delivery/serve-function.js';
import { readEveryDocument, writeEveryKind } from './firestore-scenario.js';

const PROJECT = 'chimera-test';

describe('embedded Firestore emulator', () => {
  let emulator: EmbeddedFirestore;
  let db: Firestore;

  beforeAll(async () => {
    emulator = await startFirestoreEmulator();
    db = createFirestore({ projectId: PROJECT, firestoreEmulatorHost: emulator.host });
  });
  afterAll(async () => {
    await db.terminate();
    await emulator.stop();
  });

  it('serves the real client: set, increment, transaction and where query', async () => {
    const doc = db.collection('jobs').doc('j1');
    await doc.set({ state: 'running', done: 0 });
    await doc.update({ done: FieldValue.increment(2) });
    await db.runTransaction(async (tx) => {
      const snap = await tx.get(doc);
      tx.update(doc, { done: (snap.get('done') as number) + 1 });
    });
    const running = await db.collection('jobs').where('state', '==', 'running').get();
    expect(running.docs.map((d) => d.data())).toEqual([{ state: 'running', done: 3 }]);
  });
});

describe('embedded Firestore emulator with a data folder', () => {
  let dataDir: string;
  let logLines: Record<string, unknown>[];
  const open: { emulator: EmbeddedFirestore; db: Firestore }[] = [];

  const start = async (options: Partial<FirestoreEmulatorOptions> = {}) => {
    const logger = createLogger({
      write: (line) => logLines.push(JSON.parse(line) as Record<string, unknown>),
    });
    const emulator = await startFirestoreEmulator({ dataDir, logger, ...options });
    const db = createFirestore({ projectId: PROJECT, firestoreEmulatorHost: emulator.host });
    open.push({ emulator, db });
    return { emulator, db };
  };
  const stop = async () => {
    const last = open.pop();
    await last?.db.terminate();
    await last?.emulator.stop();
  };
  /** Stops without the compaction of a clean stop, leaving the journal as a crash does. */
  const stopWithoutCompaction = async () => {
    const last = open.pop();
    await last?.db.terminate();
    last?.emulator.server.stop();
    await last?.emulator.journal?.close({ compact: false });
  };

  beforeEach(async () => {
    dataDir = await mkdtemp(path.join(os.tmpdir(), 'chimera-firestore-'));
    logLines = [];
  });
  afterEach(async () => {
    while (open.length > 0) await stop();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('gives back every document, with its create and update times, after a restart', async () => {
    const { db } = await start();
    await writeEveryKind(db);
    const before = await readEveryDocument(db);
    await stop();

    const { db: again } = await start();
    expect(await readEveryDocument(again)).toEqual(before);
    const job = before.find((view) => view.path === 'jobs/j1');
    expect(job?.createTime).not.toBe(job?.updateTime);
    expect(before.map((view) => view.path)).toEqual([
      'config/recorder',
      'jobs/j1',
      'jobs/j1/files/f1',
      'jobs/j2',
    ]);
  });

  it('answers a commit once its record is durable; readers may see it before', async () => {
    const { db, emulator } = await start();
    const journal = emulator.journal!;
    const append = journal.append.bind(journal);
    let release = () => {};
    const held = new Promise<void>((resolve) => (release = resolve));
    const appends = vi.spyOn(journal, 'append').mockImplementation(async (record) => {
      await held;
      return append(record);
    });
    let acknowledged = false;
    const write = db
      .doc('jobs/j1')
      .set({ state: 'queued' })
      .then(() => (acknowledged = true));
    await waitFor(() => appends.mock.calls.length === 1);
    expect((await db.doc('jobs/j1').get()).get('state')).toBe('queued');
    expect(acknowledged).toBe(false);
    release();
    await write;
    expect(journal.stats().appended).toBe(1);
  });

  it('fails the commit, with a status the client does not retry, when the journal cannot write', async () => {
    const { db, emulator } = await start();
    vi.spyOn(emulator.journal!, 'append').mockRejectedValue(new Error('disk full'));
    const failed = await db
      .doc('jobs/j1')
      .set({ state: 'queued' })
      .catch((error: unknown) => error);
    expect(failed).toMatchObject({ code: 13, details: 'disk full' });
  });

  it('replays a commit refused part way as far as its writes reached the state', async () => {
    const { db, emulator } = await start();
    const { state } = emulator.server;
    const write = state.writeV1Document.bind(state);
    // A check wrapped around the state's writes after the journal, refusing one document.
    state.writeV1Document = (date, change) => {
      if (change.update.name.endsWith('/jobs/refused')) throw new Error('refused');
      return write(date, change);
    };
    const batch = db.batch();
    batch.set(db.doc('jobs/first'), { state: 'queued' });
    batch.set(db.doc('jobs/refused'), { state: 'queued' });
    batch.set(db.doc('jobs/last'), { state: 'queued' });
    await expect(batch.commit()).rejects.toThrow();
    const before = await db.collection('jobs').get();
    expect(before.docs.map((doc) => doc.id)).toEqual(['first']);
    await stopWithoutCompaction();

    const { db: again } = await start();
    const after = await again.collection('jobs').get();
    expect(after.docs.map((doc) => doc.id)).toEqual(['first']);
  });

  it('keeps every acknowledged write of a process killed with SIGKILL mid-stream', async () => {
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', path.join(import.meta.dirname, 'firestore-writer-process.ts'), dataDir],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    );
    const exited = new Promise((resolve) => child.once('exit', resolve));
    let state: unknown;
    const acks = new Map<string, string>();
    for await (const line of createInterface({ input: child.stdout })) {
      const [kind, ...rest] = line.split(' ');
      if (kind === 'state') state = JSON.parse(rest.join(' '));
      if (kind === 'ack') acks.set(rest[0]!, rest[1]!);
      if (acks.size >= 300) child.kill('SIGKILL');
    }
    await exited;
    expect(child.signalCode).toBe('SIGKILL');

    const { db } = await start();
    expect(await readEveryDocument(db)).toEqual(state);
    const stored = await db.collection('acks').get();
    const updateTimes = new Map(
      stored.docs.map((doc) => [doc.ref.path, doc.updateTime.toDate().toISOString()]),
    );
    for (const [docPath, writeTime] of acks) expect(updateTimes.get(docPath)).toBe(writeTime);
    expect(logLines).toContainEqual(
      expect.objectContaining({ message: 'firestore journal replayed', snapshotRecords: 0 }),
    );
  }, 60_000);

  it('drops garbage after the last record with a warning and keeps the records before it', async () => {
    const { db } = await start();
    await writeEveryKind(db);
    const before = await readEveryDocument(db);
    await stopWithoutCompaction();
    await appendFile(path.join(dataDir, 'firestore', 'journal-0'), Buffer.from('torn write…'));

    const { db: again } = await start();
    expect(await readEveryDocument(again)).toEqual(before);
    expect(logLines).toContainEqual(
      expect.objectContaining({
        severity: 'WARNING',
        message: 'firestore journal: torn tail dropped',
        droppedBytes: Buffer.byteLength('torn write…'),
      }),
    );
  });

  it('compacts a growing journal into a snapshot without losing or changing a document', async () => {
    const { db, emulator } = await start({ compactJournalAfterBytes: 8 * 1024 });
    await writeEveryKind(db);
    for (let i = 0; i < 200; i += 1) {
      await db.doc(`jobs/j${i % 20}`).set({ i, at: FieldValue.serverTimestamp() }, { merge: true });
    }
    await db.doc('jobs/j7').delete();
    const before = await readEveryDocument(db);
    const stats = emulator.journal!.stats();
    expect(stats.compactions).toBeGreaterThan(0);
    expect(stats.journalBytes).toBeLessThan(8 * 1024);
    await stop();

    const { db: again } = await start();
    expect(await readEveryDocument(again)).toEqual(before);
    expect((await again.doc('jobs/j7').get()).exists).toBe(false);
  });

  it('tells listeners and the trigger about writes made after a replay, with replayed old values', async () => {
    const first = await start();
    await first.db.doc('jobs/j1').set({ state: 'queued' });
    await stop();

    const { db, emulator } = await start();
    const sent: CloudEvent[] = [];
    const queue = new DeliveryQueue({
      policy: {
        maxAttempts: 1,
        concurrency: 1,
        ackDeadlineMs: 1000,
        minBackoffMs: 1,
        maxBackoffMs: 1,
      },
      send: (_url, event) => {
        sent.push(event);
        return Promise.resolve({ ok: true, status: 204 });
      },
    });
    const trigger = new FirestoreTrigger({
      server: emulator.server,
      projectId: PROJECT,
      queue,
      triggers: [{ name: 'jobs', document: 'jobs/{jobId}', url: 'http://127.0.0.1:9/jobs' }],
    });
    trigger.start(emulator.documents());
    const seen: string[][] = [];
    const unsubscribe = db.collection('jobs').onSnapshot((snapshot) => {
      seen.push(snapshot.docs.map((doc) => `${doc.id}:${doc.get('state') as string}`));
    });
    await waitFor(() => seen.length > 0);
    expect(seen[0]).toEqual(['j1:queued']);

    await db.doc('jobs/j1').update({ state: 'running' });
    await db.doc('jobs/j2').set({ state: 'queued' });
    await waitFor(() => seen.at(-1)?.join() === 'j1:running,j2:queued');
    await queue.drain();
    expect(sent.map((event) => event.subject)).toEqual(['documents/jobs/j1', 'documents/jobs/j2']);
    // The replayed document's change carries it as the old value, as Firestore's event would.
    const [changed, created] = sent.map((event) => JSON.stringify(event.data));
    expect(changed).toContain('"oldValue"');
    expect(changed).toMatch(/"oldValue":\{[^}]*"state":\{"stringValue":"queued"\}/);
    expect(created).not.toContain('"oldValue"');
    unsubscribe();
    trigger.stop();
    await queue.close();
  });

  it('refuses to start on an emulator whose Commit it cannot find, and writes outside Commit', async () => {
    const server = new FirestoreServer();
    const grpc = (server as unknown as { server: { unregister(name: string): boolean } }).server;
    grpc.unregister('/google.firestore.v1.Firestore/Commit');
    const refused = await persistFirestore(server, { dir: dataDir }).catch(
      (error: unknown) => error,
    );
    expect(hasCode(refused, 'FIRESTORE.EMULATOR_CHANGED')).toBe(true);

    const { emulator } = await start();
    const write = () =>
      emulator.server.state.writeV1Document(
        new Date(),
        {} as Parameters<FirestoreServer['state']['writeV1Document']>[1],
      );
    expect(write).toThrow(/outside Commit/);
  });
});
