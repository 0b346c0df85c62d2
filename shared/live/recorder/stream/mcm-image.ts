import type {
  MarketBook,
  MarketCatalogue,
  PriceSize,
  Runner,
} from '../../../betfair/market-schemas.js';
import type { PriceData } from '../../../betfair/vocabulary.js';
import type {
  DefinitionRunner,
  LevelPriceSizeTriple,
  MarketChange,
  MarketDefinition,
  PriceSizePair,
  RunnerChange,
} from '../../../engine/stream/stream-message.js';
import { EVENT_TYPE_ID } from '../settings.js';

// A polled book written as an Exchange Stream market change: the full image of the market, and
// the change from one image to the next. Both are plain `mc` entries the engine replays.

/** Which stream fields carry the available ladders, from the price data a poll asked for. */
export type LadderFields = { back: 'atb'; lay: 'atl' } | { back: LevelField; lay: LevelField };
type LevelField = 'batb' | 'batl' | 'bdatb' | 'bdatl';

/** What a poll asked for: decides which ladders an image holds. */
export interface PolledPrices {
  priceData: readonly PriceData[];
  virtualise: boolean;
}

/**
 * The full ladder (`atb`/`atl`) under EX_ALL_OFFERS; otherwise the best levels under
 * EX_BEST_OFFERS, as `bdatb`/`bdatl` when virtualised (Betfair's "best display" ladders include
 * virtual bets) and `batb`/`batl` when not; none without either.
 */
export function ladderFields(prices: PolledPrices): LadderFields | undefined {
  if (prices.priceData.includes('EX_ALL_OFFERS')) return { back: 'atb', lay: 'atl' };
  if (!prices.priceData.includes('EX_BEST_OFFERS')) return undefined;
  return prices.virtualise ? { back: 'bdatb', lay: 'bdatl' } : { back: 'batb', lay: 'batl' };
}

/** Definition fields that come from the catalogue, kept when a poll has no catalogue entry. */
const CATALOGUE_FIELDS = [
  'bspMarket',
  'turnInPlayEnabled',
  'persistenceEnabled',
  'marketBaseRate',
  'discountAllowed',
  'eventId',
  'eventTypeId',
  'bettingType',
  'marketType',
  'marketTime',
  'suspendTime',
  'regulators',
  'venue',
  'countryCode',
  'timezone',
  'openDate',
  'name',
  'eventName',
] as const;

/**
 * Fields betfairlightweight's MarketDefinition cannot do without; null until the catalogue says
 * (a catalogue asked for without MARKET_DESCRIPTION or EVENT leaves them unknown).
 */
const REQUIRED_UNKNOWN = Object.fromEntries(
  [
    'bettingType',
    'bspMarket',
    'discountAllowed',
    'eventId',
    'marketBaseRate',
    'marketTime',
    'persistenceEnabled',
    'regulators',
    'timezone',
    'turnInPlayEnabled',
  ].map((field) => [field, null]),
) as Partial<MarketDefinition>;

/**
 * The market as one full image (`img: true`): a definition from the book (status, in-play,
 * reconciliation, runner statuses, adjustment factors, BSP) and the catalogue (times, venue,
 * event, names, which `previous` supplies when this poll's catalogue lacks the market), and per
 * runner every ladder and scalar the poll asked for.
 */
export function marketImage(
  book: MarketBook,
  catalogue: MarketCatalogue | undefined,
  prices: PolledPrices,
  previous?: MarketChange,
): MarketChange {
  return {
    id: book.marketId,
    img: true,
    marketDefinition: definitionOf(book, catalogue, previous?.marketDefinition),
    rc: book.runners.map((runner) => runnerImage(runner, prices)),
    tv: book.totalMatched,
  };
}

function definitionOf(
  book: MarketBook,
  catalogue: MarketCatalogue | undefined,
  previous: MarketDefinition | undefined,
): MarketDefinition {
  const fromCatalogue = catalogue ? catalogueFields(catalogue) : carried(previous);
  const names = new Map<number, { name?: string; sortPriority?: number }>();
  for (const runner of previous?.runners ?? []) names.set(runner.id, runner);
  for (const runner of catalogue?.runners ?? []) {
    names.set(runner.selectionId, { name: runner.runnerName, sortPriority: runner.sortPriority });
  }
  return defined({
    ...REQUIRED_UNKNOWN,
    eventTypeId: EVENT_TYPE_ID,
    ...fromCatalogue,
    status: book.status,
    inPlay: book.inplay,
    betDelay: book.betDelay,
    bspReconciled: book.bspReconciled,
    complete: book.complete,
    crossMatching: book.crossMatching,
    runnersVoidable: book.runnersVoidable,
    numberOfWinners: book.numberOfWinners,
    numberOfActiveRunners: book.numberOfActiveRunners,
    version: book.version,
    runners: book.runners.map((runner, index) =>
      definitionRunner(runner, book.bspReconciled, names.get(runner.selectionId), index),
    ),
  });
}

