import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MarketBookSchema, MarketCatalogueSchema } from '../../../shared/betfair/market-schemas.js';
import { KeepAliveResponseSchema } from '../../../shared/betfair/protocol.js';
import { MARKET_PROJECTIONS } from '../../../shared/betfair/vocabulary.js';
import {
  startExchangeSimulator,
  type ExchangeSimulator,
} from '../../../shared/local/simulator/server.js';
import { describeWithSamples, readApiSample } from '../../support/sample-data.js';
import { keyPaths } from './key-paths.js';
import { authHeaders, postJson, rpc } from './sim-client.js';

const ALL_PROJECTIONS = [...MARKET_PROJECTIONS];
const ALL_PRICES = ['EX_ALL_OFFERS', 'EX_TRADED', 'SP_AVAILABLE', 'SP_TRADED'];

/** Fields real UK/IE racing has that the (football, settled) samples happen not to. */
const RACING_EXTRAS = new Set([
  '.result[].event.venue',
  '.result[].description.raceType',
  '.result[].description.eachWayDivisor',
  '.result[].runners[].sp.nearPrice',
  '.result[].runners[].sp.farPrice',
]);
/** Sample fields a racing simulator does not produce: line markets, competitions, own orders. */
const NOT_MODELLED =
  /(competition|lineRangeInfo|keyLineDescription|betDelayModels|\.orders|\.matches)/;

describeWithSamples('response shapes match the real Betfair samples', () => {
  let sim: ExchangeSimulator;
  let catalogue: unknown;
  let books: unknown;
  beforeAll(async () => {
    sim = await startExchangeSimulator({ seed: 3, startTime: '2026-02-13T15:10:00Z' });
    catalogue = await rpc(sim, 'listMarketCatalogue', {
      filter: {},
      marketProjection: ALL_PROJECTIONS,
      maxResults: 100,
    });
    // A closed WIN market with a non-runner, and open ones, together show every runner field.
    const now = sim.state.clock.now();
    const day = sim.state.exchange.listedMarkets(Date.parse('2026-02-13T00:00:01Z'));
    const settled = day.find(
      (m) =>
        m.marketType === 'WIN' &&
        m.race.off < now - 3_600_000 &&
        m.race.runners.some((r) => r.removedAt !== undefined),
    );
    const open = sim.state.exchange.listedMarkets(now).filter((m) => m.marketType === 'WIN');
    const ids = [settled, ...open.slice(-3)].map((m) => m?.marketId ?? '');
    books = await rpc(sim, 'listMarketBook', {
      marketIds: ids,
      priceProjection: { priceData: ALL_PRICES },
    });
  });
  afterAll(() => sim.close());

  it.each([
    ['list_market_catalogue.json', () => catalogue],
    ['list_market_book.json', () => books],
  ])('%s: the same keys, nesting and value types', (file, ours) => {
    const real = keyPaths(readApiSample(file));
    const mine = keyPaths(ours());
    for (const [path, types] of mine) {
      if (RACING_EXTRAS.has(path)) continue;
      expect(real.has(path), `${path} is not in the sample`).toBe(true);
      // Betfair sends null for runner metadata it does not have.
      const allowed = new Set([
        ...(real.get(path) ?? []),
        ...(path.endsWith('.metadata.*') ? ['null'] : []),
      ]);
      expect(
        [...types].filter((type) => !allowed.has(type)),
        path,
      ).toEqual([]);
    }
    const expected = [...real.keys()].filter((path) => !NOT_MODELLED.test(path));
    expect(expected.filter((path) => !mine.has(path))).toEqual([]);
  });

  it('keep_alive_fail.json: the same keys and types', async () => {
    const { body } = await postJson(`${sim.identityUrl}/api/keepAlive`, '', {
      'X-Application': 'app_key',
    });
    expect(body).toEqual(readApiSample('keep_alive_fail.json'));
  });
});

describe('responses pass the client’s zod schemas', () => {
  let sim: ExchangeSimulator;
  beforeAll(async () => {
    sim = await startExchangeSimulator({ seed: 8, startTime: '2026-02-13T16:00:00Z' });
  });
  afterAll(() => sim.close());

  it('MarketCatalogue and MarketBook at several moments of the day', async () => {
    for (const time of ['2026-02-13T08:00:00Z', '2026-02-13T16:00:00Z', '2026-02-13T23:59:00Z']) {
      sim.setClock(time);
      sim.control({ expireSession: 'ALL' });
      const token = sim.issueSession();
      const headers = { ...authHeaders(sim), 'X-Authentication': token };
      const cat = await rpc<unknown[]>(
        sim,
        'listMarketCatalogue',
        {
          filter: {},
          marketProjection: ALL_PROJECTIONS.filter((p) => p !== 'MARKET_DESCRIPTION'),
          maxResults: 200,
        },
        headers,
      );
      for (const market of cat.result ?? []) MarketCatalogueSchema.parse(market);
      const ids = sim.state.exchange
        .listedMarkets(Date.parse('2026-02-13T00:00:01Z'))
        .map((m) => m.marketId);
      for (let i = 0; i < ids.length; i += 4) {
        const book = await rpc<unknown[]>(
          sim,
          'listMarketBook',
          {
            marketIds: ids.slice(i, i + 4),
            priceProjection: { priceData: [...ALL_PRICES, 'EX_BEST_OFFERS'] },
          },
          headers,
        );
        expect(book.error).toBeUndefined();
        for (const market of book.result ?? []) MarketBookSchema.parse(market);
      }
    }
  });

  it('the keep-alive answer', async () => {
    const headers = { ...authHeaders(sim), 'X-Authentication': sim.issueSession() };
    const { body } = await postJson(`${sim.identityUrl}/api/keepAlive`, '', headers);
    expect(KeepAliveResponseSchema.parse(body)).toMatchObject({ status: 'SUCCESS' });
  });
});
