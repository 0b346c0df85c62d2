import { Readable } from 'node:stream';
import { QuarantineCollector, type InvalidLinePolicy } from '../engine/lines/lines.js';
import { parseMarketFile, tierOf } from '../engine/stream/parse-file.js';
import { chunkLines } from '../engine/stream/chunk-lines.js';
import { textFormatOf } from '../engine/stream/products.js';
import { streamTableText } from '../engine/stream/stream-table.js';
import type { SourcePlugin } from '../engine/plugins/plugins.js';
import type { ObjectStore } from '../platform/ports/object-store.js';
import type { FileResult, ProductPart, SourceObject } from './job-model.js';
import { productPartName, quarantineName } from './output-names.js';
import { productOptionsOf, type ParseJobOptions, type TableName } from './parse-options.js';

/** One file of a parse job: where it is, where its parts go, and what to make. */
export interface ParsePartsTask {
  jobId: string;
  index: number;
  source: SourceObject;
  target: { bucket: string; prefix: string };
  plugin: SourcePlugin;
  parse: ParseJobOptions;
  /** Lines the engine refuses: written to the file's quarantine object, or only counted. */
  invalidLines: InvalidLinePolicy;
}

const CONTENT_TYPES = { ndjson: 'application/x-ndjson', csv: 'text/csv' } as const;

/**
 * Replays one source file (exactly the planned generation) and writes each product's rows,
 * without a header, as its own part named by plan position and product. Every part is written
 * whole or not at all and a rerun writes the same bytes to the same names, so a redelivered
 * message never duplicates rows. Lines that are not market data are left out and, with the
 * `quarantine` policy, written as `{"source","line","reason","text"}` NDJSON to the file's
 * quarantine object, as a decompress job does. Rejects, writing nothing, when the file cannot
 * be read whole.
 */
export async function parseToParts(store: ObjectStore, task: ParsePartsTask): Promise<FileResult> {
  const { source, target, parse } = task;
  const format = textFormatOf(parse.format);
  let bytesIn = 0;
  const quarantine = task.invalidLines === 'quarantine' ? new QuarantineCollector() : undefined;
  const input = await store.read(source.bucket, source.name, { generation: source.generation });
  async function* counted(): AsyncGenerator<Buffer> {
    for await (const chunk of input as AsyncIterable<Buffer>) {
      bytesIn += chunk.length;
      yield chunk;
    }
  }
  // The stream table needs the file's lines as they are: keep the decoded chunks the replay reads.
  const decodedChunks: Uint8Array[] = [];
  async function* kept(): AsyncGenerator<Uint8Array> {
    for await (const chunk of task.plugin.decoder(counted())) {
      if (parse.stream === true) decodedChunks.push(chunk);
      yield chunk;
    }
  }
  const parsed = await parseMarketFile(kept(), {
    products: parse.products,
    format,
    options: productOptionsOf(parse),
    source: {
      tier: tierOf(source.name),
      sourceObject: `gs://${source.bucket}/${source.name}`,
      sourceGeneration: source.generation,
    },
    onMalformed: ({ line, text, reason }) =>
      quarantine?.add(line, typeof text === 'string' ? Buffer.from(text) : text, reason),
  });
  const products: Partial<Record<TableName, ProductPart>> = {};
  let bytesOut = 0;
  let lines = 0;
  const tables: [TableName, { text: string; rows: number }][] = [...parsed.products];
  if (parse.stream === true) {
    const lines = chunkLines(Readable.from(decodedChunks));
    tables.push(['stream', await streamTableText(lines, format)]);
  }
  for (const [product, { text, rows }] of tables) {
    const output = productPartName(target.prefix, task.jobId, task.index, product, format);
    const bytes = Buffer.from(text);
    await store.write(target.bucket, output, Readable.from([bytes]), {
      contentType: CONTENT_TYPES[format],
    });
    products[product] = { output, bytes: bytes.length, rows };
    bytesOut += bytes.length;
    lines += rows;
  }
  const first = parse.products[0]!;
  return {
    output: products[first]!.output,
    ...(await writeQuarantine(store, task, quarantine)),
    bytesIn,
    bytesOut,
    lines,
    durationMs: 0,
    products,
    malformedLines: parsed.malformedLines,
  };
}

/** The file's quarantined lines, written when there are any, and how many there were. */
async function writeQuarantine(
  store: ObjectStore,
  { jobId, source, target }: ParsePartsTask,
  quarantine: QuarantineCollector | undefined,
): Promise<{ quarantine?: string; quarantinedLines: number }> {
  if (quarantine === undefined || quarantine.count === 0) return { quarantinedLines: 0 };
  const name = quarantineName(target.prefix, jobId, source.name);
  const text = quarantine.entries
    .map((entry) => `${JSON.stringify({ source: source.name, ...entry })}\n`)
    .join('');
  await store.write(target.bucket, name, Readable.from([Buffer.from(text, 'utf8')]), {
    contentType: CONTENT_TYPES.ndjson,
  });
  return { quarantine: name, quarantinedLines: quarantine.count };
}
