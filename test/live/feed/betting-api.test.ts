import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { z } from 'zod';
import {
  type MarketBook,
  MarketBookSchema,
  type MarketCatalogue,
  MarketCatalogueSchema,
} from '../../../shared/betfair/market-schemas.js';
import {
  startExchangeSimulator,
  type ExchangeSimulator,
} from '../../../shared/local/simulator/server.js';
import { screenEveryRequest } from '../../../shared/platform/http.js';
import { tempStore } from '../../support/temp-store.js';
import {
  callRest,
  callRpc,
  CLIENT_HEADERS,
  postRpc,
  rpcRequest,
  type RpcResponse,
} from './api-ng-client.js';
import { serveFeed, type ServedFeed } from './feed-fixture.js';
import { simulatedSnapshot, writeSnapshot } from './snapshot-fixture.js';

const day = { meetings: 2, racesPerMeeting: 4 };
const morning = simulatedSnapshot({ day });
const firstOff = Math.min(
  ...morning.catalogue
    .filter((market) => market.description?.marketType === 'WIN')
    .map((market) => Date.parse(market.marketStartTime ?? '')),
);
/** A poll 35 minutes after the first race's off: one race settled, one in play, most to run. */
const pollTime = firstOff + 35 * 60_000;
const recorded = simulatedSnapshot({ day, at: pollTime });
const bookOf = new Map(recorded.books.map((book) => [book.marketId, book]));

/** What Betfair's catalogue would list: the recorded markets whose latest book is not CLOSED. */
const listed = recorded.catalogue.filter(
  (market) => bookOf.get(market.marketId)?.status !== 'CLOSED',
);
const start = (market: MarketCatalogue) => Date.parse(market.marketStartTime ?? '');
const byStart = [...listed].sort((a, b) => start(a) - start(b));
/** One result of listEventTypes, listEvents, listCountries, listVenues or listMarketTypes. */
interface Counted {
  marketCount: number;
  eventType?: { id: string };
  event?: { id: string };
  countryCode?: string;
  venue?: string;
  marketType?: string;
}
const idsOf = (markets: readonly { marketId: string }[]) => markets.map((m) => m.marketId);

/** The feed serving `recorded`. */
async function serveRecorded(): Promise<ServedFeed> {
  const { store } = await tempStore();
  await writeSnapshot(store, recorded);
  return serveFeed(store);
}

