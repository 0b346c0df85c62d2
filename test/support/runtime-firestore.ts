import type { Firestore } from '@google-cloud/firestore';
import type { LocalRuntime } from '../../shared/local/runtime.js';
import { createFirestore } from '../../shared/platform/platform.js';

/** A Firestore client on the local runtime's emulator. */
export function runtimeFirestore(runtime: LocalRuntime, projectId: string): Firestore {
  return createFirestore({ projectId, firestoreEmulatorHost: runtime.firestore.host });
}

/** Closes the client, then the runtime; either is unset when start-up failed before it. */
export async function stopRuntime(
  runtime: LocalRuntime | undefined,
  db: Firestore | undefined,
): Promise<void> {
  await db?.terminate();
  await runtime?.stop();
}
