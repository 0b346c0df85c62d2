import type { PluginRegistry } from '../plugins/plugins.js';
import { chunkLines } from './chunk-lines.js';

/**
 * The lines of a market file from its stored bytes: decoded by the source plugin its name's
 * ending selects (`.bz2` Betfair's files, `.gz` gzip, `.ndjson` as is), and read as NDJSON as
 * it is under any other name (a decompressed file keeps no ending). Streaming: stopping early
 * stops reading and decoding.
 */
export function marketFileLines(
  bytes: AsyncIterable<Uint8Array>,
  name: string,
  plugins: PluginRegistry,
): AsyncGenerator<Buffer> {
  const plugin = plugins.forObject(name);
  return chunkLines(plugin === undefined ? bytes : plugin.decoder(bytes as AsyncIterable<Buffer>));
}
