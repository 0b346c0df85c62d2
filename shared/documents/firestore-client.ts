import { Firestore } from '@google-cloud/firestore';
import type { Config } from '../config/config.js';

/**
 * The one Firestore client of a process: the real client in both places, pointed at the
 * embedded emulator when `firestoreEmulatorHost` is set.
 */
export function createFirestore(
  config: Pick<Config, 'projectId' | 'firestoreEmulatorHost'>,
): Firestore {
  if (!config.firestoreEmulatorHost)
    return new Firestore({ projectId: config.projectId, ignoreUndefinedProperties: true });
  return new Firestore({
    projectId: config.projectId,
    host: config.firestoreEmulatorHost,
    ssl: false,
    // The emulator needs no credentials; naming placeholder ones stops the client from probing
    // for Google's metadata server on every start.
    credentials: { client_email: 'emulator@chimera.local', private_key: 'unused' },
    ignoreUndefinedProperties: true,
  });
}
