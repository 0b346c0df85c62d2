import type { Firestore } from '@google-cloud/firestore';
import type { KnownMarket } from './known-markets.js';
import { initialState, type RecorderState } from './recorder-state.js';

/** The recorder's state document. */
export const STATE_DOCUMENT = 'recorder/state';

/** The `recorder/state` document and its `days/{date}` documents of known markets. */
export interface RecorderStateStore {
  /** The state, or undefined before the recorder was ever used. */
  read(): Promise<RecorderState | undefined>;
  /**
   * Changes the state in a transaction and returns the result; `change` may run more than once
   * and returns undefined to leave the document as it is.
   */
  update(
    change: (state: RecorderState, exists: boolean) => RecorderState | undefined,
  ): Promise<RecorderState>;
  readMarkets(date: string): Promise<KnownMarket[]>;
  writeMarkets(date: string, markets: readonly KnownMarket[]): Promise<void>;
  deleteMarkets(date: string): Promise<void>;
}

/** The state store on Firestore. */
export function firestoreStateStore(db: Firestore): RecorderStateStore {
  const stateRef = db.doc(STATE_DOCUMENT);
  const dayRef = (date: string) => stateRef.collection('days').doc(date);
  return {
    read: async () => {
      const snapshot = await stateRef.get();
      return snapshot.exists ? withDefaults(snapshot.data()) : undefined;
    },
    update: (change) =>
      db.runTransaction(async (transaction) => {
        const snapshot = await transaction.get(stateRef);
        const current = withDefaults(snapshot.data());
        const next = change(current, snapshot.exists);
        if (next === undefined) return current;
        transaction.set(stateRef, next);
        return next;
      }),
    readMarkets: async (date) => {
      const data = (await dayRef(date).get()).data() as { markets?: KnownMarket[] } | undefined;
      return data?.markets ?? [];
    },
    // One document a day: ~250 bytes a market keeps even 1000 markets far under 1 MiB.
    writeMarkets: async (date, markets) => {
      await dayRef(date).set({ date, markets });
    },
    deleteMarkets: async (date) => {
      await dayRef(date).delete();
    },
  };
}

/** A stored state with any field missing from older versions filled in. */
function withDefaults(data: unknown): RecorderState {
  const stored = (data ?? {}) as Partial<RecorderState>;
  const base = initialState();
  return {
    ...base,
    ...stored,
    stats: { ...base.stats, ...stored.stats },
    gcs: { ...base.gcs, ...stored.gcs },
  };
}
