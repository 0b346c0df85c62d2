import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MarketBook, PriceSize, Runner } from '../../../shared/betfair/market-schemas.js';
import { MAX_REQUEST_POINTS, bookWeight } from '../../../shared/betfair/weights.js';
import { renderMarketBook } from '../../../shared/engine/stream/market-book.js';
import { StreamEngine } from '../../../shared/engine/stream/stream-engine.js';
import { POLL_TIMING } from '../../../shared/live/recorder/deps.js';
import { readAll } from '../../support/temp-store.js';
import { BASE, BUCKET, DAY, recordDay, type RecordedDay } from './stream-day.js';

/** A price list without levels of size 0: a stream has no such levels (0 removes one). */
const levels = (list: PriceSize[] | undefined) => (list ?? []).filter((level) => level.size !== 0);

/**
 * What a polled book and a replayed one must agree on: everything the poll asked for. Traded
 * volumes are the stream's `tv`: a rendered book rebuilds them from the traded ladders, the rule
 * for purchased files, which can differ from Betfair's own figure by rounding.
 */
function comparable(book: MarketBook, tv?: Traded) {
  const runner = (r: Runner) => ({
    selectionId: r.selectionId,
    status: r.status,
    lastPriceTraded: r.lastPriceTraded,
    totalMatched: tv ? tv.runners.get(r.selectionId) : r.totalMatched,
    back: levels(r.ex?.availableToBack),
    lay: levels(r.ex?.availableToLay),
    traded: levels(r.ex?.tradedVolume),
    nearPrice: r.sp?.nearPrice,
    farPrice: r.sp?.farPrice,
    actualSP: r.sp?.actualSP,
    backStakeTaken: levels(r.sp?.backStakeTaken),
    layLiabilityTaken: levels(r.sp?.layLiabilityTaken),
  });
  return {
    marketId: book.marketId,
    status: book.status,
    inplay: book.inplay,
    bspReconciled: book.bspReconciled,
    complete: book.complete,
    numberOfWinners: book.numberOfWinners,
    numberOfActiveRunners: book.numberOfActiveRunners,
    betDelay: book.betDelay,
    version: book.version,
    totalMatched: tv ? tv.market : book.totalMatched,
    runners: book.runners.map(runner),
  };
}

/** The stream's own traded volumes: the market's `tv` and each runner's. */
interface Traded {
  market: number | undefined;
  runners: Map<number, number | undefined>;
}

interface Replayed {
  pt: number;
  book: MarketBook;
  tv: Traded;
}

/** Each market's book after every line of its stream file, by `pt`. */
function replayed(streams: Map<string, string[]>): Map<string, Replayed[]> {
  const books = new Map<string, Replayed[]>();
  for (const [name, lines] of streams) {
    const marketId = name.split('/').at(-1)!.replace(/\.gz$/, '');
    const engine = new StreamEngine();
    const timeline: Replayed[] = [];
    for (const line of lines) {
      expect(engine.applyLine(line), `${name}: ${line.slice(0, 80)}`).not.toBe('malformed');
      const market = engine.markets.get(marketId)!;
      const book = renderMarketBook(market)!;
      const runners = new Map([...market.runners.values()].map((r) => [r.selectionId, r.tv]));
      timeline.push({ pt: market.pt!, book, tv: { market: market.tv, runners } });
    }
    books.set(marketId, timeline);
  }
  return books;
}

