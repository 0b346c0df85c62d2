import type { LineTransform } from '../lines/line-options.js';

/** How a source's files are compressed. */
export const COMPRESSIONS = ['bz2', 'gzip', 'none'] as const;
export type Compression = (typeof COMPRESSIONS)[number];

/** Turns a file's stored bytes into its decompressed bytes, streaming. */
export type Decoder = (source: AsyncIterable<Buffer>) => AsyncIterable<Buffer>;

/** One item of `GET /api/plugins`, in the predecessor's shape. */
export interface PluginDescription {
  id: string;
  name: string;
  extensions: string[];
  compression: Compression;
  enabled: boolean;
  description: string;
}

/**
 * A kind of source data: which objects belong to it, how to decompress them, and how to fix up
 * their lines. Adding a source means adding a plugin, not changing the pipeline.
 */
export interface SourcePlugin {
  readonly id: string;
  readonly name: string;
  readonly description: string;
  /** Lower-case file name endings, with the dot (`.bz2`, `.ndjson.gz`). */
  readonly extensions: readonly string[];
  readonly compression: Compression;
  readonly enabled: boolean;
  readonly decoder: Decoder;
  /** Optional per-line hook applied after JSON validation; null drops the line. */
  readonly transformLine?: LineTransform;
  /**
   * Object-name globs (picomatch, relative to the source bucket) for the selected `paths` under
   * `dataset`: for each path and extension, files directly in it and files below it. Paths are
   * normalised, duplicates and paths inside another selected path are removed, and a path that
   * leaves the dataset fails with PLUGIN.INVALID_PATH. `''` selects the whole dataset.
   */
  buildPatterns(paths: readonly string[], dataset?: string): string[];
  /** Throws PLUGIN.INVALID_DATASET when `dataset` is not a dataset of this source. */
  validateDataset(dataset: string): void;
  /** This plugin as `GET /api/plugins` lists it. */
  describe(): PluginDescription;
}
