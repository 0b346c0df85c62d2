import type { Rng } from '../../generator/rng.js';
import type { RacePlan } from './race-plan.js';

/** The market types the simulator lists for UK/IE racing. */
export const MARKET_TYPES = [
  'WIN',
  'PLACE',
  'EACH_WAY',
  'OTHER_PLACE',
  'MATCH_BET',
  'ANTEPOST_WIN',
] as const;
export type MarketType = (typeof MARKET_TYPES)[number];

/** One market on a race. */
export interface MarketPlan {
  marketId: string;
  race: RacePlan;
  marketType: MarketType;
  marketName: string;
  numberOfWinners: number;
  /** The race's runners this market offers (a pair for a match bet). */
  selectionIds: number[];
  turnInPlayEnabled: boolean;
  bspMarket: boolean;
  eachWayDivisor?: number;
  /** Money this market will have matched by the end. */
  volume: number;
}

type MarketDraft = Omit<MarketPlan, 'marketId' | 'race'>;

/** Places paid on UK/IE each-way terms for a field of `runners`. */
export function placesPaid(runners: number): number {
  if (runners >= 16) return 4;
  if (runners >= 8) return 3;
  return 2;
}

/** The markets Betfair would list for one race, before ids are given out. */
export function draftRaceMarkets(race: RacePlan, rng: Rng): MarketDraft[] {
  const ids = race.runners.map((r) => r.selectionId);
  const places = placesPaid(ids.length);
  const all = { selectionIds: ids, turnInPlayEnabled: true };
  const drafts: MarketDraft[] = [
    {
      ...all,
      marketType: 'WIN',
      marketName: race.name,
      numberOfWinners: 1,
      bspMarket: true,
      volume: race.winVolume,
    },
    {
      ...all,
      marketType: 'PLACE',
      marketName: 'To Be Placed',
      numberOfWinners: places,
      bspMarket: true,
      volume: race.winVolume * 0.2,
    },
    {
      ...all,
      marketType: 'EACH_WAY',
      marketName: 'Each Way',
      numberOfWinners: places,
      bspMarket: false,
      eachWayDivisor: places === 2 ? 4 : 5,
      volume: race.winVolume * 0.03,
    },
  ];
  for (const extra of otherPlaces(places, ids.length)) {
    drafts.push({
      ...all,
      marketType: 'OTHER_PLACE',
      marketName: `${extra} TBP`,
      numberOfWinners: extra,
      bspMarket: false,
      volume: race.winVolume * 0.02,
    });
  }
  drafts.push(...matchBets(race, rng));
  return drafts;
}

/** The extra "N TBP" markets: one place fewer and one more than the standard terms. */
function otherPlaces(places: number, runners: number): number[] {
  return [places - 1, places + 1].filter((n) => n >= 1 && n < runners);
}

function matchBets(race: RacePlan, rng: Rng): MarketDraft[] {
  const count = Math.min(Math.floor(race.runners.length / 2), rng.int(3, 5));
  // Neighbours in the betting make the closest match bets.
  const order = race.runners;
  return Array.from({ length: count }, (_, i) => {
    const [a, b] = [order[2 * i], order[2 * i + 1]];
    if (!a || !b) throw new RangeError('match bet needs two runners');
    return {
      selectionIds: [a.selectionId, b.selectionId],
      marketType: 'MATCH_BET' as const,
      marketName: `${a.name} v ${b.name}`,
      numberOfWinners: 1,
      turnInPlayEnabled: false,
      bspMarket: false,
      volume: race.winVolume * 0.005,
    };
  });
}
