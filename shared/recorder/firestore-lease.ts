import type { Firestore } from '@google-cloud/firestore';

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
  };
}

/** gRPC ALREADY_EXISTS. */
const ALREADY_EXISTS = 6;
