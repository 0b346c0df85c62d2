import { describe, expect, it } from 'vitest';
import { replayLines } from '../../../shared/engine/stream/replay.js';
import { RunnersCollector } from '../../../shared/engine/stream/runners.js';
import { definition, MARKET_TIME, mcm, OFF_MS, runner } from './stream-builders.js';

/** The runners rows of a replay of `lines`. */
function rowsOf(lines: string[]) {
  const collector = new RunnersCollector();
  replayLines(lines, { observers: [collector] });
  return collector.takeRows();
}

// A race with every phase: pre-play trading, the scheduled off passing before the market turns
// in play, in-play trading, a suspension that zeroes the traded ladders, then the result.
const race = [
  mcm(OFF_MS - 600_000, { marketDefinition: definition() }),
  mcm(OFF_MS - 500_000, {
    rc: [
      {
        id: 1,
        trd: [
          [2, 10],
          [2.2, 5],
        ],
        ltp: 2.2,
        atb: [[2.1, 3]],
        atl: [[2.3, 4]],
      },
      { id: 1, spb: [[1.01, 30]], spl: [[1000, 20]] },
      { id: 2, trd: [[5, 1.001]], ltp: 5 },
    ],
  }),
  mcm(OFF_MS - 1, { rc: [{ id: 1, atb: [[2.12, 1]] }] }),
  mcm(OFF_MS + 10, { rc: [{ id: 1, atb: [[2.14, 1]], atl: [[2.16, 1]] }] }),
  mcm(OFF_MS + 15, { rc: [{ id: 1, trd: [[2.2, 6]] }] }),
  mcm(OFF_MS + 20, { marketDefinition: definition({ inPlay: true }) }),
  mcm(OFF_MS + 30, {
    rc: [
      {
        id: 1,
        trd: [
          [2.2, 9],
          [3, 4],
        ],
        ltp: 3,
      },
      { id: 2, trd: [[5, 1.005]] },
    ],
  }),
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
        ltp: 1.01,
      },
    ],
  }),
  mcm(OFF_MS + 50, {
    marketDefinition: definition({
      inPlay: true,
      status: 'CLOSED',
      bspReconciled: true,
      name: undefined,
      runners: [
        runner(1, { status: 'WINNER', bsp: 2.5 }),
        runner(2, { status: 'LOSER', bsp: 'NaN' }),
      ],
    }),
  }),
];

describe('the runners product, per its definitions', () => {
  const [one, two] = rowsOf(race);

  it('takes market fields from the final definition and names from the last carrying them', () => {
    expect(one).toMatchObject({
      market_id: '1.100',
      event_id: '31',
      event_date: '2022-04-19',
      country: 'GB',
      venue: 'Ascot',
      market_name: '5f Hcap',
      market_type: 'WIN',
      market_time: MARKET_TIME,
      off_time: new Date(OFF_MS + 20).toISOString(),
      selection_id: 1,
      selection_name: 'One',
      result: 'WINNER',
    });
    expect(two).toMatchObject({ selection_id: 2, selection_name: 'Two', result: 'LOSER' });
  });

  it('reads pre-play figures from P, the last OPEN book before the off', () => {
    expect(one).toMatchObject({ pp_volume: 16, pp_min: 2, pp_max: 2.2, pp_ltp: 2.2 });
    expect(one?.pp_wap).toBeCloseTo((2 * 10 + 2.2 * 6) / 16, 12);
  });

  it('reads in-play figures from O − P, not from the suspended books after O', () => {
    expect(one).toMatchObject({ ip_volume: 7, ip_min: 2.2, ip_max: 3, ip_ltp: 3 });
    expect(one?.ip_wap).toBeCloseTo((2.2 * 3 + 3 * 4) / 7, 12);
  });

  it('drops in-play differences of 0.005 or less', () => {
    expect(two).toMatchObject({
      pp_volume: 1,
      pp_wap: 5,
      ip_volume: 0,
      ip_wap: null,
      ip_min: null,
    });
  });

  it('bsp from the last definition with one; bsp_volume = min(back stake, lay liability ÷ (bsp − 1))', () => {
    expect(one?.bsp).toBe(2.5);
    expect(one?.bsp_volume).toBe(13.33);
    expect(two).toMatchObject({ bsp: null, bsp_volume: null });
  });

  it('best prices as of the last update at or before the scheduled off', () => {
    expect(one).toMatchObject({ best_back_at_scheduled_off: 2.12, best_lay_at_scheduled_off: 2.3 });
    expect(two).toMatchObject({
      best_back_at_scheduled_off: null,
      best_lay_at_scheduled_off: null,
    });
  });

  it('a market never in play has no off_time and null ip_*', () => {
    // Without its in-play definitions the stream ends OPEN and pre-play: P is its final book.
    const neverInPlay = race.filter((line) => !line.includes('"inPlay":true'));
    const [row] = rowsOf(neverInPlay);
    expect(row).toMatchObject({ off_time: null, ip_volume: null, ip_ltp: null, ip_wap: null });
    expect(row).toMatchObject({ pp_volume: 10 + 9 + 4, pp_ltp: 3, result: 'ACTIVE' });
  });

  it('a file starting after the off has null pp_* and the whole O ladder in play', () => {
    const [row] = rowsOf(race.slice(5));
    expect(row).toMatchObject({ pp_volume: null, pp_ltp: null, pp_wap: null, pp_min: null });
    expect(row).toMatchObject({ ip_volume: 13, ip_min: 2.2, ip_max: 3 });
  });

  it('gives one row per runner of the final definition, in its order', () => {
    expect(rowsOf(race).map((row) => row.selection_id)).toEqual([1, 2]);
  });
});
