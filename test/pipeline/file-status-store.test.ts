import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FirestoreFileStatusStore } from '../../shared/pipeline/firestore/file-status-store.js';
import { startEmulatorFixture, type EmulatorFixture } from '../support/emulator.js';

describe('file status store', () => {
  let fixture: EmulatorFixture;
  let store: FirestoreFileStatusStore;

  beforeAll(async () => {
    fixture = await startEmulatorFixture();
    store = new FirestoreFileStatusStore(fixture.db);
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

  it('lists and counts by state', async () => {
    const failed: number[] = [];
    for await (const file of store.list('j', 'failed')) failed.push(file.index);
    expect(failed).toEqual(Array.from({ length: 120 }, (_, i) => i * 10));
    expect(await store.counts('j')).toMatchObject({ succeeded: 1080, failed: 120, running: 0 });
  });
});
