import { FieldPath, type Firestore } from '@google-cloud/firestore';
import type { IndexedMarket, MarketListFilter } from '../market-index.js';
import type { MarketIndex } from '../stores.js';

/** Firestore layout of the markets index: `markets/{marketId}`. */
export const MARKETS_COLLECTION = 'markets';

/** The markets index in Firestore, one document per market id, replaced whole on each record. */
export class FirestoreMarketIndex implements MarketIndex {
  constructor(private readonly db: Firestore) {}

  async record(market: IndexedMarket): Promise<void> {
    await this.markets().doc(market.marketId).set(market);
  }

  async find(marketId: string): Promise<IndexedMarket | undefined> {
    const snap = await this.markets().doc(marketId).get();
    return snap.exists ? (snap.data() as IndexedMarket) : undefined;
  }

  async list(filter: MarketListFilter, limit: number): Promise<IndexedMarket[]> {
    // Equality filters only, ordered by id: Firestore answers these without composite indexes.
    let query = this.markets().orderBy(FieldPath.documentId());
    for (const [field, value] of Object.entries(filter)) {
      if (value !== undefined) query = query.where(field, '==', value);
    }
    const snap = await query.limit(limit).get();
    // Sorted here too: the embedded emulator does not order by document id.
    return snap.docs
      .map((doc) => doc.data() as IndexedMarket)
      .sort((a, b) => (a.marketId < b.marketId ? -1 : a.marketId > b.marketId ? 1 : 0));
  }

  private markets() {
    return this.db.collection(MARKETS_COLLECTION);
  }
}
