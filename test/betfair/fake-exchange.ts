import type { PriceProjection } from '../../shared/betfair/protocol.js';
import type { MarketProjection } from '../../shared/betfair/vocabulary.js';
import { bookWeight, catalogueWeight } from '../../shared/betfair/weights.js';
import { apingError, rpcResult, type RecordedRequest, type Reply } from './fake-betfair-server.js';

interface RpcBody {
  method: string;
  id: number;
  params: {
    filter?: { marketIds?: string[] };
    marketProjection?: MarketProjection[];
    maxResults?: number;
    marketIds?: string[];
    priceProjection?: PriceProjection;
  };
}

/** `1.200000001`, `1.200000002`, … */
export function marketIdsFor(count: number): string[] {
  return Array.from({ length: count }, (_, index) => `1.2${String(index + 1).padStart(8, '0')}`);
}

/**
 * Answers like the exchange for `count` open markets, including refusing with TOO_MUCH_DATA or
 * REQUEST_SIZE_EXCEEDS_LIMIT whatever Betfair would refuse. Books come back in reverse order
 * so tests can see the client restore the caller's order.
 */
export function fakeExchange(count: number): (request: RecordedRequest) => Reply {
  const all = marketIdsFor(count);
  return (request) => {
    const body = request.json as RpcBody;
    const { params } = body;
    if (body.method.endsWith('listMarketCatalogue')) {
      const projections = params.marketProjection ?? [];
      const maxResults = params.maxResults ?? 0;
      if (catalogueWeight(projections) * maxResults > 200)
        return apingError('TOO_MUCH_DATA', body.id);
      const wanted = params.filter?.marketIds;
      const ids = (wanted ? all.filter((id) => wanted.includes(id)) : all).slice(0, maxResults);
      return rpcResult(
        ids.map((id) => catalogue(id, projections)),
        body.id,
      );
    }
    const ids = params.marketIds ?? [];
    if (ids.length > 250) return apingError('REQUEST_SIZE_EXCEEDS_LIMIT', body.id);
    if (bookWeight(params.priceProjection) * ids.length > 200) {
      return apingError('TOO_MUCH_DATA', body.id);
    }
    return rpcResult(
      ids
        .filter((id) => all.includes(id))
        .map(book)
        .reverse(),
      body.id,
    );
  };
}

function catalogue(marketId: string, projections: MarketProjection[]): Record<string, unknown> {
  const market: Record<string, unknown> = { marketId, marketName: 'R1 5f Hcap', totalMatched: 0 };
  if (projections.includes('MARKET_START_TIME'))
    market.marketStartTime = '2026-02-13T15:00:00.000Z';
  if (projections.includes('RUNNER_DESCRIPTION')) {
    market.runners = [{ selectionId: 1, runnerName: 'Alpha', handicap: 0, sortPriority: 1 }];
  }
  return market;
}

/** A minimal OPEN market book, as Betfair returns it, for market `marketId`. */
export function book(marketId: string): Record<string, unknown> {
  return {
    marketId,
    isMarketDataDelayed: false,
    status: 'OPEN',
    betDelay: 0,
    bspReconciled: false,
    complete: true,
    inplay: false,
    numberOfWinners: 1,
    numberOfRunners: 1,
    numberOfActiveRunners: 1,
    totalMatched: 0,
    totalAvailable: 0,
    crossMatching: true,
    runnersVoidable: false,
    version: 1,
    runners: [{ selectionId: 1, handicap: 0, status: 'ACTIVE' }],
  };
}
