import { describe, expect, it } from 'vitest';
import { BarsCollector } from '../../../shared/engine/stream/bars.js';
import { MarketsCollector } from '../../../shared/engine/stream/markets.js';
import { MARKETS_COLUMNS } from '../../../shared/engine/stream/markets-table.js';
import { parseMoment, parseMoments } from '../../../shared/engine/stream/moments.js';
import { productColumns, startProduct } from '../../../shared/engine/stream/products.js';
import { replayLines } from '../../../shared/engine/stream/replay.js';
import { SnapshotsCollector } from '../../../shared/engine/stream/snapshots.js';
import { snapshotsColumns } from '../../../shared/engine/stream/snapshots-table.js';
import { csvHeader } from '../../../shared/engine/stream/table.js';
import { definition, MARKET_ID, mcm, OFF_MS, runner } from './stream-builders.js';

const iso = (ms: number) => new Date(ms).toISOString();

// A race: pre-play trading, a trade 30 s before the off, the off, in-play trading, the
// suspension that zeroes the traded ladders, then the result.
const race = [
  mcm(OFF_MS - 600_000, { marketDefinition: definition({ eventName: 'Ascot 19th Apr' }) }),
  mcm(OFF_MS - 500_000, {
    rc: [
      {
        id: 1,
        atb: [
          [2.1, 3],
          [2, 5],
        ],
        atl: [[2.3, 4]],
        trd: [
          [2, 10],
          [2.2, 5],
        ],
        ltp: 2.2,
      },
      { id: 2, trd: [[5, 1]], ltp: 5, spn: 4.8, spf: 5.1 },
    ],
  }),
  mcm(OFF_MS - 30_000, { rc: [{ id: 1, trd: [[2.2, 8]], atb: [[2.12, 1]] }] }),
  mcm(OFF_MS + 20, { marketDefinition: definition({ inPlay: true }) }),
  mcm(OFF_MS + 30, { rc: [{ id: 1, trd: [[3, 4]], ltp: 3 }] }),
  mcm(OFF_MS + 40, {
    marketDefinition: definition({ inPlay: true, status: 'SUSPENDED' }),
    rc: [
      {
        id: 1,
        trd: [
          [2, 0],
          [2.2, 0],
          [3, 0],
        ],
      },
    ],
  }),
  mcm(OFF_MS + 50, {
    marketDefinition: definition({
      inPlay: true,
      status: 'CLOSED',
      runners: [runner(1, { status: 'WINNER', name: 'One' }), runner(2, { status: 'LOSER' })],
    }),
  }),
];

describe('parseMoment', () => {
  it('reads offsets in seconds or minutes, off, close and ISO times', () => {
    expect(parseMoment('-60s')).toEqual({ kind: 'offset', label: '-60s', offsetMs: -60_000 });
    expect(parseMoment('+30s')).toEqual({ kind: 'offset', label: '+30s', offsetMs: 30_000 });
    expect(parseMoment('-1.5m')).toMatchObject({ offsetMs: -90_000 });
    expect(parseMoment('off')).toEqual({ kind: 'off', label: 'off' });
    expect(parseMoment('close')).toEqual({ kind: 'close', label: 'close' });
    expect(parseMoment('2022-04-19T11:59:00+01:00')).toMatchObject({
      kind: 'time',
      epochMs: Date.parse('2022-04-19T10:59:00Z'),
    });
  });

  it.each(['sixty', '-60', '60x', '2022-04-19', 'OFF', ''])(
    'refuses %j, naming every allowed form',
    (spec) => {
      expect(() => parseMoment(spec)).toThrow(/-600s.*"off".*"close"/);
    },
  );

  it('reads a list, keeping each moment once', () => {
    expect(parseMoments('-60s,off,close,-60s').map((m) => m.label)).toEqual([
      '-60s',
      'off',
      'close',
    ]);
    expect(() => parseMoments(' , ')).toThrow(/no moment/);
  });
});

