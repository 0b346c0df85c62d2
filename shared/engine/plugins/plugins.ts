import { AppError } from '../../platform/errors.js';
import type { LineTransform } from '../lines/lines.js';

/** PLUGIN.INVALID_PATH: a selected path or dataset that is malformed or leaves its dataset. */
export function invalidPath(path: string, reason: string): AppError {
  return new AppError(
    'PLUGIN.INVALID_PATH',
    'invalid',
    `Invalid path ${JSON.stringify(path)}: ${reason}`,
  );
}

/** PLUGIN.INVALID_DATASET: a dataset that does not follow the source's layout. */
export function invalidDataset(dataset: string, expected: string): AppError {
  const message = `Invalid dataset ${JSON.stringify(dataset)}: expected ${expected}`;
  return new AppError('PLUGIN.INVALID_DATASET', 'invalid', message);
}

/** PLUGIN.NOT_FOUND: no plugin with this id. */
export function pluginNotFound(id: string, available: readonly string[]): AppError {
  const message = `Unknown source type ${JSON.stringify(id)}; available: ${available.join(', ')}`;
  return new AppError('PLUGIN.NOT_FOUND', 'invalid', message);
}

/** GZIP.CORRUPT: bytes that are not gzip, or damaged gzip. */
export function gzipCorrupt(detail: string, cause?: unknown): AppError {
  const message = `The gzip data is corrupt or not gzip at all (${detail})`;
  return new AppError('GZIP.CORRUPT', 'invalid', message, { cause });
}

/** GZIP.TRUNCATED: gzip data that stops before its end, e.g. an interrupted upload. */
export function gzipTruncated(cause?: unknown): AppError {
  const message = 'The gzip data ends early: the file is truncated';
  return new AppError('GZIP.TRUNCATED', 'invalid', message, { cause });
}

// Characters a glob would read as syntax; a selected folder must be matched literally.
const GLOB_SYNTAX = /[*?[\]{}()!|]/;
// Control characters (NUL, CR, LF, ...) never belong in a selectable object name.
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f]/;

/**
 * A folder path inside a bucket in canonical form: `/`-separated (backslashes count as
 * separators), no empty or `.` segments, no leading or trailing slash; `''` for the top.
 * Throws PLUGIN.INVALID_PATH for absolute paths, `..` segments and glob syntax.
 */
export function normalizeRelativePath(path: string): string {
  const slashed = path.replace(/\\/g, '/');
  if (slashed.startsWith('/') || /^[A-Za-z]:/.test(slashed)) {
    throw invalidPath(path, 'absolute paths are not allowed');
  }
  if (CONTROL.test(slashed)) throw invalidPath(path, 'contains a control character');
  if (GLOB_SYNTAX.test(slashed)) throw invalidPath(path, 'contains a glob character');
  const segments = slashed.split('/').filter((segment) => segment !== '' && segment !== '.');
  if (segments.includes('..')) throw invalidPath(path, '".." would leave the dataset');
  return segments.join('/');
}

/** True when `inner` is `outer` or a folder below it (both canonical). */
export function isWithin(inner: string, outer: string): boolean {
  return outer === '' || inner === outer || inner.startsWith(`${outer}/`);
}

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

/** What makes one plugin different from another; the shared behaviour is added by definePlugin. */
export interface PluginSpec {
  id: string;
  name: string;
  description: string;
  extensions: readonly string[];
  compression: Compression;
  enabled?: boolean;
  decoder: Decoder;
  transformLine?: LineTransform;
  /** Throws PLUGIN.INVALID_DATASET for a dataset outside the source's layout; default: any. */
  validateDataset?: (dataset: string) => void;
}

