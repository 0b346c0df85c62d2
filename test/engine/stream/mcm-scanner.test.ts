import { isDeepStrictEqual } from 'node:util';
import { describe, expect, it } from 'vitest';
import { renderMarketBook } from '../../../shared/engine/stream/market-book.js';
import { McmScanner } from '../../../shared/engine/stream/mcm-scanner.js';
import { replayLines } from '../../../shared/engine/stream/replay.js';
import { RunnersCollector } from '../../../shared/engine/stream/runners.js';
import { definition, mcm, OFF_MS, runner } from './stream-builders.js';

const T = OFF_MS - 60_000;

/** Everything a replay yields: counts, faults, final books, runners rows. */
function replayed(lines: (string | Buffer)[]) {
  const collector = new RunnersCollector();
  const report = replayLines(lines, { observers: [collector] });
  return { ...report, books: report.markets.map(renderMarketBook), rows: collector.takeRows() };
}

function accepts(line: string): boolean {
  return new McmScanner().scan(Buffer.from(line));
}

const typical = mcm(T + 1, {
  rc: [
    {
      atb: [
        [2, 10],
        [2.02, 0],
      ],
      atl: [[2.1, 3.5]],
      trd: [[2, 1.25]],
      ltp: 2,
      tv: 1.25,
      id: 1,
    },
    {
      id: 2,
      hc: 0.5,
      bdatb: [
        [0, 5, 1],
        [1, 4.9, 0],
      ],
      spb: [[1.01, 2]],
      spn: 5.1,
      spf: 4.8,
    },
  ],
  tv: 1.25,
});

// Lines the scanner must refuse so the general path decides; each is also replayed below.
const refused: [string, string][] = [
  ['an escaped key', typical.replace('"atl"', '"\\u0061tl"')],
  ['a number with an exponent', typical.replace('[2.1,3.5]', '[2.1,35e-1]')],
  ['a number with 17 digits', typical.replace('3.5]', '3.5000000000000001]')],
  ['"NaN" where a number belongs', typical.replace('"spf":4.8', '"spf":"NaN"')],
  ['a duplicate ladder key', typical.replace('"atl":', '"atb":[[9,9]],"atl":')],
  ['a level out of range', typical.replace('[0,5,1]', '[100,5,1]')],
  ['a pair of three numbers', typical.replace('[2.1,3.5]', '[2.1,3.5,1]')],
  ['a heartbeat', '{"op":"mcm","pt":5,"ct":"HEARTBEAT","clk":"1"}'],
  ['another operation', '{"op":"ccm","pt":5,"mc":[{"id":"1.100"}]}'],
  ['trailing bytes', `${typical} x`],
  ['a cut line', typical.slice(0, 80)],
  ['a runner id that is a string', typical.replace('"id":1}', '"id":"1"}')],
];

describe('the mcm byte scanner', () => {
  it('accepts the common line, in any key order and with whitespace', () => {
    expect(accepts(typical)).toBe(true);
    expect(accepts(` ${typical.replaceAll(',', ' ,\t').replaceAll(':', ': ')}\r`)).toBe(true);
    expect(accepts(mcm(T, { marketDefinition: definition({ venue: 'Öst "Park"' }) }))).toBe(true);
  });

  it.each(refused)('refuses %s', (_, line) => {
    expect(accepts(line)).toBe(false);
  });

  it('gives exactly what the general path gives, for accepted and refused lines alike', () => {
    const lines = [
      mcm(T, { marketDefinition: definition({ runners: [runner(1), runner(2, { hc: 0.5 })] }) }),
      typical,
      ...refused.map(([, line]) => line),
      mcm(T + 2, { img: true, marketDefinition: definition(), rc: [{ id: 1, trd: [] }] }),
      mcm(T + 3, {
        rc: [
          { id: 7, ltp: 3 },
          { id: 1, batb: [[0, 1.5, 2]], batl: [] },
        ],
      }),
      mcm(T + 3, { rc: [{ id: 1, bdatl: [[2, 1.6, 1]], spl: [[1000, 4]], atl: [[-0, 1]] }] }),
    ];
    const fromText = replayed(lines);
    const fromBytes = replayed(lines.map((line) => Buffer.from(line)));
    expect(fromBytes.counts.marketChanges).toBeGreaterThan(3);
    expect(isDeepStrictEqual(fromBytes, fromText)).toBe(true);
  });
});
