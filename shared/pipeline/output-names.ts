import type { OutputCompression } from './job-model.js';

/** `output/` and `output` both mean the folder `output/`; `''` is the bucket root. */
export function folder(prefix: string): string {
  const trimmed = prefix.replace(/^\/+|\/+$/g, '');
  return trimmed ? `${trimmed}/` : '';
}

/** `base.ndjson`, or `base.ndjson.gz` gzipped: how parts, shards and joined files are named. */
export function ndjsonName(base: string, compression: OutputCompression): string {
  return `${base}${compression === 'gzip' ? '.ndjson.gz' : '.ndjson'}`;
}

/**
 * A file's part before shards are composed: named by plan position so that name order is
 * source-path order, and kept apart from the final output.
 */
export function partName(
  prefix: string,
  jobId: string,
  index: number,
  compression: OutputCompression,
): string {
  return ndjsonName(
    `${folder(prefix)}_parts/${jobId}/${String(index).padStart(8, '0')}`,
    compression,
  );
}

/**
 * One output per source (decompress_only, and `chimera decompress` without `--concat`): the
 * source path mirrored under the prefix with its compression suffix dropped, as bunzip2 or
 * gunzip would name it, and `.gz` added when gzipped: `a/x.bz2` → `a/x` or `a/x.gz`.
 */
export function mirroredName(
  prefix: string,
  sourceName: string,
  compression: OutputCompression,
): string {
  const base = sourceName.replace(/\.(bz2|gz)$/i, '');
  return `${folder(prefix)}${base}${compression === 'gzip' ? '.gz' : ''}`;
}

/** Where a file's invalid lines are kept, beside the output, named after the source. */
export function quarantineName(prefix: string, jobId: string, sourceName: string): string {
  return `${folder(prefix)}_quarantine/${jobId}/${sourceName}.ndjson`;
}

/**
 * Where a job's shards and reports go, as the predecessor laid them out and its downstream
 * readers list them: `<outputPrefix>/output/`.
 */
export function outputFolder(prefix: string): string {
  return `${folder(prefix)}output/`;
}

/** `_FAILURES.csv`, beside the shards. */
export function failuresName(prefix: string): string {
  return `${outputFolder(prefix)}_FAILURES.csv`;
}

/** `_MANIFEST.json`, beside the shards. */
export function manifestName(prefix: string): string {
  return `${outputFolder(prefix)}_MANIFEST.json`;
}

/** `00003-of-00010`: the n-th of `count` shards, in the predecessor's numbering. */
function shardOf(n: number, count: number): string {
  const pad = (value: number) => String(value).padStart(5, '0');
  return `${pad(n)}-of-${pad(count)}`;
}

/** The n-th of `count` shards: `<outputPrefix>/output/output-00000-of-00010.ndjson`. */
export function shardName(
  prefix: string,
  n: number,
  count: number,
  compression: OutputCompression,
): string {
  return ndjsonName(`${outputFolder(prefix)}output-${shardOf(n, count)}`, compression);
}

/**
 * Where the invalid lines of a mirrored output or of the `chimera decompress --concat` file go,
 * beside it: `a/x`, `a/x.gz` → `a/x.quarantine.ndjson`; `output.ndjson.gz` →
 * `output.quarantine.ndjson`.
 */
export function quarantineBeside(output: string): string {
  return `${output.replace(/\.gz$/i, '').replace(/\.ndjson$/i, '')}.quarantine.ndjson`;
}

/** What `chimera decompress --concat` writes into the destination: `output.ndjson[.gz]`. */
export function concatName(compression: OutputCompression): string {
  return ndjsonName('output', compression);
}

/**
 * One product's part of a file in a parse job, named by plan position like partName so name
 * order is source-path order: `_parts/{jobId}/{product}/00000007.csv`.
 */
export function productPartName(
  prefix: string,
  jobId: string,
  index: number,
  product: string,
  format: string,
): string {
  return `${folder(prefix)}_parts/${jobId}/${product}/${String(index).padStart(8, '0')}.${format}`;
}

/** The CSV header a parse job composes first into each of a product's shards. */
export function productHeaderName(prefix: string, jobId: string, product: string): string {
  return `${folder(prefix)}_parts/${jobId}/${product}/header.csv`;
}

/** The n-th of `count` shards of one product: `<outputPrefix>/output/runners-00000-of-00010.csv`. */
export function productShardName(
  prefix: string,
  product: string,
  n: number,
  count: number,
  format: string,
): string {
  return `${outputFolder(prefix)}${product}-${shardOf(n, count)}.${format}`;
}

/** `_LOAD_ERRORS.json`, beside the shards: a direct_to_bigquery job's load outcome per table. */
export function loadErrorsName(prefix: string): string {
  return `${outputFolder(prefix)}_LOAD_ERRORS.json`;
}
