import { pipeline, Readable } from 'node:stream';
import { createGzip } from 'node:zlib';
import type { DecompressMessage } from '../pipeline/decompress.js';
import type { FileResult } from '../pipeline/job-model.js';
import { mirroredName, partName, quarantineName } from '../pipeline/output-names.js';
import type { ObjectStore } from '../platform/ports/object-store.js';
import { normalizeLines, QuarantineCollector } from './lines/lines.js';
import type { PluginRegistry } from './plugins/plugins.js';

/** What decompressing a file needs. */
export interface ProcessFileDeps {
  objectStore: ObjectStore;
  plugins: PluginRegistry;
}

/**
 * Streams one source file through its plugin's decoder and the line rules into its output
 * object, never holding the file in memory. The output appears whole or not at all (the store
 * writes atomically), and rerunning it writes the same bytes to the same name.
 */
export async function processFile(
  deps: ProcessFileDeps,
  message: DecompressMessage,
): Promise<FileResult> {
  const started = performance.now();
  const plugin = deps.plugins.get(message.plugin);
  const { source, target } = message;
  const counter = { bytes: 0 };
  const input = await deps.objectStore.read(source.bucket, source.name, {
    generation: source.generation,
  });
  const quarantine = new QuarantineCollector();
  const lines = normalizeLines(plugin.decoder(countBytes(input, counter)), {
    invalidLines: message.invalidLines,
    quarantine,
    transformLine: plugin.transformLine,
  });
  const output =
    message.processType === 'decompress_only'
      ? mirroredName(target.prefix, source.name, message.compression)
      : partName(target.prefix, message.jobId, message.index, message.compression);
  const body = Readable.from(lines.output);
  const written = await deps.objectStore.write(
    target.bucket,
    output,
    message.compression === 'gzip' ? gzipped(body) : body,
    { contentType: message.compression === 'gzip' ? 'application/gzip' : 'application/x-ndjson' },
  );
  const quarantined =
    quarantine.count > 0 ? quarantineName(target.prefix, message.jobId, source.name) : undefined;
  if (quarantined) {
    await deps.objectStore.write(
      target.bucket,
      quarantined,
      Readable.from([quarantine.toNdjson()]),
      {
        contentType: 'application/x-ndjson',
      },
    );
  }
  return {
    output,
    quarantine: quarantined,
    bytesIn: counter.bytes,
    bytesOut: written.size,
    lines: lines.stats.linesOut,
    quarantinedLines: lines.stats.quarantined,
    durationMs: Math.round(performance.now() - started),
  };
}

async function* countBytes(
  source: AsyncIterable<Buffer>,
  counter: { bytes: number },
): AsyncGenerator<Buffer> {
  for await (const chunk of source) {
    counter.bytes += chunk.length;
    yield chunk;
  }
}

/** Gzip whose output fails when its input fails, so a broken source never looks complete. */
function gzipped(body: Readable): Readable {
  const gzip = createGzip();
  pipeline(body, gzip, (error) => {
    if (error) gzip.destroy(error);
  });
  return gzip;
}
