import { createReadStream } from 'node:fs';
import { mkdtemp, open, rm, type FileHandle } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseMarketFile, tierOf } from '../../engine/stream/parse-file.js';
import {
  productHeader,
  startProduct,
  textFormatOf,
  type OutputFormat,
  type ProductName,
  type ProductOptions,
} from '../../engine/stream/products.js';
import { ndjsonToParquet } from '../../platform/duckdb/database.js';
import { toAppError } from '../../platform/errors.js';
import type { Location } from '../locations.js';

/** One market file to parse: its name, where it came from, and its bytes (read once). */
export interface ParseInput {
  /** The name relative to the source (the historic layout's for a .tar member). */
  name: string;
  size: number;
  /** What the `markets` row records as its source object. */
  sourceObject: string;
  sourceGeneration: string | null;
  /** The compressed bytes; for a .tar member, valid only until the next input is asked for. */
  bytes(): Promise<AsyncIterable<Uint8Array>>;
}

/** What `chimera parse` was asked to do. */
export interface ParseRun {
  /** The inputs in the order their rows are written (path order, or archive order). */
  inputs: AsyncIterable<ParseInput>;
  target: Location;
  products: readonly ProductName[];
  format: OutputFormat;
  options: Omit<ProductOptions, 'source'>;
  /** Decompressed bytes of one input. */
  decode(bytes: AsyncIterable<Uint8Array>): AsyncIterable<Uint8Array>;
  /** Called after each input, with the counts so far and the bytes of that input. */
  onProgress?(report: ParseReport, bytes: number): void;
}

export interface ParseFailure {
  name: string;
  code: string;
  message: string;
}

export interface ParseReport {
  files: number;
  markets: number;
  updates: number;
  /** Lines that are not market data the engine can use (not JSON, no op, …). */
  malformedLines: number;
  rows: Record<string, number>;
  failures: ParseFailure[];
  /** Names written in the target. */
  outputs: string[];
}

/** The name a product is written under in the target. */
export function productOutputName(product: ProductName, format: OutputFormat): string {
  return `${product}.${format}`;
}

/**
 * Decodes and replays each input in turn and appends its rows to one temp file per product;
 * once every input is done the files are written into the target whole, `<product>.<format>`,
 * a CSV with one header, a Parquet file converted from the NDJSON rows by DuckDB. An input that fails (bad bzip2, unreadable) is listed and its rows
 * left out; the rest go on.
 */
export async function runParse(run: ParseRun): Promise<ParseReport> {
  const report: ParseReport = {
    files: 0,
    markets: 0,
    updates: 0,
    malformedLines: 0,
    rows: Object.fromEntries(run.products.map((p) => [p, 0])),
    failures: [],
    outputs: [],
  };
  const folder = await mkdtemp(path.join(tmpdir(), 'chimera-parse-'));
  const files = new Map<ProductName, { file: string; handle: FileHandle }>();
  try {
    for (const product of run.products) {
      const file = path.join(folder, productOutputName(product, textFormatOf(run.format)));
      const handle = await open(file, 'w');
      files.set(product, { file, handle });
      const columns = startProduct(product, run.options).columns;
      await handle.write(productHeader(columns, run.format));
    }
    for await (const input of run.inputs) {
      report.files++;
      const texts = await parseOne(run, input, report);
      for (const [product, text] of texts) {
        report.rows[product] = (report.rows[product] ?? 0) + text.rows;
        await files.get(product)?.handle.write(text.text);
      }
      run.onProgress?.(report, input.size);
    }
    for (const [product, { file, handle }] of files) {
      await handle.close();
      const name = productOutputName(product, run.format);
      const written = run.format === 'parquet' ? path.join(folder, name) : file;
      if (run.format === 'parquet') {
        await ndjsonToParquet([file], written, startProduct(product, run.options).columns);
      }
      await run.target.write(name, createReadStream(written));
      report.outputs.push(name);
    }
  } finally {
    for (const { handle } of files.values()) await handle.close().catch(() => undefined);
    await rm(folder, { recursive: true, force: true });
  }
  return report;
}

/** One input's rows per product, or none (and a failure) when it cannot be read whole. */
async function parseOne(
  run: ParseRun,
  input: ParseInput,
  report: ParseReport,
): Promise<Map<ProductName, { text: string; rows: number }>> {
  const source = {
    tier: tierOf(input.name),
    sourceObject: input.sourceObject,
    sourceGeneration: input.sourceGeneration,
  };
  try {
    const parsed = await parseMarketFile(run.decode(await input.bytes()), {
      products: run.products,
      format: textFormatOf(run.format),
      options: run.options,
      source,
    });
    report.markets += parsed.markets;
    report.updates += parsed.updates;
    report.malformedLines += parsed.malformedLines;
    return parsed.products;
  } catch (error) {
    const failure = toAppError(error);
    report.failures.push({ name: input.name, code: failure.code, message: failure.message });
    return new Map();
  }
}