/** A frozen SourcePlugin from its spec, with pattern building and description filled in. */
export function definePlugin(spec: PluginSpec): SourcePlugin {
  const extensions = Object.freeze(spec.extensions.map((ext) => ext.toLowerCase()));
  const validateDataset = spec.validateDataset ?? (() => undefined);
  const description: PluginDescription = {
    id: spec.id,
    name: spec.name,
    extensions: [...extensions],
    compression: spec.compression,
    enabled: spec.enabled ?? true,
    description: spec.description,
  };
  return Object.freeze({
    ...description,
    extensions,
    decoder: spec.decoder,
    ...(spec.transformLine ? { transformLine: spec.transformLine } : {}),
    validateDataset,
    buildPatterns(paths: readonly string[], dataset?: string): string[] {
      if (dataset !== undefined && dataset !== '') validateDataset(dataset);
      return buildPatterns(paths, dataset ?? '', extensions);
    },
    describe: (): PluginDescription => ({ ...description, extensions: [...extensions] }),
  });
}

/**
 * The predecessor's two globs per selected path — `<dataset>/<path>/*<ext>` for files directly
 * in the folder and `<dataset>/<path>/**\/*<ext>` for files below it — for every extension that
 * a shorter one does not already cover. Selections are normalised and deduplicated; a path
 * inside another selected path is dropped because the outer `**` glob already matches it.
 */
export function buildPatterns(
  paths: readonly string[],
  dataset: string,
  extensions: readonly string[],
): string[] {
  const base = normalizeRelativePath(dataset);
  const folders = outermost(paths.map(normalizeRelativePath)).map((path) =>
    [base, path].filter((part) => part !== '').join('/'),
  );
  const endings = coveringExtensions(extensions);
  return folders.flatMap((folder) => {
    const prefix = folder === '' ? '' : `${folder}/`;
    return endings.flatMap((ext) => [`${prefix}*${ext}`, `${prefix}**/*${ext}`]);
  });
}

/** The paths not inside another one, each once, in the order first given. */
function outermost(paths: readonly string[]): string[] {
  const unique = [...new Set(paths)];
  return unique.filter((path) => !unique.some((other) => other !== path && isWithin(path, other)));
}

/** Extensions not already matched by a shorter one (`.gz` covers `.ndjson.gz`). */
function coveringExtensions(extensions: readonly string[]): string[] {
  const unique = [...new Set(extensions)];
  return unique.filter((ext) => !unique.some((other) => other !== ext && ext.endsWith(other)));
}

/** The source plugins of one process, fixed when it starts. */
export interface PluginRegistry {
  /** The plugin with this id (enabled or not); throws PLUGIN.NOT_FOUND. */
  get(id: string): SourcePlugin;
  /** Every plugin, in the order given. */
  list(): readonly SourcePlugin[];
  /** `GET /api/plugins` items. */
  describe(): PluginDescription[];
  /** The enabled plugin whose longest extension ends the object name, if any. */
  forObject(name: string): SourcePlugin | undefined;
}

/** A registry over `plugins`; ids must be unique. */
export function createPluginRegistry(plugins: readonly SourcePlugin[]): PluginRegistry {
  const byId = new Map(plugins.map((plugin) => [plugin.id, plugin] as const));
  if (byId.size !== plugins.length) {
    throw new AppError('PLUGIN.DUPLICATE_ID', 'internal', 'Two source plugins share an id');
  }
  const all = Object.freeze([...plugins]);
  const byExtension = all
    .filter((plugin) => plugin.enabled)
    .flatMap((plugin) => plugin.extensions.map((ext) => ({ ext, plugin })))
    .sort((a, b) => b.ext.length - a.ext.length);
  return Object.freeze({
    get(id: string): SourcePlugin {
      const plugin = byId.get(id);
      if (plugin === undefined) throw pluginNotFound(id, [...byId.keys()]);
      return plugin;
    },
    list: () => all,
    describe: () => all.map((plugin) => plugin.describe()),
    forObject(name: string): SourcePlugin | undefined {
      const lower = name.toLowerCase();
      return byExtension.find(({ ext }) => lower.endsWith(ext))?.plugin;
    },
  });
}
