import { Readable } from 'node:stream';
import type { ObjectStore, WriteOptions } from '../platform/ports/object-store.js';
import { gzipBytes } from './gzip.js';
import { type InvalidLinePolicy, normalizeLines, QuarantineCollector } from './lines/lines.js';
import type { SourcePlugin } from './plugins/plugins.js';

/**
 * Where decoded objects go. A write is atomic: nothing is visible under `name` until the whole
 * body was written, and a failed body leaves nothing behind. Returns the bytes written.
 */
export interface ObjectWriter {
  write(name: string, body: Readable, options: WriteOptions): Promise<number>;
}

/** The object store port as an ObjectWriter into one bucket. */
export function bucketWriter(store: ObjectStore, bucket: string): ObjectWriter {
  return {
    write: async (name, body, options) => (await store.write(bucket, name, body, options)).size,
  };
}

/** One source object, how to decode it, and the names its lines and invalid lines get. */
export interface DecodeObjectTask {
  /** The source's name, recorded with each quarantined line. */
  sourceName: string;
  /** The source's bytes. */
  input: AsyncIterable<Buffer>;
  plugin: SourcePlugin;
  invalidLines: InvalidLinePolicy;
  gzip: boolean;
  target: ObjectWriter;
  /** Name of the decoded lines in `target`. */
  output: string;
  /** Name of the invalid lines in `target`, written only when there are any. */
  quarantine: string;
  /** Called with each source chunk's size as it is read, for progress. */
  onBytes?: (bytes: number) => void;
}

/** What decoding one object produced. */
export interface DecodedObject {
  /** The object holding the output. */
  output: string;
  /** The object holding the quarantined lines, when any. */
  quarantine?: string;
  bytesIn: number;
  bytesOut: number;
  lines: number;
  quarantinedLines: number;
}

/**
 * Streams one source object through its plugin's decoder and the line rules into its output,
 * gzipped on request, never holding the object in memory; then writes its invalid lines, as
 * `{"source","line","reason","text"}` NDJSON, to the quarantine name when there are any. The
 * output appears whole or not at all, and rerunning writes the same bytes to the same name. A
 * corrupt or truncated source rejects, and then no output is written.
 */
export async function decodeObject(task: DecodeObjectTask): Promise<DecodedObject> {
  const { plugin } = task;
  const counter = { bytes: 0 };
  const quarantine = new QuarantineCollector();
  const lines = normalizeLines(plugin.decoder(counted(task.input, counter, task.onBytes)), {
    invalidLines: task.invalidLines,
    quarantine,
    transformLine: plugin.transformLine,
  });
  const bytesOut = await task.target.write(
    task.output,
    task.gzip ? gzipBytes(lines.output) : Readable.from(lines.output),
    { contentType: task.gzip ? 'application/gzip' : 'application/x-ndjson' },
  );
  const quarantined = quarantine.count > 0 ? task.quarantine : undefined;
  if (quarantined) {
    const text = quarantine.entries
      .map((entry) => `${JSON.stringify({ source: task.sourceName, ...entry })}\n`)
      .join('');
    await task.target.write(quarantined, Readable.from([Buffer.from(text, 'utf8')]), {
      contentType: 'application/x-ndjson',
    });
  }
  return {
    output: task.output,
    quarantine: quarantined,
    bytesIn: counter.bytes,
    bytesOut,
    lines: lines.stats.linesOut,
    quarantinedLines: lines.stats.quarantined,
  };
}

async function* counted(
  source: AsyncIterable<Buffer>,
  counter: { bytes: number },
  onBytes: ((bytes: number) => void) | undefined,
): AsyncGenerator<Buffer> {
  for await (const chunk of source) {
    counter.bytes += chunk.length;
    onBytes?.(chunk.length);
    yield chunk;
  }
}
