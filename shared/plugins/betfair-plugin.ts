import { parseBetfairDataset } from './betfair-dataset.js';
import { definePlugin } from './define-plugin.js';
import type { Decoder, SourcePlugin } from './source-plugin.js';

export interface BetfairPluginDeps {
  /** The project's bz2 decoder; injected so this module does not depend on one implementation. */
  decode: Decoder;
  enabled?: boolean;
}

/** Betfair historical exchange data (BASIC, ADVANCED, PRO): one bz2 NDJSON file per market. */
export function createBetfairPlugin({ decode, enabled = true }: BetfairPluginDeps): SourcePlugin {
  return definePlugin({
    id: 'betfair',
    name: 'Betfair Historical Data',
    description:
      'Betfair Exchange historical stream files (BASIC, ADVANCED, PRO): bzip2-compressed ' +
      'NDJSON, one file per market, laid out as TIER/YEAR/Mon/day/eventId/marketId.bz2',
    extensions: ['.bz2'],
    compression: 'bz2',
    enabled,
    decoder: decode,
    validateDataset: (dataset) => void parseBetfairDataset(dataset),
  });
}
