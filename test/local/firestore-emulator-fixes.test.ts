import type { Firestore } from '@google-cloud/firestore';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  startFirestoreEmulator,
  type EmbeddedFirestore,
} from '../../shared/local/firestore-emulator.js';
import { createFirestore } from '../../shared/platform/platform.js';

const FAILED_PRECONDITION = 9;

let emulator: EmbeddedFirestore;
let db: Firestore;

beforeAll(async () => {
  emulator = await startFirestoreEmulator();
  db = createFirestore({ projectId: 'chimera-test', firestoreEmulatorHost: emulator.host });
});
afterAll(async () => {
  await db.terminate();
  await emulator.stop();
});

describe('update-time preconditions on the embedded emulator, as Firestore checks them', () => {
  it('applies an update whose lastUpdateTime is the stored one', async () => {
    const doc = db.collection('files').doc('fresh');
    const created = await doc.create({ state: 'running' });
    await doc.update({ state: 'succeeded' }, { lastUpdateTime: created.writeTime });
    expect((await doc.get()).get('state')).toBe('succeeded');
  });

  it('refuses a stale one with FAILED_PRECONDITION and applies none of its commit', async () => {
    const doc = db.collection('files').doc('raced');
    const other = db.collection('files').doc('beside');
    const created = await doc.create({ state: 'running' });
    await new Promise((resolve) => setTimeout(resolve, 5));
    await doc.set({ state: 'failed' }, { merge: true });
    const batch = db.batch();
    batch.set(other, { touched: true });
    batch.update(doc, { state: 'succeeded' }, { lastUpdateTime: created.writeTime });
    await expect(batch.commit()).rejects.toMatchObject({ code: FAILED_PRECONDITION });
    expect((await doc.get()).get('state')).toBe('failed');
    expect((await other.get()).exists).toBe(false);
  });

  it('refuses an update time precondition on a document that does not exist', async () => {
    const doc = db.collection('files').doc('never');
    const elsewhere = await db.collection('files').doc('elsewhere').create({ x: 1 });
    await expect(
      doc.update({ state: 'succeeded' }, { lastUpdateTime: elsewhere.writeTime }),
    ).rejects.toMatchObject({ code: FAILED_PRECONDITION });
  });
});

describe('documents looked up in place in the embedded emulator', () => {
  it('keeps every document of a large collection, found by get, query and count', async () => {
    const files = db.collection('dataflow-jobs/big/files');
    for (let start = 0; start < 2000; start += 500) {
      const batch = db.batch();
      for (let index = start; index < start + 500; index++) {
        batch.set(files.doc(`f${index}`), { index, state: index % 4 === 0 ? 'failed' : 'ok' });
      }
      await batch.commit();
    }
    expect((await files.doc('f1999').get()).get('index')).toBe(1999);
    expect((await files.where('state', '==', 'failed').count().get()).data().count).toBe(500);
    const last = await files.where('index', '>=', 1995).orderBy('index').get();
    expect(last.docs.map((doc) => doc.id)).toEqual(['f1995', 'f1996', 'f1997', 'f1998', 'f1999']);
  });

  it('takes ids that are names of object properties as ordinary ids', async () => {
    const odd = db.collection('odd');
    await odd.doc('constructor').set({ n: 1 });
    await odd.doc('toString').set({ n: 2 });
    expect((await odd.doc('constructor').get()).get('n')).toBe(1);
    expect((await odd.doc('hasOwnProperty').get()).exists).toBe(false);
    expect((await odd.orderBy('n').get()).docs.map((doc) => doc.id)).toEqual([
      'constructor',
      'toString',
    ]);
  });
});
