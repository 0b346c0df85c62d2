import { createBetfairPlugin } from './betfair-plugin.js';
import { createNdjsonGzipPlugin, createNdjsonPlugin } from './ndjson-plugins.js';
import { createPluginRegistry, type PluginRegistry } from './plugin-registry.js';
import type { Decoder } from './source-plugin.js';

/** The project's source plugins; the composition root supplies the bz2 decoder. */
export function createSourcePlugins(deps: { decodeBz2: Decoder }): PluginRegistry {
  return createPluginRegistry([
    createBetfairPlugin({ decode: deps.decodeBz2 }),
    createNdjsonGzipPlugin(),
    createNdjsonPlugin(),
  ]);
}
