import type { Firestore } from '@google-cloud/firestore';
import {
  startFirestoreEmulator,
  type EmbeddedFirestore,
} from '../../shared/local/firestore-emulator.js';
import { createFirestore } from '../../shared/platform/platform.js';

/** A fresh embedded emulator and a real client talking to it. */
export interface EmulatorFixture {
  emulator: EmbeddedFirestore;
  db: Firestore;
  close(): Promise<void>;
}

export async function startEmulatorFixture(projectId = 'chimera-test'): Promise<EmulatorFixture> {
  const emulator = await startFirestoreEmulator();
  const db = createFirestore({ projectId, firestoreEmulatorHost: emulator.host });
  return {
    emulator,
    db,
    close: async () => {
      await db.terminate();
      await emulator.stop();
    },
  };
}
