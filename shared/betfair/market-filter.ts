import type { MarketCatalogue } from './market-schemas.js';
import type { MarketFilter } from './protocol.js';
import type { MarketSort } from './vocabulary.js';

/** A market listed at the moment of a call: its full catalogue entry and what the book adds. */
export interface ListedMarket {
  /** Its listMarketCatalogue entry with every projection. */
  catalogue: MarketCatalogue;
  inplay: boolean;
  /** Money on offer now; MINIMUM/MAXIMUM_AVAILABLE order by matched money without it. */
  totalAvailable?: number;
}

type Check = (market: ListedMarket, filter: MarketFilter) => boolean;

const oneOf = (values: readonly string[] | undefined, value: string | undefined): boolean =>
  values === undefined || values.length === 0 || (value !== undefined && values.includes(value));

const same = (wanted: boolean | undefined, value: boolean | undefined): boolean =>
  wanted === undefined || wanted === value;

/** Every MarketFilter field a listed market can be tested against; the rest are ignored. */
const CHECKS: readonly Check[] = [
  ({ catalogue: c }, f) => oneOf(f.eventTypeIds, c.eventType?.id),
  ({ catalogue: c }, f) => oneOf(f.eventIds, c.event?.id),
  ({ catalogue: c }, f) => oneOf(f.marketIds, c.marketId),
  ({ catalogue: c }, f) => oneOf(f.venues, c.event?.venue),
  ({ catalogue: c }, f) => oneOf(f.marketCountries, c.event?.countryCode),
  ({ catalogue: c }, f) => oneOf(f.marketTypeCodes, c.description?.marketType),
  ({ catalogue: c }, f) => oneOf(f.marketBettingTypes, c.description?.bettingType),
  ({ catalogue: c }, f) => same(f.bspOnly, c.description?.bspMarket),
  ({ catalogue: c }, f) => same(f.turnInPlayEnabled, c.description?.turnInPlayEnabled),
  (m, f) => same(f.inPlayOnly, m.inplay),
  (m, f) => inRange(startTime(m), f.marketStartTime),
  (m, f) => f.textQuery === undefined || matchesText(m, f.textQuery),
];

/** True when a market passes every condition of the filter (an empty filter passes all). */
export function matchesFilter(market: ListedMarket, filter: MarketFilter): boolean {
  return CHECKS.every((check) => check(market, filter));
}

/** Markets in the order asked for; ties keep the order they came in. */
export function sortMarkets(markets: readonly ListedMarket[], sort: MarketSort): ListedMarket[] {
  const byStart = (a: ListedMarket, b: ListedMarket) => startTime(a) - startTime(b);
  const byMatched = (a: ListedMarket, b: ListedMarket) => matched(a) - matched(b);
  const byAvailable = (a: ListedMarket, b: ListedMarket) => available(a) - available(b);
  const compare = {
    FIRST_TO_START: byStart,
    LAST_TO_START: (a: ListedMarket, b: ListedMarket) => byStart(b, a),
    MINIMUM_TRADED: byMatched,
    MAXIMUM_TRADED: (a: ListedMarket, b: ListedMarket) => byMatched(b, a),
    MINIMUM_AVAILABLE: byAvailable,
    MAXIMUM_AVAILABLE: (a: ListedMarket, b: ListedMarket) => byAvailable(b, a),
  }[sort];
  return [...markets].sort(compare);
}

function startTime({ catalogue }: ListedMarket): number {
  const time = catalogue.marketStartTime ?? catalogue.description?.marketTime;
  return time === undefined ? Number.NaN : Date.parse(time);
}

const matched = (market: ListedMarket): number => market.catalogue.totalMatched ?? 0;
const available = (market: ListedMarket): number => market.totalAvailable ?? matched(market);

function inRange(time: number, range: MarketFilter['marketStartTime']): boolean {
  if (!range) return true;
  if (range.from !== undefined && !(time >= Date.parse(range.from))) return false;
  if (range.to !== undefined && !(time <= Date.parse(range.to))) return false;
  return true;
}

/** Case aside, the text anywhere in the market, event or venue name; `*` matches any run. */
function matchesText({ catalogue }: ListedMarket, text: string): boolean {
  const haystack = [catalogue.marketName, catalogue.event?.name, catalogue.event?.venue]
    .join(' ')
    .toLowerCase();
  let from = 0;
  for (const part of text.toLowerCase().split('*')) {
    const at = haystack.indexOf(part, from);
    if (at < 0) return false;
    from = at + part.length;
  }
  return true;
}