function catalogueFields(catalogue: MarketCatalogue): Partial<MarketDefinition> {
  const { description, event } = catalogue;
  return defined({
    bspMarket: description?.bspMarket,
    turnInPlayEnabled: description?.turnInPlayEnabled,
    persistenceEnabled: description?.persistenceEnabled,
    marketBaseRate: description?.marketBaseRate,
    discountAllowed: description?.discountAllowed,
    eventId: event?.id,
    eventTypeId: catalogue.eventType?.id,
    bettingType: description?.bettingType,
    marketType: description?.marketType,
    marketTime: catalogue.marketStartTime ?? description?.marketTime,
    suspendTime: description?.suspendTime,
    regulators: description?.regulator === undefined ? undefined : [description.regulator],
    venue: event?.venue,
    countryCode: event?.countryCode,
    timezone: event?.timezone,
    openDate: event?.openDate,
    name: catalogue.marketName,
    eventName: event?.name,
  });
}

function carried(previous: MarketDefinition | undefined): Partial<MarketDefinition> {
  if (previous === undefined) return {};
  return defined(Object.fromEntries(CATALOGUE_FIELDS.map((field) => [field, previous[field]])));
}

function definitionRunner(
  runner: Runner,
  reconciled: boolean,
  described: { name?: string; sortPriority?: number } | undefined,
  index: number,
): DefinitionRunner {
  const actualSP = runner.sp?.actualSP;
  return defined({
    adjustmentFactor: runner.adjustmentFactor,
    status: runner.status,
    sortPriority: described?.sortPriority ?? index + 1,
    id: runner.selectionId,
    hc: runner.handicap,
    bsp: reconciled && actualSP !== undefined ? actualSP : undefined,
    removalDate: runner.removalDate,
    name: described?.name,
  });
}

function runnerImage(runner: Runner, prices: PolledPrices): RunnerChange {
  const change: RunnerChange = { id: runner.selectionId };
  if (runner.handicap !== 0) change.hc = runner.handicap;
  const fields = ladderFields(prices);
  if (fields) {
    const back = runner.ex?.availableToBack ?? [];
    const lay = runner.ex?.availableToLay ?? [];
    if (fields.back === 'atb') {
      change.atb = pricePairs(back);
      change.atl = pricePairs(lay);
    } else {
      change[fields.back] = levelTriples(back);
      change[fields.lay] = levelTriples(lay);
    }
  }
  const has = (data: PriceData) => prices.priceData.includes(data);
  if (has('EX_TRADED')) change.trd = pricePairs(runner.ex?.tradedVolume ?? []);
  if (runner.totalMatched !== undefined) change.tv = runner.totalMatched;
  if (has('SP_TRADED')) {
    change.spb = pricePairs(runner.sp?.backStakeTaken ?? []);
    change.spl = pricePairs(runner.sp?.layLiabilityTaken ?? []);
  }
  if (runner.lastPriceTraded !== undefined) change.ltp = runner.lastPriceTraded;
  if (runner.sp?.nearPrice !== undefined) change.spn = runner.sp.nearPrice;
  if (runner.sp?.farPrice !== undefined) change.spf = runner.sp.farPrice;
  return change;
}

// A stream has no empty levels (a size of 0 removes one), so a listed level of size 0 is left out.

function pricePairs(levels: readonly PriceSize[]): PriceSizePair[] {
  return levels.flatMap(({ price, size }) => (size === 0 ? [] : [[Number(price), size]]));
}

function levelTriples(levels: readonly PriceSize[]): LevelPriceSizeTriple[] {
  return levels.flatMap(({ price, size }, level) =>
    size === 0 ? [] : [[level, Number(price), size]],
  );
}

/** The object without its undefined fields, so images compare and serialise alike. */
function defined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, field]) => field !== undefined)) as T;
}
