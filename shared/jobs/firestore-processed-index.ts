import type { Firestore } from '@google-cloud/firestore';
import type { ProcessedIndex } from './processed-index.js';

const COLLECTION = 'processed-sources';
/** Reads and writes per request, under Firestore's 500-writes-per-batch limit. */
const CHUNK = 400;

/** One marker document per processed source generation and target. */
export class FirestoreProcessedIndex implements ProcessedIndex {
  constructor(private readonly db: Firestore) {}

  async has(keys: readonly string[]): Promise<Set<string>> {
    const found = new Set<string>();
    for (let start = 0; start < keys.length; start += CHUNK) {
      const refs = keys
        .slice(start, start + CHUNK)
        .map((key) => this.db.collection(COLLECTION).doc(key));
      if (refs.length === 0) continue;
      for (const snap of await this.db.getAll(...refs)) if (snap.exists) found.add(snap.id);
    }
    return found;
  }

  async add(keys: readonly string[]): Promise<void> {
    for (let start = 0; start < keys.length; start += CHUNK) {
      const batch = this.db.batch();
      for (const key of keys.slice(start, start + CHUNK)) {
        batch.set(this.db.collection(COLLECTION).doc(key), { processedAt: new Date() });
      }
      await batch.commit();
    }
  }
}