describe('the markets product', () => {
  it('gives one row: the off, the last OPEN book, winners and the traded total before the suspension', () => {
    const collector = new MarketsCollector({
      tier: 'PRO',
      sourceObject: 'PRO/2022/Apr/19/31/1.100.bz2',
      sourceGeneration: '7',
    });
    replayLines(race, { observers: [collector] });
    expect(collector.takeRows()).toEqual([
      {
        market_id: MARKET_ID,
        event_id: '31',
        event_name: 'Ascot 19th Apr',
        event_type_id: null,
        venue: 'Ascot',
        country: 'GB',
        market_type: 'WIN',
        market_name: '5f Hcap',
        event_date: '2022-04-19',
        market_time: iso(OFF_MS),
        off_time: iso(OFF_MS + 20),
        close_time: iso(OFF_MS + 30),
        status: 'CLOSED',
        runner_count: 2,
        number_of_winners: 1,
        winner_ids: '1',
        // runner 1: 10 + 8 + 4, runner 2: 1, as in the last OPEN book
        total_matched: 23,
        tier: 'PRO',
        source_object: 'PRO/2022/Apr/19/31/1.100.bz2',
        source_generation: '7',
      },
    ]);
  });

  it('leaves off_time and close_time null for a market never in play nor OPEN', () => {
    const collector = new MarketsCollector();
    replayLines([mcm(OFF_MS, { marketDefinition: definition({ status: 'SUSPENDED' }) })], {
      observers: [collector],
    });
    const [row] = collector.takeRows();
    expect(row).toMatchObject({ off_time: null, close_time: null, winner_ids: '', tier: null });
  });
});

describe('the snapshots product', () => {
  function snapshots(moments: string, depth = 3) {
    const collector = new SnapshotsCollector({ moments: parseMoments(moments), depth });
    replayLines(race, { observers: [collector] });
    return collector.takeRows();
  }

  it('takes the book as of the last update at or before an offset from the off', () => {
    const [one, two, ...rest] = snapshots('-60s');
    expect(rest).toEqual([]);
    expect(one).toEqual({
      market_id: MARKET_ID,
      moment: '-60s',
      moment_time: iso(OFF_MS - 60_000),
      book_time: iso(OFF_MS - 500_000),
      market_time: iso(OFF_MS),
      market_status: 'OPEN',
      in_play: false,
      selection_id: 1,
      selection_name: 'One',
      runner_status: 'ACTIVE',
      back_1_price: 2.1,
      back_1_size: 3,
      back_2_price: 2,
      back_2_size: 5,
      back_3_price: null,
      back_3_size: null,
      lay_1_price: 2.3,
      lay_1_size: 4,
      lay_2_price: null,
      lay_2_size: null,
      lay_3_price: null,
      lay_3_size: null,
      ltp: 2.2,
      traded_volume: 15,
      traded_wap: (2 * 10 + 2.2 * 5) / 15,
      sp_near: null,
      sp_far: null,
    });
    expect(two).toMatchObject({ selection_id: 2, ltp: 5, traded_volume: 1, traded_wap: 5 });
    expect(two).toMatchObject({ sp_near: 4.8, sp_far: 5.1, back_1_price: null });
  });

  it('includes an update published exactly at the moment', () => {
    const [one] = snapshots('-30s', 1);
    expect(one).toMatchObject({ book_time: iso(OFF_MS - 30_000), back_1_price: 2.12 });
    expect(one).toMatchObject({ traded_volume: 18 });
    expect(one).not.toHaveProperty('back_2_price');
  });

  it('takes off at the first in-play book and close at the last OPEN one', () => {
    const rows = snapshots('close,off').filter((row) => row.selection_id === 1);
    expect(rows.map((r) => [r.moment, r.book_time, r.in_play, r.traded_volume, r.ltp])).toEqual([
      ['close', iso(OFF_MS + 30), true, 22, 3],
      ['off', iso(OFF_MS + 20), true, 18, 2.2],
    ]);
    expect(rows[0]?.market_status).toBe('OPEN');
  });

  it('gives no row before the first book, and the final book after the last', () => {
    const before = iso(OFF_MS - 700_000);
    const after = iso(OFF_MS + 3_600_000);
    const rows = snapshots(`${before},${after}`);
    expect(rows.map((r) => [r.moment, r.book_time, r.market_status])).toEqual([
      [after, iso(OFF_MS + 50), 'CLOSED'],
      [after, iso(OFF_MS + 50), 'CLOSED'],
    ]);
  });

  it('has level columns for its depth, back then lay', () => {
    const names = snapshotsColumns(2).map((c) => c.name);
    expect(names.filter((n) => /^(back|lay)_/.test(n))).toEqual([
      'back_1_price',
      'back_1_size',
      'back_2_price',
      'back_2_size',
      'lay_1_price',
      'lay_1_size',
      'lay_2_price',
      'lay_2_size',
    ]);
    expect(() => snapshotsColumns(0)).toThrow(/1 to 10/);
  });
});

