import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  MarketBookSchema,
  type MarketBook,
  type MarketCatalogue,
} from '../../../shared/betfair/market-schemas.js';
import { readDayFiles, readJson, type BookFiles, type CatalogueFiles } from './day-files.js';
import { startRecorderFixture, type RecorderFixture } from './recorder-fixture.js';

const DAY = '2026-02-13';
const BUCKET = 'chimera-recorder';
const BASE = 'betfair-live';
const STEP_MINUTES = 15;
// A lighter projection than the default keeps a whole day, stream files included, to a few
// minutes on a loaded machine; the default's weights are exercised by the other recorder tests.
const PRICE_PROJECTION = 'EX_BEST_OFFERS,SP_AVAILABLE,SP_TRADED';

/** Simulated times of the day's polls: 11:30 to 23:15 UTC every STEP_MINUTES. */
function pollTimes(): Date[] {
  const start = Date.parse(`${DAY}T11:30:00Z`);
  const end = Date.parse(`${DAY}T23:15:00Z`);
  const times: Date[] = [];
  for (let t = start; t <= end; t += STEP_MINUTES * 60_000) times.push(new Date(t));
  return times;
}

describe('a simulated racing day recorded poll by poll', () => {
  let fx: RecorderFixture;
  let catalogues: CatalogueFiles;
  let books: BookFiles;
  let polls: { outcome: string; message: string }[];
  let elapsedMs: number;

  beforeAll(async () => {
    fx = await startRecorderFixture(
      { seed: 11, startTime: `${DAY}T11:29:00Z`, sessionTimeoutMinutes: null },
      { RECORDER_PRICE_PROJECTION: PRICE_PROJECTION },
    );
    expect((await fx.api('POST', '/api/recorder/start')).body).toMatchObject({ success: true });
    const started = Date.now();
    polls = [];
    for (const time of pollTimes()) {
      fx.sim.setClock(time);
      polls.push(await fx.poll());
    }
    elapsedMs = Date.now() - started;
    catalogues = await readDayFiles<MarketCatalogue>(
      fx.store,
      BUCKET,
      `${BASE}/7/${DAY}/catalogue/`,
    );
    books = await readDayFiles<MarketBook>(fx.store, BUCKET, `${BASE}/7/${DAY}/books/`);
  }, 600_000);
  afterAll(() => fx?.close());

  it('polls every time, within the weight limit, never TOO_MUCH_DATA', () => {
    console.info(`${polls.length} polls in ${elapsedMs} ms`, fx.sim.state.stats.snapshot());
    expect(polls.every((poll) => poll.outcome === 'polled')).toBe(true);
    const stats = fx.sim.state.stats.snapshot();
    expect(stats.errors).toEqual({});
    expect(stats.maxWeight).toBeLessThanOrEqual(200);
  });

  it('writes the seed layout, one market a line with _recorded_at and _data_type', () => {
    const names = [...catalogues, ...books].map((file) => file.name);
    for (const name of names) {
      expect(name).toMatch(
        new RegExp(`^${BASE}/7/${DAY}/(catalogue|books)/\\d{2}-\\d{2}-\\d{2}\\.ndjson$`),
      );
    }
    // A file every poll while anything is listed; none once the day's last race has closed.
    expect(catalogues.length).toBeGreaterThan(polls.length * 0.7);
    expect(books.length).toBeGreaterThanOrEqual(catalogues.length);
    for (const file of catalogues) {
      const time = file.name.slice(-15, -7).replaceAll('-', ':');
      for (const record of file.records) {
        expect(record._data_type).toBe('catalogue');
        expect(record._recorded_at).toBe(`${DAY}T${time}.000Z`);
      }
    }
    for (const file of books) {
      expect(file.records.every((record) => record._data_type === 'books')).toBe(true);
    }
  });

  it('records at least 600 markets, each from first sight through CLOSED with a WINNER', () => {
    const firstSeen = new Map<string, string>();
    const bsp = new Map<string, boolean>();
    for (const file of catalogues) {
      for (const market of file.records) {
        if (!firstSeen.has(market.marketId)) firstSeen.set(market.marketId, file.name);
        bsp.set(market.marketId, market.description?.bspMarket ?? false);
      }
    }
    expect(firstSeen.size).toBeGreaterThanOrEqual(600);
    const history = new Map<string, { file: string; book: MarketBook }[]>();
    for (const file of books) {
      for (const book of file.records) {
        const list = history.get(book.marketId) ?? [];
        list.push({ file: file.name, book });
        history.set(book.marketId, list);
      }
    }
    for (const [marketId, first] of firstSeen) {
      const seen = history.get(marketId) ?? [];
      expect(seen[0]?.file, marketId).toBe(first.replace('/catalogue/', '/books/'));
      const last = seen.at(-1)?.book;
      expect(last?.status, marketId).toBe('CLOSED');
      const winners = last?.runners.filter((runner) => runner.status === 'WINNER') ?? [];
      expect(winners.length, marketId).toBeGreaterThan(0);
      if (bsp.get(marketId)) {
        expect(typeof winners[0]?.sp?.actualSP, marketId).toBe('number');
      }
    }
  });

  it('answers /api/state consistently with the files written', async () => {
    const { body: state } = await fx.api<DashboardState>('GET', '/api/state');
    const lines = (files: CatalogueFiles | BookFiles) =>
      files.reduce((sum, file) => sum + file.records.length, 0);
    expect(state.status).toBe('RUNNING');
    expect(state.date).toBe(DAY);
    expect(state.pollCount).toBe(polls.length);
    expect(state.stats).toMatchObject({
      total_polls: polls.length,
      total_markets_recorded: lines(catalogues),
      total_books_recorded: lines(books),
      total_gcs_writes: catalogues.length + books.length,
      gcs_errors: 0,
      api_errors: 0,
    });
    expect(state.lastCataloguePath).toBe(catalogues.at(-1)?.name);
    expect(state.lastBooksPath).toBe(books.at(-1)?.name);
    const lastBook = new Map(books.flatMap((file) => file.records).map((b) => [b.marketId, b]));
    expect(state.markets).toHaveLength(lastBook.size);
    for (const market of state.markets) {
      expect(market.hasBookData).toBe(true);
      expect(market.status).toBe(lastBook.get(market.marketId)?.status);
      expect(market.minutesToOff).toBeLessThan(0);
    }
  });

  it("publishes the latest snapshot: every market's last book, in Betfair's shape", async () => {
    const latest = await readJson<MarketBook[]>(fx.store, BUCKET, `${BASE}/latest/books.json`);
    const lastBook = new Map(books.flatMap((file) => file.records).map((b) => [b.marketId, b]));
    expect(latest).toHaveLength(lastBook.size);
    for (const book of latest) {
      expect(MarketBookSchema.safeParse(book).success).toBe(true);
      expect(book).not.toHaveProperty('_recorded_at');
      expect({ ...book, _recorded_at: '', _data_type: 'books' }).toEqual({
        ...lastBook.get(book.marketId),
        _recorded_at: '',
      });
    }
    const catalogue = await readJson<unknown[]>(fx.store, BUCKET, `${BASE}/latest/catalogue.json`);
    expect(catalogue).toEqual([]);
  });

  it('resets the daily state at midnight UTC', async () => {
    fx.sim.setClock('2026-02-14T00:00:30Z');
    expect(await fx.poll()).toMatchObject({ outcome: 'polled' });
    const { body: state } = await fx.api<DashboardState>('GET', '/api/state');
    expect(state.date).toBe('2026-02-14');
    expect(state.pollCount).toBe(1);
    expect(state.stats.total_polls).toBe(1);
    expect(state.markets.every((m) => m.marketStartTime?.startsWith('2026-02-14'))).toBe(true);
    expect(state.log.some((entry) => entry.message.includes('New day 2026-02-14'))).toBe(true);
    const latest = await readJson<MarketBook[]>(fx.store, BUCKET, `${BASE}/latest/books.json`);
    expect(latest.every((book) => !lastDayIds().has(book.marketId))).toBe(true);
  });

  function lastDayIds(): Set<string> {
    return new Set(books.flatMap((file) => file.records.map((book) => book.marketId)));
  }
});

interface DashboardState {
  status: string;
  date: string;
  pollCount: number;
  stats: Record<string, number>;
  lastCataloguePath: string | null;
  lastBooksPath: string | null;
  markets: {
    marketId: string;
    marketStartTime: string | null;
    status: string | null;
    hasBookData: boolean;
    minutesToOff: number;
  }[];
  log: { message: string }[];
}
