import { startFirestoreEmulator } from '../../shared/local/firestore-emulator.js';
import { createFirestore } from '../../shared/platform/platform.js';
import { readEveryDocument, writeEveryKind } from './firestore-scenario.js';

/**
 * Run as a child process by firestore-emulator.test.ts, to be killed with SIGKILL:
 * `node --import tsx firestore-writer-process.ts <dataDir>`. It starts a journaled emulator,
 * runs writeEveryKind and prints `state <json>` (what it then reads), then writes documents
 * `acks/<worker>-<n>` from WORKERS concurrent writers until killed, printing
 * `ack <path> <writeTime ISO>` as each set is acknowledged.
 */

const WORKERS = 8;

const dataDir = process.argv[2];
if (!dataDir) throw new Error('usage: firestore-writer-process.ts <dataDir>');
const emulator = await startFirestoreEmulator({ dataDir });
const db = createFirestore({ projectId: 'chimera-test', firestoreEmulatorHost: emulator.host });
await writeEveryKind(db);
process.stdout.write(`state ${JSON.stringify(await readEveryDocument(db))}\n`);

async function writer(worker: number): Promise<never> {
  for (let n = 0; ; n += 1) {
    const doc = db.doc(`acks/${worker}-${n}`);
    const result = await doc.set({ worker, n });
    process.stdout.write(`ack ${doc.path} ${result.writeTime.toDate().toISOString()}\n`);
  }
}
await Promise.all(Array.from({ length: WORKERS }, (_, worker) => writer(worker)));
