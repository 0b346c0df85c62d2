import { gunzipSync } from 'node:zlib';
import { beforeEach, describe, expect, it } from 'vitest';
import type { MarketBook } from '../../../../shared/betfair/market-schemas.js';
import { renderMarketBook } from '../../../../shared/engine/stream/market-book.js';
import { replayLines } from '../../../../shared/engine/stream/replay.js';
import type { PolledPrices } from '../../../../shared/live/recorder/stream/mcm-image.js';
import {
  appendBook,
  closeStream,
  openPrefix,
  type StreamTarget,
} from '../../../../shared/live/recorder/stream/stream-files.js';
import { readAll, tempStore } from '../../../support/temp-store.js';

const MARKET = '1.230000001';
const PRICES: PolledPrices = { priceData: ['EX_ALL_OFFERS', 'EX_TRADED'], virtualise: true };
const T0 = Date.parse('2026-02-13T14:00:00Z');

/** A two-runner book whose first runner's best back is `back` with `size`. */
function book(back: number, size: number, status: MarketBook['status'] = 'OPEN'): MarketBook {
  const runner = (selectionId: number, price: number) => ({
    selectionId,
    handicap: 0,
    status: 'ACTIVE' as const,
    totalMatched: 10,
    lastPriceTraded: price,
    ex: {
      availableToBack: [{ price, size }],
      availableToLay: [{ price: price + 1, size: 5 }],
      tradedVolume: [{ price, size: 10 }],
    },
  });
  return {
    marketId: MARKET,
    isMarketDataDelayed: false,
    status,
    betDelay: 0,
    bspReconciled: false,
    complete: true,
    inplay: false,
    numberOfWinners: 1,
    numberOfRunners: 2,
    numberOfActiveRunners: 2,
    totalMatched: 20,
    totalAvailable: 0,
    crossMatching: true,
    runnersVoidable: false,
    version: 1,
    runners: [runner(11, back), runner(22, back + 2)],
  };
}

const CATALOGUE = {
  marketId: MARKET,
  marketName: 'R1 2m Hcap',
  marketStartTime: '2026-02-13T14:30:00.000Z',
  event: { id: '30020497', name: 'Ascot 13th Feb', venue: 'Ascot', countryCode: 'GB' },
};

describe('a market stream file under overlapping and repeated polls', () => {
  let target: StreamTarget;

  beforeEach(async () => {
    const { store } = await tempStore();
    await store.createBucket('recorder');
    target = { store, bucket: 'recorder', basePath: 'live' };
  });

  const polled = (b: MarketBook, pt: number, head?: Awaited<ReturnType<typeof appendBook>>) => ({
    book: b,
    catalogue: CATALOGUE,
    prices: PRICES,
    pt,
    head: head?.head,
    seqHint: 0,
  });

  async function parts(): Promise<string[]> {
    const page = await target.store.list('recorder', { prefix: openPrefix('live', MARKET) });
    return page.objects.map((object) => object.name);
  }

  it('appends a poll delivered twice once', async () => {
    const first = await appendBook(target, polled(book(3, 10), T0));
    const again = await Promise.all([
      appendBook(target, polled(book(3.5, 10), T0 + 60_000, first)),
      appendBook(target, polled(book(3.5, 10), T0 + 60_000, first)),
    ]);
    expect(again.map((result) => result.appended).sort()).toEqual([false, true]);
    expect(await parts()).toHaveLength(2);
  });

  it('chains two overlapping polls from the same head, the older book never after the newer', async () => {
    const first = await appendBook(target, polled(book(3, 10), T0));
    const [late, current] = await Promise.all([
      appendBook(target, polled(book(4, 7), T0 + 60_000, first)),
      appendBook(target, polled(book(5, 9), T0 + 120_000, first)),
    ]);
    expect(current.head?.pt).toBe(T0 + 120_000);
    expect(late.head!.seq).toBeLessThanOrEqual(current.head!.seq);
    const closed = await closeStream(target, MARKET);
    const lines = gunzipSync(await readAll(await target.store.read('recorder', closed.name!)))
      .toString()
      .split('\n')
      .filter(Boolean);
    const pts = lines.map((line) => (JSON.parse(line) as { pt: number }).pt);
    expect(pts).toEqual([...pts].sort((a, b) => a - b));
    const replay = replayLines(lines);
    const final = renderMarketBook(replay.markets[0]!)!;
    expect(final.runners[0]?.ex?.availableToBack).toEqual([{ price: 5, size: 9 }]);
    expect(final.runners[1]?.ex?.availableToBack).toEqual([{ price: 7, size: 9 }]);
  });

  it('compresses once when closes overlap or repeat, then removes the parts', async () => {
    let head = await appendBook(target, polled(book(3, 10), T0));
    head = await appendBook(target, polled(book(3, 12), T0 + 60_000, head));
    await appendBook(target, polled(book(3, 12, 'CLOSED'), T0 + 120_000, head));
    const closes = await Promise.all([closeStream(target, MARKET), closeStream(target, MARKET)]);
    const again = await closeStream(target, MARKET);
    const written = [...closes, again].filter((close) => close.written);
    expect(written).toHaveLength(1);
    expect(written[0]?.name).toBe(`live/stream/2026/Feb/13/30020497/${MARKET}.gz`);
    expect(written[0]?.lines).toBe(3);
    const all = await target.store.list('recorder', { prefix: 'live/' });
    expect(all.objects.map((object) => object.name)).toEqual([written[0]?.name]);
    const text = gunzipSync(await readAll(await target.store.read('recorder', written[0]!.name!)));
    expect(text.toString().split('\n').filter(Boolean)).toHaveLength(3);
  });

  it('writes the definition fields betfairlightweight requires, even when the catalogue lacks them', async () => {
    await appendBook(target, { ...polled(book(3, 10), T0), catalogue: undefined });
    const closed = await closeStream(target, MARKET);
    const text = gunzipSync(await readAll(await target.store.read('recorder', closed.name!)));
    const first = JSON.parse(text.toString().split('\n')[0]!) as {
      mc: { marketDefinition: Record<string, unknown> }[];
    };
    const definition = first.mc[0]!.marketDefinition;
    // The parameters without a default of betfairlightweight's streaming MarketDefinition.
    for (const field of [
      'betDelay',
      'bettingType',
      'bspMarket',
      'bspReconciled',
      'complete',
      'crossMatching',
      'discountAllowed',
      'eventId',
      'eventTypeId',
      'inPlay',
      'marketBaseRate',
      'marketTime',
      'numberOfActiveRunners',
      'numberOfWinners',
      'persistenceEnabled',
      'regulators',
      'runnersVoidable',
      'status',
      'timezone',
      'turnInPlayEnabled',
      'version',
      'runners',
    ]) {
      expect(definition, field).toHaveProperty(field);
    }
    expect(definition.eventTypeId).toBe('7');
    expect(closed.name).toBe(`live/stream/2026/Feb/13/unknown/${MARKET}.gz`);
  });
});
