import { definePlugin } from './define-plugin.js';
import { gunzipStream } from './gzip-decoder.js';
import type { SourcePlugin } from './source-plugin.js';

/** gzip-compressed NDJSON, decoded with zlib. */
export function createNdjsonGzipPlugin(enabled = true): SourcePlugin {
  return definePlugin({
    id: 'ndjson-gzip',
    name: 'Gzipped NDJSON',
    description: 'gzip-compressed newline-delimited JSON (multi-member gzip supported)',
    extensions: ['.gz', '.ndjson.gz', '.json.gz'],
    compression: 'gzip',
    enabled,
    decoder: gunzipStream,
  });
}

/** Plain NDJSON: the bytes are already what the lines stage needs. */
export function createNdjsonPlugin(enabled = true): SourcePlugin {
  return definePlugin({
    id: 'ndjson',
    name: 'NDJSON',
    description: 'Uncompressed newline-delimited JSON',
    extensions: ['.ndjson', '.jsonl', '.json'],
    compression: 'none',
    enabled,
    decoder: (source) => source,
  });
}
