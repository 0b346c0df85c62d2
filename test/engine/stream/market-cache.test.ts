import { describe, expect, it } from 'vitest';
import {
  renderMarketBook,
  type StreamMarketBook,
} from '../../../shared/engine/stream/market-book.js';
import { replayLines } from '../../../shared/engine/stream/replay.js';
import { definition, mcm, OFF_MS, runner } from './stream-builders.js';

const T = OFF_MS - 60_000;

/** The book after replaying `lines`. */
function bookAfter(lines: string[]): StreamMarketBook {
  const [market] = replayLines(lines).markets;
  const book = market && renderMarketBook(market);
  if (!book) throw new Error('no book');
  return book;
}

function runnerOf(book: StreamMarketBook, selectionId: number, handicap = 0) {
  const found = book.runners.find((r) => r.selectionId === selectionId && r.handicap === handicap);
  if (!found) throw new Error(`no runner ${selectionId}`);
  return found;
}

const ps = (pairs: [number, number][]) => pairs.map(([price, size]) => ({ price, size }));

describe('price-keyed ladders: a size sets its price, a size of 0 deletes it', () => {
  const lines = [
    mcm(T, { marketDefinition: definition() }),
    mcm(T + 1, {
      rc: [
        {
          id: 1,
          atb: [
            [2, 10],
            [2.02, 5],
            [1.98, 7],
          ],
          atl: [
            [2.1, 3],
            [2.2, 4],
          ],
        },
      ],
    }),
    mcm(T + 2, {
      rc: [
        {
          id: 1,
          atb: [
            [2.02, 0],
            [2, 12.5],
          ],
          atl: [
            [2.2, 0],
            [2.3, 1],
          ],
        },
      ],
    }),
  ];

  it('keeps the other prices, sorts back best-first (descending) and lay ascending', () => {
    const ex = runnerOf(bookAfter(lines), 1).ex;
    expect(ex?.availableToBack).toEqual(
      ps([
        [2, 12.5],
        [1.98, 7],
      ]),
    );
    expect(ex?.availableToLay).toEqual(
      ps([
        [2.1, 3],
        [2.3, 1],
      ]),
    );
  });

  it('applies trd, spb and spl the same way; traded volume is rebuilt from trd', () => {
    const book = bookAfter([
      ...lines,
      mcm(T + 3, {
        rc: [
          {
            id: 1,
            trd: [
              [2, 10],
              [2.02, 4.5],
            ],
            spb: [[1.01, 20]],
            spl: [[1000, 5]],
          },
        ],
      }),
      mcm(T + 4, {
        rc: [
          {
            id: 1,
            trd: [
              [2.02, 0],
              [2.04, 1.25],
            ],
            spb: [
              [1.01, 0],
              [2, 3],
            ],
          },
        ],
      }),
      mcm(T + 5, { rc: [{ id: 2, trd: [[5, 2]] }], tv: 999 }),
    ]);
    const one = runnerOf(book, 1);
    expect(one.ex?.tradedVolume).toEqual(
      ps([
        [2, 10],
        [2.04, 1.25],
      ]),
    );
    expect(one.totalMatched).toBe(11.25);
    expect(one.sp?.backStakeTaken).toEqual(ps([[2, 3]]));
    expect(one.sp?.layLiabilityTaken).toEqual(ps([[1000, 5]]));
    expect(book.totalMatched).toBe(13.25);
  });
});

describe('level-keyed ladders: [level, price, size], a size of 0 empties the level', () => {
  it('batb/batl are used when there is no full or best-display ladder', () => {
    const book = bookAfter([
      mcm(T, { marketDefinition: definition() }),
      mcm(T + 1, {
        rc: [
          {
            id: 1,
            batb: [
              [0, 3, 5],
              [1, 2.9, 6],
              [2, 2.8, 7],
            ],
            batl: [[0, 3.1, 1]],
          },
        ],
      }),
      mcm(T + 2, {
        rc: [
          {
            id: 1,
            batb: [
              [1, 2.9, 0],
              [0, 3.05, 2],
            ],
          },
        ],
      }),
    ]);
    expect(runnerOf(book, 1).ex?.availableToBack).toEqual(
      ps([
        [3.05, 2],
        [2.8, 7],
      ]),
    );
    expect(runnerOf(book, 1).ex?.availableToLay).toEqual(ps([[3.1, 1]]));
  });

  it('bdatb/bdatl win over batb/batl, and atb/atl over both', () => {
    const base = [
      mcm(T, { marketDefinition: definition() }),
      mcm(T + 1, {
        rc: [
          {
            id: 1,
            batb: [[0, 3, 5]],
            bdatb: [[0, 2.98, 4]],
            bdatl: [
              [0, 3.2, 8],
              [1, 3.3, 9],
            ],
          },
        ],
      }),
    ];
    expect(runnerOf(bookAfter(base), 1).ex?.availableToBack).toEqual(ps([[2.98, 4]]));
    const withFull = [...base, mcm(T + 2, { rc: [{ id: 1, atb: [[2.96, 1]] }] })];
    expect(runnerOf(bookAfter(withFull), 1).ex?.availableToBack).toEqual(ps([[2.96, 1]]));
    const displayEmptied = [...base, mcm(T + 2, { rc: [{ id: 1, bdatb: [[0, 2.98, 0]] }] })];
    expect(runnerOf(bookAfter(displayEmptied), 1).ex?.availableToBack).toEqual(ps([[3, 5]]));
    expect(runnerOf(bookAfter(displayEmptied), 1).ex?.availableToLay).toEqual(
      ps([
        [3.2, 8],
        [3.3, 9],
      ]),
    );
  });
});