describe('the feed on Betfair API-NG paths, with a simulated poll', () => {
  let feed: ServedFeed;
  let base: string;

  beforeAll(async () => {
    feed = await serveRecorded();
    base = feed.apiBase;
  });
  afterAll(() => feed?.close());

  const catalogue = async (params: Record<string, unknown>) => {
    const answer = await callRpc<MarketCatalogue[]>(base, 'listMarketCatalogue', params);
    expect(answer.error).toBeUndefined();
    return answer.result ?? [];
  };

  it('answers listMarketCatalogue as the betting app asks for it, only the projections asked', async () => {
    expect(listed.length).toBeGreaterThan(10);
    expect(recorded.books.some((book) => book.status === 'CLOSED')).toBe(true);
    expect(recorded.books.some((book) => book.status === 'OPEN' && book.inplay)).toBe(true);
    const answer = await callRpc<MarketCatalogue[]>(base, 'listMarketCatalogue', {
      filter: { eventTypeIds: ['7'], marketCountries: ['GB'], marketTypeCodes: ['WIN'] },
      marketProjection: ['EVENT', 'RUNNER_DESCRIPTION', 'MARKET_START_TIME'],
      sort: 'FIRST_TO_START',
      maxResults: '200',
    });
    expect(answer).toMatchObject({ jsonrpc: '2.0', id: 1 });
    const expected = byStart.filter(
      (m) => m.event?.countryCode === 'GB' && m.description?.marketType === 'WIN',
    );
    expect(expected.length).toBeGreaterThan(1);
    expect(idsOf(answer.result ?? [])).toEqual(idsOf(expected));
    for (const market of answer.result ?? []) {
      expect(Object.keys(market).sort()).toEqual(
        ['event', 'marketId', 'marketName', 'marketStartTime', 'runners', 'totalMatched'].sort(),
      );
      expect(market.runners?.every((runner) => runner.metadata === undefined)).toBe(true);
      expect(MarketCatalogueSchema.safeParse(market).success).toBe(true);
    }
    const full = await catalogue({
      filter: { marketIds: [expected[0]!.marketId] },
      marketProjection: ['MARKET_DESCRIPTION', 'RUNNER_METADATA', 'EVENT_TYPE'],
      maxResults: 1,
    });
    expect(full[0]?.description).toEqual(expected[0]!.description);
    expect(full[0]?.runners?.[0]?.metadata).toBeDefined();
    expect(full[0]?.event).toBeUndefined();
  });

  const venue = listed[0]!.event!.venue!;
  const eventId = listed[listed.length - 1]!.event!.id;
  const from = new Date(start(byStart[2]!)).toISOString();
  const to = new Date(start(byStart[6]!)).toISOString();
  it.each([
    ['venues', { venues: [venue] }, (m: MarketCatalogue) => m.event?.venue === venue],
    ['eventIds', { eventIds: [eventId] }, (m: MarketCatalogue) => m.event?.id === eventId],
    [
      'marketIds',
      { marketIds: [byStart[1]!.marketId, byStart[4]!.marketId, '1.999'] },
      (m: MarketCatalogue) => [byStart[1]!.marketId, byStart[4]!.marketId].includes(m.marketId),
    ],
    [
      'marketCountries',
      { marketCountries: ['IE'] },
      (m: MarketCatalogue) => m.event?.countryCode === 'IE',
    ],
    [
      'marketTypeCodes',
      { marketTypeCodes: ['PLACE', 'EACH_WAY'] },
      (m: MarketCatalogue) => ['PLACE', 'EACH_WAY'].includes(m.description?.marketType ?? ''),
    ],
    [
      'marketStartTime',
      { marketStartTime: { from, to } },
      (m: MarketCatalogue) => start(m) >= Date.parse(from) && start(m) <= Date.parse(to),
    ],
    [
      'inPlayOnly',
      { inPlayOnly: true },
      (m: MarketCatalogue) => bookOf.get(m.marketId)?.inplay === true,
    ],
    [
      'textQuery',
      { textQuery: venue.toUpperCase() },
      (m: MarketCatalogue) => `${m.marketName} ${m.event?.name} ${m.event?.venue}`.includes(venue),
    ],
    [
      'textQuery with a wildcard',
      { textQuery: `${venue.slice(0, 2)}*${venue.slice(-2)}` },
      (m: MarketCatalogue) =>
        new RegExp(`${venue.slice(0, 2)}.*${venue.slice(-2)}`, 'i').test(
          `${m.marketName} ${m.event?.name} ${m.event?.venue}`,
        ),
    ],
  ] as const)('honours the MarketFilter field %s', async (_field, filter, keep) => {
    const expected = idsOf(byStart.filter(keep));
    expect(expected.length).toBeGreaterThan(0);
    expect(expected.length).toBeLessThan(listed.length);
    const answer = await catalogue({ filter, maxResults: 1000, marketProjection: ['EVENT'] });
    expect(idsOf(answer)).toEqual(expected);
  });

  it('sorts and cuts at maxResults', async () => {
    const last = await catalogue({ filter: {}, sort: 'LAST_TO_START', maxResults: 3 });
    expect(idsOf(last)).toEqual(idsOf([...listed].sort((a, b) => start(b) - start(a)).slice(0, 3)));
    const traded = await catalogue({ filter: {}, sort: 'MAXIMUM_TRADED', maxResults: 1000 });
    const matched = traded.map((market) => market.totalMatched ?? 0);
    expect(matched).toEqual([...matched].sort((a, b) => b - a));
    expect(matched.length).toBe(listed.length);
  });

  it('answers listMarketBook with only the price data asked for, to the depth asked', async () => {
    const marketIds = idsOf(recorded.books.filter((b) => b.status === 'OPEN').slice(0, 3));
    const best = await callRpc<MarketBook[]>(base, 'listMarketBook', {
      marketIds,
      priceProjection: {
        priceData: ['EX_BEST_OFFERS'],
        exBestOffersOverrides: { bestPricesDepth: 1 },
        virtualise: true,
        rolloverStakes: false,
      },
    });
    expect(idsOf(best.result ?? [])).toEqual(marketIds);
    for (const book of best.result ?? []) {
      const full = bookOf.get(book.marketId)!;
      expect(MarketBookSchema.safeParse(book).success).toBe(true);
      expect(book.totalMatched).toBe(full.totalMatched);
      book.runners.forEach((runner, index) => {
        const ex = full.runners[index]!.ex!;
        expect(runner.ex).toEqual({
          availableToBack: ex.availableToBack?.slice(0, 1),
          availableToLay: ex.availableToLay?.slice(0, 1),
          tradedVolume: [],
        });
        expect(runner.sp).toBeUndefined();
      });
    }
    const sp = await callRpc<MarketBook[]>(base, 'listMarketBook', {
      marketIds,
      priceProjection: { priceData: ['SP_TRADED'] },
    });
    const runners = (sp.result ?? []).flatMap((book) => book.runners);
    expect(runners.every((runner) => runner.ex === undefined)).toBe(true);
    const spKeys = new Set(runners.flatMap((runner) => Object.keys(runner.sp ?? {})));
    expect([...spKeys].every((key) => ['nearPrice', 'farPrice', 'actualSP'].includes(key))).toBe(
      true,
    );
    expect(spKeys.has('nearPrice')).toBe(true);
    const bare = await callRpc<MarketBook[]>(base, 'listMarketBook', { marketIds });
    const bareRunners = (bare.result ?? []).flatMap((book) => book.runners);
    expect(bareRunners.every((runner) => runner.ex === undefined && runner.sp === undefined)).toBe(
      true,
    );
  });

  it('answers books of CLOSED markets, which the catalogue no longer lists', async () => {
    const closed = recorded.books.find((book) => book.status === 'CLOSED')!;
    const answer = await callRpc<MarketBook[]>(base, 'listMarketBook', {
      marketIds: [closed.marketId],
      priceProjection: { priceData: ['SP_TRADED'] },
    });
    expect(answer.result?.[0]?.status).toBe('CLOSED');
    expect(answer.result?.[0]?.runners.some((runner) => runner.status === 'WINNER')).toBe(true);
    expect(await catalogue({ filter: { marketIds: [closed.marketId] }, maxResults: 1 })).toEqual(
      [],
    );
  });

  it('answers listRunnerBook with the one runner asked for', async () => {
    const book = recorded.books.find((b) => b.status === 'OPEN')!;
    const runner = book.runners[1]!;
    const answer = await callRpc<MarketBook[]>(base, 'listRunnerBook', {
      marketId: book.marketId,
      selectionId: runner.selectionId,
      priceProjection: { priceData: ['EX_BEST_OFFERS', 'EX_TRADED'] },
    });
    expect(answer.result).toHaveLength(1);
    expect(answer.result?.[0]?.runners.map((r) => r.selectionId)).toEqual([runner.selectionId]);
    expect(answer.result?.[0]?.runners[0]?.ex?.tradedVolume).toEqual(runner.ex?.tradedVolume);
  });

  it.each([
    ['listEventTypes', (m: MarketCatalogue) => m.eventType?.id, (r: Counted) => r.eventType?.id],
    ['listEvents', (m: MarketCatalogue) => m.event?.id, (r: Counted) => r.event?.id],
    ['listCountries', (m: MarketCatalogue) => m.event?.countryCode, (r: Counted) => r.countryCode],
    ['listVenues', (m: MarketCatalogue) => m.event?.venue, (r: Counted) => r.venue],
    [
      'listMarketTypes',
      (m: MarketCatalogue) => m.description?.marketType,
      (r: Counted) => r.marketType,
    ],
  ] as const)(
    'answers %s with a marketCount per value of the filtered markets',
    async (operation, keyOf, keyOfResult) => {
      const filter = { marketCountries: ['GB'] };
      const expected = new Map<string, number>();
      for (const market of listed.filter((m) => m.event?.countryCode === 'GB')) {
        const key = keyOf(market)!;
        expected.set(key, (expected.get(key) ?? 0) + 1);
      }
      const answer = await callRpc<Counted[]>(base, operation, { filter });
      const counted = new Map((answer.result ?? []).map((r) => [keyOfResult(r), r.marketCount]));
      expect(counted).toEqual(expected);
    },
  );

  it.each(['HOURS', 'MINUTES', 'DAYS'] as const)(
    'answers listTimeRanges by %s: every filtered market counted once, in the range it starts in',
    async (granularity) => {
      const width = { DAYS: 86_400_000, HOURS: 3_600_000, MINUTES: 60_000 }[granularity];
      const filter = { marketCountries: ['GB'] };
      const gb = listed.filter((m) => m.event?.countryCode === 'GB');
      const answer = await callRpc<
        { timeRange: { from: string; to: string }; marketCount: number }[]
      >(base, 'listTimeRanges', { filter, granularity });
      const ranges = answer.result ?? [];
      expect(ranges.reduce((sum, r) => sum + r.marketCount, 0)).toBe(gb.length);
      for (const [i, { timeRange, marketCount }] of ranges.entries()) {
        const [from, to] = [Date.parse(timeRange.from), Date.parse(timeRange.to)];
        expect(to - from).toBe(width);
        if (i > 0) expect(from).toBeGreaterThan(Date.parse(ranges[i - 1]!.timeRange.from));
        expect(gb.filter((m) => start(m) >= from && start(m) < to)).toHaveLength(marketCount);
      }
    },
  );

  it('answers listCompetitions from the catalogue, and refuses a time range without granularity', async () => {
    const competitions = await callRpc<{ competition: { id: string }; marketCount: number }[]>(
      base,
      'listCompetitions',
      { filter: {} },
    );
    expect(competitions.error).toBeUndefined();
    const expected = new Map<string, number>();
    for (const market of listed.filter((m) => m.competition)) {
      expected.set(market.competition!.id, (expected.get(market.competition!.id) ?? 0) + 1);
    }
    expect(
      new Map((competitions.result ?? []).map((r) => [r.competition.id, r.marketCount])),
    ).toEqual(expected);
    const refused = await callRpc(base, 'listTimeRanges', { filter: {}, granularity: 'WEEKS' });
    expect(refused.error?.code).toBe(-32602);
  });

  it('answers a JSON-RPC batch in order, each request with its own id and outcome', async () => {
    const marketId = listed[0]!.marketId;
    const { status, body } = await postRpc(base, [
      rpcRequest('listMarketCatalogue', { filter: { marketIds: [marketId] }, maxResults: 1 }, 1),
      rpcRequest('listMarketBook', { marketIds: [marketId] }, 'two'),
      rpcRequest('placeOrders', { marketId, instructions: [] }, 3),
      rpcRequest('listMarketBook', { marketIds: Array.from({ length: 251 }, () => marketId) }, 4),
      { jsonrpc: '2.0', method: 'Somewhere/v1/else', params: {}, id: 5 },
    ]);
    expect(status).toBe(200);
    const answers = body as RpcResponse[];
    expect(answers.map((a) => a.id)).toEqual([1, 'two', 3, 4, 5]);
    expect(idsOf(answers[0]!.result as MarketCatalogue[])).toEqual([marketId]);
    expect(idsOf(answers[1]!.result as MarketBook[])).toEqual([marketId]);
    expect(answers[2]!.error).toMatchObject({
      code: -32099,
      message: 'ANGX-0012',
      data: { APINGException: { errorCode: 'ACCESS_DENIED' }, exceptionname: 'APINGException' },
    });
    expect(answers[2]!.error?.data?.APINGException.errorDetails).toMatch(/read-only/);
    expect(answers[3]!.error?.data?.APINGException.errorCode).toBe('REQUEST_SIZE_EXCEEDS_LIMIT');
    expect(answers[4]!.error).toEqual({ code: -32601, message: 'DSC-0021' });
  });

  it('answers REST calls with the bare result, and Betfair faults with 400', async () => {
    const params = { filter: { venues: [venue] }, maxResults: 10, marketProjection: ['EVENT'] };
    const rest = await callRest(base, 'listMarketCatalogue', params);
    expect(rest.status).toBe(200);
    expect(rest.body).toEqual(await catalogue(params));
    const books = await callRest(base, 'listMarketBook', { marketIds: [listed[0]!.marketId] });
    expect(z.array(MarketBookSchema).length(1).safeParse(books.body).success).toBe(true);

    const tooMany = await callRest(base, 'listMarketBook', {
      marketIds: Array.from({ length: 251 }, (_, i) => `1.${i}`),
    });
    expect(tooMany.status).toBe(400);
    expect(tooMany.body).toMatchObject({
      faultcode: 'Client',
      faultstring: 'ANGX-0011',
      detail: {
        APINGException: { errorCode: 'REQUEST_SIZE_EXCEEDS_LIMIT' },
        exceptionname: 'APINGException',
      },
    });
    for (const [api, operation] of [
      ['betting', 'placeOrders'],
      ['betting', 'listCurrentOrders'],
      ['account', 'getAccountFunds'],
    ] as const) {
      const refused = await callRest(base, operation, {}, api);
      expect(refused.status).toBe(400);
      expect(refused.body).toMatchObject({
        faultstring: 'ANGX-0012',
        detail: { APINGException: { errorCode: 'ACCESS_DENIED' } },
      });
      expect(JSON.stringify(refused.body)).toMatch(/read-only/);
    }
  });

  it('refuses the account API on JSON-RPC too, as read-only', async () => {
    const { body } = await postRpc(
      base,
      { jsonrpc: '2.0', method: 'AccountAPING/v1.0/getAccountFunds', params: {}, id: 9 },
      '/exchange/account/json-rpc/v1',
    );
    expect(body).toMatchObject({ id: 9, error: { code: -32099, message: 'ANGX-0012' } });
  });

  it('answers a body that is not JSON in Betfair’s envelope, not the platform’s', async () => {
    // As deployed and in the local runtime, the boundary screen keeps the body from
    // functions-framework's own parser, which would answer with its HTML page.
    const stopScreening = screenEveryRequest();
    onTestFinished(stopScreening);
    const rpc = await postRpc(base, '{"jsonrpc": "2.0", ');
    expect(rpc).toEqual({
      status: 200,
      body: { jsonrpc: '2.0', error: { code: -32700, message: 'DSC-0008' }, id: null },
    });
    const rest = await callRest(base, 'listMarketBook', '{ nope');
    expect(rest.status).toBe(400);
    expect(rest.body).toMatchObject({
      detail: { APINGException: { errorCode: 'INVALID_INPUT_DATA' } },
    });
  });

  it('accepts any X-Application and X-Authentication, or none: it never reads them', async () => {
    const params = { marketIds: [listed[0]!.marketId] };
    const withHeaders = await callRpc(base, 'listMarketBook', params);
    const bare = Object.fromEntries(
      Object.entries(CLIENT_HEADERS).filter(([name]) => !/^x-/i.test(name)),
    );
    const without = await callRpc(base, 'listMarketBook', params, bare);
    expect(without).toEqual(withHeaders);
    expect(withHeaders.result).toHaveLength(1);
  });
});

