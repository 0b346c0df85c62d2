import type { Firestore } from '@google-cloud/firestore';
import type { KnownMarket } from '../markets.js';
import { ConfigOverlaySchema, type ConfigOverlay } from '../settings.js';
import { initialState, type RecorderState } from '../state.js';

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

/** The document naming who holds the poll lease. */
export const LEASE_DOCUMENT = 'recorder/lease';

/** Claims kept behind the newest; older ones are removed as new leases are taken. */
const CLAIMS_KEPT = 5;

/** A time-limited claim that only one poll runs at a time. */
export interface PollLease {
  /** True when `holder` now holds the lease until `now + ttlMs`. */
  acquire(holder: string, now: Date, ttlMs: number): Promise<boolean>;
  /** Gives the lease up early, if `holder` still holds it. */
  release(holder: string): Promise<void>;
  /** True while `holder` holds the lease: it took it last and it has not expired at `now`. */
  holds(holder: string, now: Date): Promise<boolean>;
}

interface LeaseDocument {
  seq: number;
  holder: string;
  expiresAt: number;
}

/**
 * The lease on Firestore. Taking it means creating claim number seq + 1: a create succeeds for
 * exactly one caller, so two polls that both saw a free lease cannot both win. This relies
 * only on create-if-absent, which the embedded emulator honours as Firestore does.
 */
export function firestoreLease(db: Firestore): PollLease {
  const ref = db.doc(LEASE_DOCUMENT);
  const claim = (seq: number) => ref.collection('claims').doc(String(seq));
  return {
    acquire: async (holder, now, ttlMs) => {
      const current = (await ref.get()).data() as LeaseDocument | undefined;
      if (current && current.expiresAt > now.getTime()) return false;
      const seq = (current?.seq ?? 0) + 1;
      try {
        await claim(seq).create({ holder, at: now.getTime() });
      } catch (error) {
        if ((error as { code?: unknown }).code === ALREADY_EXISTS) return false;
        throw error;
      }
      await ref.set({ seq, holder, expiresAt: now.getTime() + ttlMs } satisfies LeaseDocument);
      if (seq > CLAIMS_KEPT) await claim(seq - CLAIMS_KEPT).delete();
      return true;
    },
    release: async (holder) => {
      const current = (await ref.get()).data() as LeaseDocument | undefined;
      if (current?.holder === holder) await ref.set({ ...current, expiresAt: 0 });
    },
    holds: async (holder, now) => {
      const current = (await ref.get()).data() as LeaseDocument | undefined;
      return current?.holder === holder && current.expiresAt > now.getTime();
    },
  };
}

/** gRPC ALREADY_EXISTS. */
const ALREADY_EXISTS = 6;

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
  /** The days before `date` whose market lists are still kept, oldest first. */
  daysBefore(date: string): Promise<string[]>;
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
    daysBefore: async (date) => {
      const days = stateRef.collection('days').where('date', '<', date).select('date');
      return (await days.get()).docs.map((doc) => doc.id).sort();
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
