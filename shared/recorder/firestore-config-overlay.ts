import type { Firestore } from '@google-cloud/firestore';
import { ConfigOverlaySchema } from './config-schemas.js';
import type { ConfigOverlay } from './recorder-settings.js';

/** Where POST /api/config keeps the non-secret settings. */
export const CONFIG_DOCUMENT = 'recorder/config';

/** The stored overlay; fields that no longer validate are ignored rather than fatal. */
export async function readConfigOverlay(db: Firestore): Promise<ConfigOverlay> {
  const snapshot = await db.doc(CONFIG_DOCUMENT).get();
  const parsed = ConfigOverlaySchema.safeParse(snapshot.data() ?? {});
  return parsed.success ? parsed.data : {};
}

/** Merges `changes` into the stored overlay. */
export async function writeConfigOverlay(db: Firestore, changes: ConfigOverlay): Promise<void> {
  if (Object.keys(changes).length === 0) return;
  await db.doc(CONFIG_DOCUMENT).set(changes, { merge: true });
}
