export {
  COMPRESSIONS,
  type Compression,
  type Decoder,
  type PluginDescription,
  type SourcePlugin,
} from './source-plugin.js';
export { definePlugin, type PluginSpec } from './define-plugin.js';
export { createBetfairPlugin, type BetfairPluginDeps } from './betfair-plugin.js';
export {
  BETFAIR_MONTHS,
  BETFAIR_TIERS,
  formatBetfairDataset,
  parseBetfairDataset,
  type BetfairDataset,
  type BetfairMonth,
  type BetfairTier,
} from './betfair-dataset.js';
export { createNdjsonGzipPlugin, createNdjsonPlugin } from './ndjson-plugins.js';
export { gunzipStream } from './gzip-decoder.js';
export { createPluginRegistry, type PluginRegistry } from './plugin-registry.js';
export { createSourcePlugins } from './source-plugins.js';