describe('scalars, definitions, images and runner keys', () => {
  it('sets ltp, tv, spn and spf; absent fields stay; "NaN" and "Infinity" pass through', () => {
    const book = bookAfter([
      mcm(T, { marketDefinition: definition() }),
      mcm(T + 1, { rc: [{ id: 1, ltp: 3.5, tv: 40, spn: 3.4, spf: 'NaN' }] }),
      mcm(T + 2, { rc: [{ id: 1, spn: 'Infinity' }] }),
    ]);
    const one = runnerOf(book, 1);
    expect(one.lastPriceTraded).toBe(3.5);
    expect(one.totalMatched).toBe(40);
    expect(one.sp?.nearPrice).toBe('Infinity');
    expect(one.sp?.farPrice).toBe('NaN');
  });

  it('takes the market tv as sent while no runner has a traded ladder', () => {
    const book = bookAfter([mcm(T, { marketDefinition: definition() }), mcm(T + 1, { tv: 77.5 })]);
    expect(book.totalMatched).toBe(77.5);
  });

  it('a marketDefinition replaces the previous one whole', () => {
    const book = bookAfter([
      mcm(T, { marketDefinition: definition({ venue: 'Ascot' }) }),
      mcm(T + 1, {
        marketDefinition: { ...definition({ status: 'SUSPENDED' }), venue: undefined },
      }),
    ]);
    expect(book.status).toBe('SUSPENDED');
    expect(book.marketDefinition.venue).toBeUndefined();
  });

  it('img: true replaces the cached market, runners and all', () => {
    const book = bookAfter([
      mcm(T, { marketDefinition: definition() }),
      mcm(T + 1, { rc: [{ id: 1, atb: [[2, 10]], ltp: 2 }] }),
      mcm(T + 2, { img: true, marketDefinition: definition(), rc: [{ id: 2, atl: [[4, 1]] }] }),
    ]);
    expect(runnerOf(book, 1).ex?.availableToBack).toEqual([]);
    expect(runnerOf(book, 1).lastPriceTraded).toBeUndefined();
    expect(runnerOf(book, 2).ex?.availableToLay).toEqual(ps([[4, 1]]));
  });

  it('keys runners by selection id and handicap (hc defaults to 0)', () => {
    const runners = [runner(1, { hc: -0.5 }), runner(1, { hc: 0.5 }), runner(2)];
    const book = bookAfter([
      mcm(T, { marketDefinition: definition({ runners }) }),
      mcm(T + 1, {
        rc: [
          { id: 1, hc: -0.5, ltp: 1.9 },
          { id: 1, hc: 0.5, ltp: 2.1 },
          { id: 2, ltp: 5 },
        ],
      }),
    ]);
    expect(runnerOf(book, 1, -0.5).lastPriceTraded).toBe(1.9);
    expect(runnerOf(book, 1, 0.5).lastPriceTraded).toBe(2.1);
    expect(runnerOf(book, 2).lastPriceTraded).toBe(5);
  });

  it('reports the BSP only once the definition says bspReconciled', () => {
    const withBsp = [runner(1, { bsp: 4.2 }), runner(2, { bsp: 'NaN' })];
    const early = bookAfter([mcm(T, { marketDefinition: definition({ runners: withBsp }) })]);
    expect(runnerOf(early, 1).sp?.actualSP).toBeUndefined();
    const reconciled = definition({ runners: withBsp, bspReconciled: true });
    const late = bookAfter([mcm(T, { marketDefinition: reconciled })]);
    expect(runnerOf(late, 1).sp?.actualSP).toBe(4.2);
    expect(runnerOf(late, 2).sp?.actualSP).toBe('NaN');
  });

  it('keeps Betfair field names: inplay, status, publishTime', () => {
    const book = bookAfter([mcm(T, { marketDefinition: definition({ inPlay: true }) })]);
    expect(book).toMatchObject({ inplay: true, status: 'OPEN', publishTime: T, marketId: '1.100' });
  });
});
