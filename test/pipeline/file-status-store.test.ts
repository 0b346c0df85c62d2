import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FirestoreFileStatusStore } from '../../shared/pipeline/firestore/file-status-store.js';
import { startEmulatorFixture, type EmulatorFixture } from '../support/emulator.js';

describe('file status store', () => {
  let fixture: EmulatorFixture;
  let store: FirestoreFileStatusStore;

  beforeAll(async () => {
    fixture = await startEmulatorFixture();
    // Pages of 500, so the 1 200 files take three queries.
    store = new FirestoreFileStatusStore(fixture.db, 500);
    const files = fixture.db.collection('dataflow-jobs/j/files');
    for (let start = 0; start < 1200; start += 400) {
      const batch = fixture.db.batch();
      for (let index = start; index < start + 400; index++) {
        const state = index % 10 === 0 ? 'failed' : 'succeeded';
        batch.set(files.doc(`f${index}`), {
          index,
          state,
          source: { bucket: 'b', name: `n${index}`, generation: '1' },
        });
      }
      await batch.commit();
    }
  }, 60_000);
  afterAll(() => fixture.close());

  it('lists every file of a job once, in plan order, across pages', async () => {
    const seen: number[] = [];
    for await (const file of store.list('j')) seen.push(file.index);
    expect(seen).toEqual(Array.from({ length: 1200 }, (_, i) => i));
  });

  it('lists by state, and counts the ended and the running files', async () => {
    const failed: number[] = [];
    for await (const file of store.list('j', 'failed')) failed.push(file.index);
    expect(failed).toEqual(Array.from({ length: 120 }, (_, i) => i * 10));
    expect(await store.standing('j')).toEqual({ terminal: 1200, running: 0 });
    await fixture.db.doc('dataflow-jobs/j/files/f0').update({ state: 'running' });
    await fixture.db.doc('dataflow-jobs/j/files/f1').update({ state: 'cancelled' });
    expect(await store.standing('j')).toEqual({ terminal: 1199, running: 1 });
    await fixture.db.doc('dataflow-jobs/j/files/f0').update({ state: 'failed' });
  });
});