describe('the same requests refused by the simulator and the feed, alike', () => {
  let feed: ServedFeed;
  let sim: ExchangeSimulator;

  beforeAll(async () => {
    feed = await serveRecorded();
    sim = await startExchangeSimulator({ startTime: pollTime, day, seed: 7 });
  });
  afterAll(async () => {
    await feed?.close();
    await sim?.close();
  });

  const ids = (count: number) =>
    Array.from({ length: count }, (_, i) => listed[i % listed.length]!.marketId);
  const ALL_FIVE = ['EX_BEST_OFFERS', 'EX_ALL_OFFERS', 'EX_TRADED', 'SP_AVAILABLE', 'SP_TRADED'];
  const depth = (bestPricesDepth: number) => ({
    priceData: ['EX_BEST_OFFERS'],
    exBestOffersOverrides: { bestPricesDepth },
  });
  const catalogueOf = (maxResults: number, marketProjection: string[] = []) => ({
    filter: {},
    marketProjection,
    maxResults,
  });
  it.each([
    [
      '5 books × all five price data (47)',
      'listMarketBook',
      { marketIds: ids(5), priceProjection: { priceData: ALL_FIVE } },
    ],
    [
      '11 books × EX_BEST_OFFERS+EX_TRADED (20)',
      'listMarketBook',
      { marketIds: ids(11), priceProjection: { priceData: ['EX_BEST_OFFERS', 'EX_TRADED'] } },
    ],
    [
      '13 books × EX_BEST_OFFERS at depth 10',
      'listMarketBook',
      { marketIds: ids(13), priceProjection: depth(10) },
    ],
    ['101 books without price data (2)', 'listMarketBook', { marketIds: ids(101) }],
    ['251 market ids', 'listMarketBook', { marketIds: ids(251) }],
    ['bestPricesDepth 0', 'listMarketBook', { marketIds: ids(1), priceProjection: depth(0) }],
    ['marketIds not a list', 'listMarketBook', { marketIds: 'not a list' }],
    [
      '101 catalogue markets × MARKET_DESCRIPTION+RUNNER_METADATA',
      'listMarketCatalogue',
      catalogueOf(101, ['MARKET_DESCRIPTION', 'RUNNER_METADATA']),
    ],
    [
      '201 catalogue markets × MARKET_DESCRIPTION',
      'listMarketCatalogue',
      catalogueOf(201, ['MARKET_DESCRIPTION']),
    ],
    ['maxResults 1001', 'listMarketCatalogue', catalogueOf(1001)],
    ['maxResults 0', 'listMarketCatalogue', catalogueOf(0)],
    ['no filter', 'listMarketCatalogue', { maxResults: 10 }],
    [
      'a start time that is not a date',
      'listEvents',
      { filter: { marketStartTime: { from: 'yesterday' } } },
    ],
  ] as const)('%s', async (_case, operation, params) => {
    const simAnswer = await callRpc(sim.url, operation, params, {
      ...CLIENT_HEADERS,
      'X-Application': sim.appKey,
      'X-Authentication': sim.sessionToken,
    });
    const feedAnswer = await callRpc(feed.apiBase, operation, params);
    expect(simAnswer.error).toBeDefined();
    const comparable = (answer: RpcResponse) => {
      const exception = answer.error?.data?.APINGException;
      return {
        code: answer.error?.code,
        message: answer.error?.message,
        errorCode: exception?.errorCode,
        errorDetails: exception?.errorDetails,
      };
    };
    expect(comparable(feedAnswer)).toEqual(comparable(simAnswer));
  });
});

describe('the feed on Betfair API-NG paths before anything is recorded', () => {
  let feed: ServedFeed;
  beforeAll(async () => {
    feed = await serveFeed((await tempStore()).store);
  });
  afterAll(() => feed?.close());

  it('answers SERVICE_BUSY, which API-NG clients retry', async () => {
    const answer = await callRpc(feed.apiBase, 'listEventTypes', { filter: {} });
    expect(answer.error).toMatchObject({
      code: -32099,
      message: 'ANGX-0009',
      data: { APINGException: { errorCode: 'SERVICE_BUSY' } },
    });
  });
});
