import { createBetfairPlugin } from './betfair.js';
import { createNdjsonGzipPlugin, createNdjsonPlugin } from './ndjson.js';
import { createPluginRegistry, type Decoder, type PluginRegistry } from './plugins.js';

/** The project's source plugins; the composition root supplies the bz2 decoder. */
export function createSourcePlugins(deps: { decodeBz2: Decoder }): PluginRegistry {
  return createPluginRegistry([
    createBetfairPlugin({ decode: deps.decodeBz2 }),
    createNdjsonGzipPlugin(),
    createNdjsonPlugin(),
  ]);
}