describe('the bars product', () => {
  function bars(lines: string[], intervalMs?: number) {
    const collector = new BarsCollector({ intervalMs });
    replayLines(lines, { observers: [collector] });
    return collector.takeRows();
  }

  it('builds OHLC and volume per runner per minute from increases of the traded ladder', () => {
    const rows = bars(race);
    const bar = (start: number) => ({
      bar_start: iso(start),
      bar_end: iso(start + 60_000),
    });
    expect(rows).toEqual(
      [
        // 11:51:40: 10 at 2 and 5 at 2.2, lowest price first within one book
        { market_id: MARKET_ID, selection_id: 1, selection_name: 'One', ...bar(OFF_MS - 540_000) },
        { market_id: MARKET_ID, selection_id: 1, selection_name: 'One', ...bar(OFF_MS - 60_000) },
        { market_id: MARKET_ID, selection_id: 1, selection_name: 'One', ...bar(OFF_MS) },
        { market_id: MARKET_ID, selection_id: 2, selection_name: 'Two', ...bar(OFF_MS - 540_000) },
      ].map((head, i) => ({
        ...head,
        ...[
          { open: 2, high: 2.2, low: 2, close: 2.2, volume: 15, trades: 2 },
          { open: 2.2, high: 2.2, low: 2.2, close: 2.2, volume: 3, trades: 1 },
          { open: 3, high: 3, low: 3, close: 3, volume: 4, trades: 1 },
          { open: 5, high: 5, low: 5, close: 5, volume: 1, trades: 1 },
        ][i],
      })),
    );
  });

  it('ignores sizes on the first change, the suspension zeroing, and sizes restored after it', () => {
    const lines = [
      mcm(OFF_MS, { marketDefinition: definition(), rc: [{ id: 1, trd: [[4, 100]] }] }),
      mcm(OFF_MS + 1_000, { rc: [{ id: 1, trd: [[4, 0]] }] }),
      mcm(OFF_MS + 2_000, { rc: [{ id: 1, trd: [[4, 100]] }] }),
      mcm(OFF_MS + 3_000, {
        rc: [
          {
            id: 1,
            trd: [
              [4, 102.5],
              [4.5, 1],
            ],
          },
        ],
      }),
      mcm(OFF_MS + 12_000, { rc: [{ id: 1, trd: [[3.5, 2]] }] }),
      mcm(OFF_MS + 13_000, { rc: [{ id: 1, trd: [[4.2, 1]] }] }),
    ];
    const rows = bars(lines, 10_000);
    expect(rows.map((r) => [r.bar_start, r.open, r.high, r.low, r.close, r.volume])).toEqual([
      [iso(OFF_MS), 4, 4.5, 4, 4.5, 3.5],
      [iso(OFF_MS + 10_000), 3.5, 4.2, 3.5, 4.2, 3],
    ]);
  });
});

describe('products as text', () => {
  it('writes NDJSON in column order and CSV under the documented header', () => {
    const product = startProduct('markets', { source: { tier: 'PRO' } });
    replayLines(race, { observers: [product.observer] });
    const csv = product.takeText('csv');
    expect(csvHeader(productColumns('markets'))).toBe(
      `${MARKETS_COLUMNS.map((c) => c.name).join(',')}\n`,
    );
    expect(csv.split(',')[0]).toBe(MARKET_ID);
    expect(csv.trimEnd().split(',')).toHaveLength(MARKETS_COLUMNS.length);
    const again = startProduct('markets', { source: { tier: 'PRO' } });
    replayLines(race, { observers: [again.observer] });
    const json = JSON.parse(again.takeText('ndjson')) as Record<string, unknown>;
    expect(Object.keys(json)).toEqual(MARKETS_COLUMNS.map((c) => c.name));
    expect(json.tier).toBe('PRO');
  });
});
