import type { Tier } from './market-definition.js';
import { simulateMarket, type TimelineOptions } from './market-timeline.js';
import type { MarketPlan } from './race-plan.js';
import type { Rng } from './rng.js';
import { renderBasic, renderPro } from './stream-render.js';

/** What to write for one market. */
export interface MarketStreamOptions extends TimelineOptions {
  market: MarketPlan;
  tier: Tier;
}

/**
 * The lines of one market's historical file (no line breaks): Exchange Stream `mcm` messages
 * from the first full marketDefinition to the CLOSED one with the result. Pure: the same
 * options and a generator in the same state give the same lines.
 */
export function marketStream(options: MarketStreamOptions, rng: Rng): string[] {
  const events = simulateMarket(options.market, options.tier, options, rng);
  const render = options.tier === 'BASIC' ? renderBasic : renderPro;
  return render(options.market.marketId, events, rng);
}
