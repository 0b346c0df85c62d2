import { createReadStream, createWriteStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { productHeader, textFormatOf } from '../engine/stream/products.js';
import { bigQuerySchema } from '../engine/stream/table.js';
import { ndjsonToParquet } from '../platform/duckdb/database.js';
import type { ObjectStore } from '../platform/ports/object-store.js';
import type { FileStatus, JobRecord } from './job-model.js';
import { productHeaderName, productPartName, productShardName } from './output-names.js';
import {
  parseJobOptions,
  tableColumns,
  tablesOf,
  type ParseJobOptions,
  type TableName,
} from './parse-options.js';
import { planShards } from './plan.js';

/** Where one product part of a file landed: its shard, byte offset, bytes and rows. */
export interface PlacedPart {
  file: FileStatus;
  output: string;
  offset: number;
  bytes: number;
  lines: number;
}

/**
 * A parse job's shards: each product's parts composed, in source-path order, into its own
 * `outputShards` shards of roughly equal size, `{product}-0000i-of-0000N.{ndjson|csv}`. A CSV
 * shard starts with one header: a header object composed first, the parts having none. Beside
 * each product's shards goes its BigQuery JSON schema, `{product}.schema.json`, listed after them.
 * A Parquet shard is composed as NDJSON first and converted whole; in it a part's `offset`
 * counts rows, not bytes.
 */
export async function composeProductShards(
  store: ObjectStore,
  job: JobRecord,
  succeeded: FileStatus[],
): Promise<{ shards: string[]; placed: PlacedPart[] }> {
  const parse = job.parse ?? parseJobOptions({});
  const shards: string[] = [];
  const placed: PlacedPart[] = [];
  for (const product of tablesOf(parse)) {
    const parts = succeeded.map((f) => ({ file: f, part: f.result?.products?.[product] }));
    const groups = planShards(
      parts.map((p) => p.part?.bytes ?? 0),
      job.outputShards,
    );
    let header: { name: string; bytes: number } | undefined;
    if (parse.format === 'csv') {
      const text = productHeader(tableColumns(product, parse), 'csv');
      const name = productHeaderName(job.outputPrefix, job.jobId, product);
      await store.write(job.targetBucket, name, Readable.from([text]), { contentType: 'text/csv' });
      header = { name, bytes: Buffer.byteLength(text) };
    }
    const parquet = parse.format === 'parquet';
    for (const [n, group] of groups.entries()) {
      const name = productShardName(job.outputPrefix, product, n, job.outputShards, parse.format);
      const composed = parquet
        ? productPartName(job.outputPrefix, job.jobId, n, `${product}-shards`, 'ndjson')
        : name;
      const members = group.map((i) => parts[i]!).filter((p) => p.part !== undefined);
      const sources = [...(header ? [header.name] : []), ...members.map((p) => p.part!.output)];
      if (sources.length === 0) await store.write(job.targetBucket, composed, Readable.from([]));
      else await store.compose(job.targetBucket, sources, composed);
      if (parquet) {
        const columns = tableColumns(product, parse);
        await convertToParquet(store, job.targetBucket, composed, name, columns);
      }
      let offset = header?.bytes ?? 0;
      for (const { file, part } of members) {
        placed.push({ file, output: name, offset, bytes: part!.bytes, lines: part!.rows });
        offset += parquet ? part!.rows : part!.bytes;
      }
      shards.push(name);
    }
    shards.push(await writeSchema(store, job, product, parse));
  }
  return { shards, placed };
}

/**
 * The product's BigQuery JSON schema (`bq load --schema`), from the same column list as its
 * rows, in the folder of its shards.
 */
async function writeSchema(
  store: ObjectStore,
  job: JobRecord,
  product: TableName,
  parse: ParseJobOptions,
): Promise<string> {
  const shard = productShardName(job.outputPrefix, product, 0, 1, textFormatOf(parse.format));
  const name = `${shard.slice(0, shard.lastIndexOf('/') + 1)}${product}.schema.json`;
  const schema = bigQuerySchema(tableColumns(product, parse));
  await store.write(job.targetBucket, name, Readable.from([JSON.stringify(schema, null, 2)]), {
    contentType: 'application/json',
  });
  return name;
}

/** An NDJSON object rewritten as a Parquet object of exactly these columns, through DuckDB. */
async function convertToParquet(
  store: ObjectStore,
  bucket: string,
  source: string,
  destination: string,
  columns: Parameters<typeof ndjsonToParquet>[2],
): Promise<void> {
  const folder = await mkdtemp(path.join(tmpdir(), 'chimera-parquet-'));
  try {
    const ndjson = path.join(folder, 'rows.ndjson');
    const parquet = path.join(folder, 'rows.parquet');
    await pipeline(await store.read(bucket, source), createWriteStream(ndjson));
    await ndjsonToParquet([ndjson], parquet, columns);
    await store.write(bucket, destination, createReadStream(parquet), {
      contentType: 'application/vnd.apache.parquet',
    });
  } finally {
    await rm(folder, { recursive: true, force: true });
  }
}
