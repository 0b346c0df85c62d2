import type {
  DefinitionRunner,
  MarketChange,
  MarketDefinition,
} from '../../../shared/engine/stream/stream-message.js';

// Builders of small hand-made streams: a definition, and `mcm` lines around market changes.

export const MARKET_ID = '1.100';
export const MARKET_TIME = '2022-04-19T12:00:00.000Z';
export const OFF_MS = Date.parse(MARKET_TIME);

export function runner(id: number, extra: Partial<DefinitionRunner> = {}): DefinitionRunner {
  return { id, status: 'ACTIVE', sortPriority: id, ...extra };
}

export function definition(extra: Partial<MarketDefinition> = {}): MarketDefinition {
  return {
    status: 'OPEN',
    inPlay: false,
    marketTime: MARKET_TIME,
    bspReconciled: false,
    marketType: 'WIN',
    countryCode: 'GB',
    venue: 'Ascot',
    eventId: '31',
    name: '5f Hcap',
    numberOfWinners: 1,
    numberOfActiveRunners: 2,
    version: 1,
    runners: [runner(1, { name: 'One' }), runner(2, { name: 'Two' })],
    ...extra,
  };
}

/** One `mcm` line changing MARKET_ID at `pt`. */
export function mcm(pt: number, change: Omit<MarketChange, 'id'>): string {
  return JSON.stringify({ op: 'mcm', clk: String(pt), pt, mc: [{ id: MARKET_ID, ...change }] });
}
