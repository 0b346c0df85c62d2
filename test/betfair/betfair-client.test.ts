import { describe, expect, it } from 'vitest';
import {
  PRICE_DATA,
  type PriceData,
  type MarketProjection,
} from '../../shared/betfair/vocabulary.js';
import { bookWeight, catalogueWeight } from '../../shared/betfair/weights.js';
import { APP_KEY, SESSION_TOKEN, harness, rpcBody } from './client-fixture.js';
import { rpcResult } from './fake-betfair-server.js';
import { fakeExchange, marketIdsFor } from './fake-exchange.js';

const ALL_FIVE: PriceData[] = [...PRICE_DATA];
const HEAVY_CATALOGUE: MarketProjection[] = [
  'EVENT',
  'MARKET_START_TIME',
  'MARKET_DESCRIPTION',
  'RUNNER_DESCRIPTION',
  'RUNNER_METADATA',
];

describe('BetfairClient requests', () => {
  it('posts a JSON-RPC body with the app key and session headers', async () => {
    const { server, client } = await harness(() => rpcResult([]));
    const filter = { eventTypeIds: ['7'], marketCountries: ['GB', 'IE'] };
    await client.listMarketCatalogue(filter, {
      marketProjection: ['EVENT', 'MARKET_START_TIME'],
      sort: 'FIRST_TO_START',
      maxResults: 200,
    });
    const [request] = server.requests;
    expect(request?.method).toBe('POST');
    expect(request?.path).toBe('/exchange/betting/json-rpc/v1');
    expect(request?.headers).toMatchObject({
      'x-application': APP_KEY,
      'x-authentication': SESSION_TOKEN,
      'content-type': 'application/json',
      accept: 'application/json',
    });
    expect(request?.json).toEqual({
      jsonrpc: '2.0',
      method: 'SportsAPING/v1.0/listMarketCatalogue',
      params: {
        filter,
        marketProjection: ['EVENT', 'MARKET_START_TIME'],
        sort: 'FIRST_TO_START',
        maxResults: 200,
      },
      id: expect.any(Number) as number,
    });
  });

  it('gives each request its own id', async () => {
    const { server, client } = await harness(fakeExchange(30));
    await client.listMarketBook(marketIdsFor(30), { priceProjection: { priceData: ALL_FIVE } });
    const ids = server.requests.map((request) => rpcBody(request.json).id);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('sends a session swapped in by withSession', async () => {
    const { server, client } = await harness(() => rpcResult([]));
    await client.withSession('ssoid-renewed-0001').listMarketBook(['1.2']);
    await client.listMarketBook(['1.2']);
    const tokens = server.requests.map((request) => request.headers['x-authentication']);
    expect(tokens).toEqual(['ssoid-renewed-0001', SESSION_TOKEN]);
  });
});

describe('BetfairClient.listMarketCatalogue', () => {
  it('fetches every market when the projections allow only 100 a call', async () => {
    const { server, client } = await harness(fakeExchange(345));
    const markets = await client.listMarketCatalogue(
      { eventTypeIds: ['7'] },
      { marketProjection: HEAVY_CATALOGUE, sort: 'FIRST_TO_START' },
    );
    expect(markets.map((market) => market.marketId)).toEqual(marketIdsFor(345));
    expect(markets.every((market) => market.runners?.length === 1)).toBe(true);
    for (const request of server.requests) {
      const { params } = rpcBody(request.json);
      const points =
        catalogueWeight(params.marketProjection as MarketProjection[]) * Number(params.maxResults);
      expect(points).toBeLessThanOrEqual(200);
    }
    expect(server.requests).toHaveLength(1 + 4);
  });

  it('makes one call when the projections weigh nothing', async () => {
    const { server, client } = await harness(fakeExchange(345));
    const markets = await client.listMarketCatalogue(
      { eventTypeIds: ['7'] },
      { marketProjection: ['EVENT', 'RUNNER_DESCRIPTION'] },
    );
    expect(markets).toHaveLength(345);
    expect(server.requests).toHaveLength(1);
  });

  it('respects a maxResults below the total', async () => {
    const { client } = await harness(fakeExchange(345));
    const markets = await client.listMarketCatalogue(
      {},
      { marketProjection: HEAVY_CATALOGUE, maxResults: 150 },
    );
    expect(markets.map((market) => market.marketId)).toEqual(marketIdsFor(150));
  });

  it.each([0, 1001, 2.5])('refuses maxResults %s before calling Betfair', async (maxResults) => {
    const { server, client } = await harness(fakeExchange(1));
    await expect(client.listMarketCatalogue({}, { maxResults })).rejects.toMatchObject({
      code: 'BETFAIR.BAD_REQUEST',
    });
    expect(server.requests).toHaveLength(0);
  });
});

describe('BetfairClient.listMarketBook', () => {
  it.each<[PriceData[], number]>([
    [ALL_FIVE, 4],
    [['EX_BEST_OFFERS', 'EX_TRADED'], 10],
    [[], 100],
  ])('batches %j at %i markets, never over 200 points', async (priceData, perCall) => {
    const { server, client } = await harness(fakeExchange(330));
    const marketIds = marketIdsFor(330);
    const books = await client.listMarketBook(marketIds, { priceProjection: { priceData } });
    expect(books.map((book) => book.marketId)).toEqual(marketIds);
    const sizes = server.requests.map((request) => {
      const { params } = rpcBody(request.json);
      const ids = params.marketIds as string[];
      expect(ids.length).toBeLessThanOrEqual(250);
      expect(bookWeight({ priceData }) * ids.length).toBeLessThanOrEqual(200);
      return ids.length;
    });
    expect(Math.max(...sizes)).toBe(perCall);
    expect(sizes.reduce((sum, size) => sum + size, 0)).toBe(330);
  });

  it('returns books in the caller order, each market once', async () => {
    const { client } = await harness(fakeExchange(20));
    const wanted = ['1.200000017', '1.200000003', '1.200000017', '1.200000009', '1.999999999'];
    const books = await client.listMarketBook(wanted, { priceProjection: { priceData: ALL_FIVE } });
    expect(books.map((book) => book.marketId)).toEqual([
      '1.200000017',
      '1.200000003',
      '1.200000009',
    ]);
  });

  it('passes virtualise and order projections through to Betfair', async () => {
    const { server, client } = await harness(fakeExchange(2));
    await client.listMarketBook(['1.200000001'], {
      priceProjection: { priceData: ['EX_BEST_OFFERS'] },
      virtualise: true,
      orderProjection: 'EXECUTABLE',
      matchProjection: 'ROLLED_UP_BY_AVG_PRICE',
    });
    expect(rpcBody(server.requests[0]?.json).params).toEqual({
      marketIds: ['1.200000001'],
      priceProjection: { priceData: ['EX_BEST_OFFERS'], virtualise: true },
      orderProjection: 'EXECUTABLE',
      matchProjection: 'ROLLED_UP_BY_AVG_PRICE',
    });
  });

  it('keeps at most `concurrency` requests in flight', async () => {
    let inFlight = 0;
    let most = 0;
    const exchange = fakeExchange(40);
    const { client } = await harness(
      (request) => {
        inFlight += 1;
        most = Math.max(most, inFlight);
        setTimeout(() => (inFlight -= 1), 30).unref();
        return { ...exchange(request), delayMs: 30 };
      },
      { concurrency: 2 },
    );
    await client.listMarketBook(marketIdsFor(40), { priceProjection: { priceData: ALL_FIVE } });
    expect(most).toBe(2);
  });

  it('makes no request for no marketIds', async () => {
    const { server, client } = await harness(fakeExchange(1));
    expect(await client.listMarketBook([])).toEqual([]);
    expect(server.requests).toHaveLength(0);
  });
});
