import {
  BETFAIR_MONTHS,
  BETFAIR_TIERS,
  type BetfairMonth,
  type BetfairTier,
} from '../../betfair/vocabulary.js';

/**
 * What Betfair's historic layout, `TIER/YYYY/Mon/D/<eventId>/<marketId>.bz2`, says about a
 * folder or object path: the levels the path holds, from its tier folder down as far as the
 * segments keep to the layout. Only `root` and `tier` are always there.
 */
export type BetfairLayoutHints = {
  /** The folders above the tier folder (`archive` of `archive/PRO/2022`); '' at the top. */
  root: string;
  tier: BetfairTier;
  year?: number;
  month?: BetfairMonth;
  day?: number;
  eventId?: string;
  /** From a market file's name: `1.197806837` of `1.197806837.bz2`. */
  marketId?: string;
};

const YEAR = /^20\d\d$/;
const DAY = /^[1-9]\d?$/;
const EVENT_ID = /^\d+$/;
const MARKET_FILE = /^(1\.\d+)\.bz2$/;

/**
 * Where `path` sits in the vendor layout, wherever that layout starts inside it (`PRO/2022`,
 * `archive/PRO/2022/Apr`, `a/b/BASIC/2016/Jan/1/29000001/1.120000001.bz2`), or undefined for a
 * path with no tier folder. Each level must follow the one above it: `PRO/notes/2022` is the
 * tier PRO and nothing more. When several tier folders appear, the one whose layout goes
 * deepest is taken (the first of equals). Recognition never fails: a path outside the layout
 * simply gives no hints.
 */
export function recognizeBetfairLayout(path: string): BetfairLayoutHints | undefined {
  const segments = path.split(/[/\\]/).filter((segment) => segment !== '' && segment !== '.');
  let best: { hints: BetfairLayoutHints; depth: number } | undefined;
  segments.forEach((segment, at) => {
    if (!(BETFAIR_TIERS as readonly string[]).includes(segment)) return;
    const found = levelsBelowTier(segments.slice(at + 1));
    if (best !== undefined && found.depth <= best.depth) return;
    const hints = { root: segments.slice(0, at).join('/'), tier: segment as BetfairTier };
    best = { hints: { ...hints, ...found.hints }, depth: found.depth };
  });
  return best?.hints;
}

type Levels = Omit<BetfairLayoutHints, 'root' | 'tier'>;

/** The layout's levels read from the segments after a tier folder, up to the first misfit. */
function levelsBelowTier(segments: readonly string[]): { hints: Levels; depth: number } {
  const [year, month, day, eventId, file] = segments;
  const hints: Levels = {};
  if (year === undefined || !YEAR.test(year)) return { hints, depth: 0 };
  hints.year = Number(year);
  if (month === undefined || !(BETFAIR_MONTHS as readonly string[]).includes(month)) {
    return { hints, depth: 1 };
  }
  hints.month = month as BetfairMonth;
  if (day === undefined || !DAY.test(day) || Number(day) > daysIn(hints.year, hints.month)) {
    return { hints, depth: 2 };
  }
  hints.day = Number(day);
  if (eventId === undefined || !EVENT_ID.test(eventId)) return { hints, depth: 3 };
  hints.eventId = eventId;
  const marketId = file === undefined ? undefined : MARKET_FILE.exec(file)?.[1];
  if (marketId === undefined || segments.length > 5) return { hints, depth: 4 };
  hints.marketId = marketId;
  return { hints, depth: 5 };
}

function daysIn(year: number, month: BetfairMonth): number {
  // Day 0 of the next month is the last day of this one.
  return new Date(Date.UTC(year, BETFAIR_MONTHS.indexOf(month) + 1, 0)).getUTCDate();
}
