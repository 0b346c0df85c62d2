import { FieldValue, type Firestore } from '@google-cloud/firestore';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  startFirestoreEmulator,
  type EmbeddedFirestore,
} from '../../shared/local/firestore-emulator.js';
import { createFirestore } from '../../shared/platform/platform.js';

describe('embedded Firestore emulator', () => {
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