describe('a simulated day recorded as Betfair stream files', () => {
  let day: RecordedDay;

  beforeAll(async () => {
    day = await recordDay({ duplicated: (minute) => minute % 7 === 3 });
  }, 240_000);
  afterAll(() => day?.fx.close());

  it('files each market once, gzipped, in the vendor layout by market day and event', async () => {
    const known = await day.fx.deps.state.readMarkets(DAY);
    expect(known.length).toBeGreaterThan(2);
    const names = [...day.streams.keys()];
    expect(names).toHaveLength(known.length);
    for (const name of names) {
      expect(name).toMatch(new RegExp(`^${BASE}/stream/2026/Feb/13/\\d+/1\\.\\d+\\.gz$`));
    }
    expect(new Set(known.map((market) => market.marketId))).toEqual(
      new Set(names.map((name) => name.split('/').at(-1)!.replace('.gz', ''))),
    );
    const open = await day.fx.store.list('chimera-recorder', { prefix: `${BASE}/stream-open/` });
    expect(open.objects).toEqual([]);
  });

  it('counts the lines written and the files filed in the dashboard stats, duplicated polls once', async () => {
    const { body } = await day.fx.api<{ stats: Record<string, number> }>('GET', '/api/state');
    const lines = [...day.streams.values()].reduce((sum, file) => sum + file.length, 0);
    expect(body.stats).toMatchObject({
      total_stream_lines: lines,
      total_streams_filed: day.streams.size,
    });
  });

  it('names the file of each filed market to the dashboard, and sends a reader of its open stream there', async () => {
    const { body } = await day.fx.api<{ markets: { marketId: string; streamFile: string }[] }>(
      'GET',
      '/api/state',
    );
    expect(body.markets).toHaveLength(day.streams.size);
    for (const market of body.markets) {
      expect(day.streams.has(market.streamFile)).toBe(true);
      expect(market.streamFile).toContain(market.marketId);
    }
    const filed = body.markets[0]!;
    const stream = await day.fx.api('GET', `/api/recorder/markets/${filed.marketId}/stream`);
    expect(stream.status).toBe(404);
    expect(JSON.stringify(stream.body)).toContain(`chimera-recorder/${filed.streamFile}`);
  });

  it('starts each file with a full image and keeps pt and clk in order', () => {
    for (const [name, lines] of day.streams) {
      const messages = lines.map(
        (line) =>
          JSON.parse(line) as {
            op: string;
            pt: number;
            clk: string;
            mc: { img?: boolean; marketDefinition?: unknown }[];
          },
      );
      expect(messages[0]?.mc[0]?.img, name).toBe(true);
      expect(messages[0]?.mc[0]?.marketDefinition, name).toBeDefined();
      expect(messages.every((message) => message.op === 'mcm' && message.mc.length === 1)).toBe(
        true,
      );
      const pts = messages.map((message) => message.pt);
      expect(pts, name).toEqual([...pts].sort((a, b) => a - b));
      expect(new Set(pts).size, name).toBe(pts.length);
      expect(messages.map((message) => Number(message.clk))).toEqual(
        messages.map((_, index) => index + 1),
      );
    }
  });

  it('replays, in the market engine, to the polled book at every poll time', () => {
    const timelines = replayed(day.streams);
    expect(day.polled.length).toBeGreaterThan(100);
    let compared = 0;
    for (const { at, book } of day.polled) {
      const timeline = timelines.get(book.marketId) ?? [];
      const asOf = timeline.filter((entry) => entry.pt <= at).at(-1);
      expect(asOf, `${book.marketId} at ${new Date(at).toISOString()}`).toBeDefined();
      expect(
        comparable(asOf!.book, asOf!.tv),
        `${book.marketId} at ${new Date(at).toISOString()}`,
      ).toEqual(comparable(book));
      compared += 1;
    }
    expect(compared).toBe(day.polled.length);
  });

  it('writes a line only for polls in which the market changed, deltas after the image', () => {
    const lines = [...day.streams.values()].reduce((sum, file) => sum + file.length, 0);
    console.info(
      `${day.streams.size} markets, ${day.polled.length} books polled, ${lines} stream lines,`,
      `${day.bytes.ndjson} bytes of NDJSON in ${day.bytes.gzip} bytes of gzip`,
    );
    expect(lines).toBeLessThan(day.polled.length);
    const deltas = [...day.streams.values()].flatMap((file) => file.slice(1));
    expect(deltas.length).toBeGreaterThan(0);
    expect(deltas.every((line) => !line.includes('"img":true'))).toBe(true);
  });

  it('polls markets near the off several times a minute within the limits', () => {
    const offsets = new Set(day.calls.map((call) => call.at % 60_000));
    expect([...offsets].sort((a, b) => a - b)).toEqual([0, 15_000, 30_000]);
    const perMarket = new Map<string, number[]>();
    for (const call of day.calls) {
      for (const marketId of call.marketIds) {
        perMarket.set(marketId, [...(perMarket.get(marketId) ?? []), call.at]);
      }
    }
    for (const [marketId, times] of perMarket) {
      for (let i = 0; i < times.length; i++) {
        const inSecond = times.filter((t) => t >= times[i]! && t < times[i]! + 1000).length;
        expect(inSecond, marketId).toBeLessThanOrEqual(5);
      }
    }
    const stats = day.fx.sim.state.stats.snapshot();
    expect(stats.errors).toEqual({});
    expect(stats.maxWeight).toBeLessThanOrEqual(MAX_REQUEST_POINTS);
    expect(bookWeight({ priceData: ['EX_ALL_OFFERS'] })).toBeLessThan(MAX_REQUEST_POINTS);
    expect(Math.max(...day.pollSpans)).toBeLessThanOrEqual(POLL_TIMING.deadlineMs);
    expect(day.polls.every((poll) => ['polled', 'skipped'].includes(poll.outcome))).toBe(true);
  });

  // Last: it moves the recorder to the next day.
  it("removes, at the day's end, a part a late poll appended to a market already filed", async () => {
    const [name, lines] = [...day.streams.entries()][0]!;
    const marketId = name.split('/').at(-1)!.replace(/\.gz$/, '');
    const first = JSON.parse(lines[0]!) as { pt: number; mc: unknown[] };
    const orphan = `${BASE}/stream-open/${marketId}/000999.json`;
    const part = { seq: 999, pt: first.pt, image: first.mc[0], line: lines[0] };
    await day.fx.store.write(BUCKET, orphan, Readable.from([JSON.stringify(part)]));
    const filed = await readAll(await day.fx.store.read(BUCKET, name));

    day.fx.sim.setClock(Date.parse(`${DAY}T00:00:30Z`) + 86_400_000);
    expect(await day.fx.poll()).toMatchObject({ outcome: 'polled' });
    const open = await day.fx.store.list(BUCKET, { prefix: `${BASE}/stream-open/${marketId}/` });
    expect(open.objects).toEqual([]);
    expect(await readAll(await day.fx.store.read(BUCKET, name))).toEqual(filed);
  });
});