describe('file status store: begin and finish under duplicate deliveries', () => {
  let fixture: EmulatorFixture;
  const source = { bucket: 'b', name: 'PRO/1.2.bz2', generation: '7' };
  const file = { fileId: 'f', index: 0, source };
  const sourceName = source.name;
  /** The order named after file `f` of `jobId`. */
  const orderOf = (jobId: string) => ({ jobId, orderId: 'f' });
  const noticeOf = async (jobId: string, orderId = 'f') =>
    (await fixture.db.doc(`dataflow-jobs/${jobId}/orders/${orderId}`).get()).get(
      'recorded',
    ) as unknown;
  const result = {
    output: 'out',
    bytesIn: 1,
    bytesOut: 2,
    lines: 3,
    quarantinedLines: 0,
    durationMs: 4,
  };

  beforeAll(async () => {
    fixture = await startEmulatorFixture();
  });
  afterAll(() => fixture.close());

  it('records exactly one outcome when a second delivery began while the first ran', async () => {
    // Two instances, as two deliveries of one message would meet in the cloud.
    const first = new FirestoreFileStatusStore(fixture.db);
    const second = new FirestoreFileStatusStore(fixture.db);
    await fixture.db.doc('dataflow-jobs/dup').set({ status: 'running' });
    const order = orderOf('dup');
    expect(await first.begin(order, [file], 5)).toEqual([{ proceed: true, attempt: 1 }]);
    expect(await second.begin(order, [file], 5)).toEqual([{ proceed: true, attempt: 2 }]);
    // The later delivery finishes first; the earlier one's one-commit finish must not overwrite.
    const failed = { state: 'failed', error: { code: 'X', message: 'x' } } as const;
    const succeeded = { state: 'succeeded', result } as const;
    const outcomes = [
      await second.finish(order, [{ fileId: 'f', sourceName, outcome: failed }]),
      await first.finish(order, [{ fileId: 'f', sourceName, outcome: succeeded }]),
    ];
    expect(outcomes).toEqual([[true], [false]]);
    const stored = (await fixture.db.doc('dataflow-jobs/dup/files/f').get()).data();
    expect(stored).toMatchObject({ state: 'failed', attempts: 2, error: { code: 'X' } });
    // The notice names what was recorded, not the outcome that lost.
    expect(await noticeOf('dup')).toEqual([
      { fileId: 'f', state: 'failed', source: sourceName, error: failed.error },
    ]);
  });

  it('does not begin a finished file again, and marks a cancelled job’s file cancelled', async () => {
    const store = new FirestoreFileStatusStore(fixture.db);
    await fixture.db.doc('dataflow-jobs/done').set({ status: 'running' });
    await store.begin(orderOf('done'), [file], 5);
    await store.finish(orderOf('done'), [
      { fileId: 'f', sourceName, outcome: { state: 'succeeded', result } },
    ]);
    expect(await store.begin(orderOf('done'), [file], 5)).toEqual([
      { proceed: false, state: 'succeeded' },
    ]);
    await fixture.db.doc('dataflow-jobs/gone').set({ status: 'cancelled' });
    expect(await store.begin(orderOf('gone'), [{ fileId: 'g', index: 1, source }], 5)).toEqual([
      { proceed: false, state: 'cancelled' },
    ]);
    expect(await noticeOf('gone')).toEqual([
      { fileId: 'g', state: 'cancelled', source: sourceName },
    ]);
  });

  it('marks a file failed past its attempts, and its notice names why', async () => {
    const store = new FirestoreFileStatusStore(fixture.db);
    await fixture.db.doc('dataflow-jobs/retried').set({ status: 'running' });
    for (const attempt of [1, 2]) {
      expect(await store.begin(orderOf('retried'), [file], 2)).toEqual([
        { proceed: true, attempt },
      ]);
    }
    const [gaveUp] = await store.begin(orderOf('retried'), [file], 2);
    expect(gaveUp).toMatchObject({
      proceed: false,
      state: 'failed',
      gaveUp: { code: 'FILE.GAVE_UP' },
    });
    expect(await noticeOf('retried')).toEqual([
      {
        fileId: 'f',
        state: 'failed',
        source: sourceName,
        error: expect.objectContaining({ code: 'FILE.GAVE_UP' }) as unknown,
      },
    ]);
  });

  it('begins a work order in one commit, and a repeat of it file by file on what is stored', async () => {
    const store = new FirestoreFileStatusStore(fixture.db);
    await fixture.db.doc('dataflow-jobs/order').set({ status: 'running' });
    const files = [0, 1, 2].map((index) => ({
      fileId: `f${index}`,
      index,
      source: { ...source, name: `PRO/1.${index}.bz2` },
    }));
    const order = { jobId: 'order', orderId: 'f0' };
    expect(await store.begin(order, files, 5)).toEqual(
      files.map(() => ({ proceed: true, attempt: 1 })),
    );
    // The order's files start without a notice: a start changes no total.
    expect(await noticeOf('order', 'f0')).toBeUndefined();
    // The second and third finish in one commit; the first fails and is retried later.
    const done = files.slice(1).map(({ fileId, source: { name } }) => ({
      fileId,
      sourceName: name,
      outcome: { state: 'succeeded', result } as const,
    }));
    expect(await store.finish(order, done)).toEqual([true, true]);
    // One notice for the commit, naming both files.
    expect(await noticeOf('order', 'f0')).toEqual([
      { fileId: 'f1', state: 'succeeded', source: 'PRO/1.1.bz2' },
      { fileId: 'f2', state: 'succeeded', source: 'PRO/1.2.bz2' },
    ]);
    const again = await store.begin(order, files, 5);
    expect(again).toEqual([
      { proceed: true, attempt: 2 },
      { proceed: false, state: 'succeeded' },
      { proceed: false, state: 'succeeded' },
    ]);
    const states = await fixture.db.collection('dataflow-jobs/order/files').orderBy('index').get();
    expect(states.docs.map((d) => [d.get('state') as string, d.get('attempts') as number])).toEqual(
      [
        ['running', 2],
        ['succeeded', 1],
        ['succeeded', 1],
      ],
    );
  });
});
