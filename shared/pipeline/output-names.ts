import type { OutputCompression } from './job-model.js';

/** `output/` and `output` both mean the folder `output/`; `''` is the bucket root. */
export function folder(prefix: string): string {
  const trimmed = prefix.replace(/^\/+|\/+$/g, '');
  return trimmed ? `${trimmed}/` : '';
}

function extension(compression: OutputCompression): string {
  return compression === 'gzip' ? '.ndjson.gz' : '.ndjson';
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
  return `${folder(prefix)}_parts/${jobId}/${String(index).padStart(8, '0')}${extension(compression)}`;
}

/** decompress_only output: the source path mirrored under the prefix, `.bz2` dropped. */
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

/** The n-th of `count` shards, in the predecessor's naming. */
export function shardName(
  prefix: string,
  n: number,
  count: number,
  compression: OutputCompression,
): string {
  const pad = (value: number) => String(value).padStart(5, '0');
  return `${folder(prefix)}output-${pad(n)}-of-${pad(count)}${extension(compression)}`;
}

/** `a/x.bz2` → `a/x` for the plugin extension that ends the name (longest first). */
export function stripExtension(name: string, extensions: readonly string[]): string {
  const lower = name.toLowerCase();
  const ext = [...extensions].sort((a, b) => b.length - a.length).find((e) => lower.endsWith(e));
  return ext ? name.slice(0, name.length - ext.length) : name;
}

/** One output per input: `a/x.bz2` → `a/x.ndjson` (or `.ndjson.gz`). */
export function mirroredOutput(base: string, gzip: boolean): string {
  return `${base}.ndjson${gzip ? '.gz' : ''}`;
}

/** Where an output's invalid lines go, beside it: `a/x.quarantine.ndjson`. */
export function quarantineOutput(base: string): string {
  return `${base}.quarantine.ndjson`;
}

/** What `--concat` writes into the destination: `output.ndjson` and `output.quarantine.ndjson`. */
export const CONCAT_BASE = 'output';
