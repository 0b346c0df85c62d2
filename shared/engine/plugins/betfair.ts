import { recognizeBetfairLayout } from './betfair-layout.js';
import { definePlugin, type Decoder, type SourcePlugin } from './plugins.js';

export interface BetfairPluginDeps {
  /** The project's bz2 decoder; injected so this module does not depend on one implementation. */
  decode: Decoder;
  enabled?: boolean;
}

/**
 * Betfair historical exchange data (BASIC, ADVANCED, PRO): one bz2 NDJSON file per market. A
 * dataset is any folder of the bucket; the vendor layout is recognised wherever it appears in
 * it, for hints, and never required.
 */
export function createBetfairPlugin({ decode, enabled = true }: BetfairPluginDeps): SourcePlugin {
  return definePlugin({
    id: 'betfair',
    name: 'Betfair Historical Data',
    description:
      'Betfair Exchange historical stream files (BASIC, ADVANCED, PRO): bzip2-compressed ' +
      'NDJSON, one file per market, in any folder; the vendor layout ' +
      'TIER/YEAR/Mon/day/eventId/marketId.bz2 is recognised at any depth',
    extensions: ['.bz2'],
    compression: 'bz2',
    enabled,
    decoder: decode,
    layoutOf: recognizeBetfairLayout,
  });
}
