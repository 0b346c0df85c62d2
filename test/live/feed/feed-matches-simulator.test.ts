import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MARKET_PROJECTIONS, PRICE_DATA } from '../../../shared/betfair/vocabulary.js';
import { startRecorderFixture, type RecorderFixture } from '../recorder/recorder-fixture.js';
import { callRest, callRpc, CLIENT_HEADERS, postRpc, rpcRequest } from './api-ng-client.js';
import { serveFeed, type ServedFeed } from './feed-fixture.js';

const DAY = '2026-02-13';
/** The recorder records the day's racing (antepost markets for later days are not recorded). */
const TODAY = { marketStartTime: { from: `${DAY}T00:00:00Z`, to: `${DAY}T23:59:59Z` } };

/**
 * The recorder polls the simulator once; then the same API-NG calls go to the simulator (at the
 * poll's instant, its clock standing still) and to the feed, which answers from what the poll
 * wrote. An app pointed at either sees the same answers.
 */
describe('the feed answers as the exchange it recorded', () => {
  let fx: RecorderFixture;
  let feed: ServedFeed;
  let feedBase: string;
  let listed: string[];
  let inPlay: string[];
  let venue: string;

  beforeAll(async () => {
    fx = await startRecorderFixture({
      seed: 5,
      startTime: `${DAY}T08:00:00Z`,
      sessionTimeoutMinutes: null,
      day: { meetings: 2, racesPerMeeting: 4 },
    });
    const { exchange } = fx.sim.state;
    const card = exchange.listedMarkets(Date.parse(`${DAY}T08:00:00Z`));
    const firstOff = Math.min(...card.filter((m) => m.marketType === 'WIN').map((m) => m.race.off));
    // The first minute at which one race has settled and another is in play.
    let pollTime = firstOff;
    const settledAndInPlay = (at: number) =>
      exchange.listedMarkets(at).length < card.length &&
      exchange.catalogueMarkets(at).some((m) => m.inplay);
    while (!settledAndInPlay(pollTime) && pollTime < firstOff + 6 * 3_600_000) pollTime += 60_000;
    fx.sim.setClock(pollTime);
    expect((await fx.api('POST', '/api/recorder/start')).body).toMatchObject({ success: true });
    expect(await fx.poll()).toMatchObject({ outcome: 'polled' });
    feed = await serveFeed(fx.store);
    feedBase = feed.apiBase;
    const now = exchange
      .listedMarkets(pollTime)
      .filter((m) => m.race.off < Date.parse(TODAY.marketStartTime.to));
    listed = now.map((m) => m.marketId);
    inPlay = exchange
      .catalogueMarkets(pollTime)
      .filter((m) => m.inplay)
      .map((m) => m.catalogue.marketId);
    venue = now[0]!.race.venue.venue;
  }, 60_000);
  afterAll(async () => {
    await feed?.close();
    await fx?.close();
  });

  const simHeaders = () => ({
    ...CLIENT_HEADERS,
    'X-Application': fx.sim.appKey,
    'X-Authentication': fx.sim.sessionToken,
  });

  /** The same call to both; both must succeed with the same, non-empty result. */
  const same = async (operation: string, params: unknown) => {
    const fromSim = await callRpc(fx.sim.url, operation, params, simHeaders());
    const fromFeed = await callRpc(feedBase, operation, params);
    expect(fromSim.error).toBeUndefined();
    expect(fromFeed).toEqual(fromSim);
    expect(fromFeed.result).not.toEqual([]);
    return fromFeed.result;
  };

  it('a poll that saw markets settled, in play and still to run', () => {
    expect(listed.length).toBeGreaterThan(20);
    expect(inPlay.length).toBeGreaterThan(0);
  });

  it.each([
    [
      'every projection',
      {
        filter: { eventTypeIds: ['7'], marketCountries: ['GB', 'IE'], ...TODAY },
        marketProjection: [...MARKET_PROJECTIONS],
        maxResults: 100,
      },
    ],
    ['in play only', { filter: { inPlayOnly: true }, marketProjection: ['EVENT'], maxResults: 50 }],
    [
      'WIN markets at a venue, most traded first',
      () => ({
        filter: { marketTypeCodes: ['WIN'], textQuery: venue },
        sort: 'MAXIMUM_TRADED',
        maxResults: 5,
      }),
    ],
    [
      'the betting app’s request',
      {
        filter: {
          eventTypeIds: ['7'],
          marketCountries: ['GB', 'IE'],
          marketTypeCodes: ['WIN'],
          ...TODAY,
        },
        marketProjection: ['EVENT', 'RUNNER_DESCRIPTION', 'MARKET_START_TIME'],
        sort: 'FIRST_TO_START',
        maxResults: '200',
      },
    ],
  ] as const)('listMarketCatalogue: %s', async (_case, params) => {
    await same('listMarketCatalogue', typeof params === 'function' ? params() : params);
  });

  it.each([
    ['all five price data', { priceData: [...PRICE_DATA] }],
    [
      'best offers two deep and traded',
      {
        priceData: ['EX_BEST_OFFERS', 'EX_TRADED'],
        exBestOffersOverrides: { bestPricesDepth: 2 },
        virtualise: true,
      },
    ],
    ['starting prices', { priceData: ['SP_AVAILABLE', 'SP_TRADED'] }],
    ['no price data', undefined],
  ] as const)('listMarketBook: %s', async (_case, priceProjection) => {
    const perRequest = { 'all five price data': 4 }[_case as string] ?? 9;
    for (const marketIds of [
      [...inPlay, ...listed].slice(0, perRequest),
      listed.slice(-perRequest),
    ]) {
      const books = await same('listMarketBook', {
        marketIds,
        ...(priceProjection ? { priceProjection } : {}),
      });
      expect(books).toHaveLength(marketIds.length);
    }
  });

  it('listRunnerBook', async () => {
    const [book] = (await same('listMarketBook', { marketIds: [inPlay[0]] })) as {
      runners: { selectionId: number }[];
    }[];
    await same('listRunnerBook', {
      marketId: inPlay[0],
      selectionId: book!.runners[2]!.selectionId,
      priceProjection: { priceData: ['EX_BEST_OFFERS'] },
    });
  });

  it.each(['listEventTypes', 'listEvents', 'listCountries', 'listVenues', 'listMarketTypes'])(
    '%s',
    async (operation) => {
      await same(operation, { filter: TODAY });
      await same(operation, { filter: { marketTypeCodes: ['WIN'], ...TODAY } });
    },
  );

  it('a batch and a REST call', async () => {
    const batch = [
      rpcRequest(
        'listMarketBook',
        { marketIds: listed.slice(0, 3), priceProjection: { priceData: ['EX_TRADED'] } },
        1,
      ),
      rpcRequest('listMarketCatalogue', { filter: { venues: [venue] }, maxResults: 10 }, 2),
    ];
    const fromSim = await fetch(`${fx.sim.url}/exchange/betting/json-rpc/v1`, {
      method: 'POST',
      headers: simHeaders(),
      body: JSON.stringify(batch),
    }).then((response) => response.json());
    expect((await postRpc(feedBase, batch)).body).toEqual(fromSim);

    const params = {
      filter: { venues: [venue] },
      marketProjection: ['RUNNER_DESCRIPTION'],
      maxResults: 20,
    };
    const rest = await callRest(feedBase, 'listMarketCatalogue', params);
    expect(rest.body).toEqual(await same('listMarketCatalogue', params));
  });
});
