import { AppError, echo } from '../../platform/errors.js';
import { MAX_OBJECT_NAME_BYTES } from '../../platform/ports/object-store.js';
import type { LineTransform } from '../lines/lines.js';

/** One thing wrong with a selection: its dataset or one of its paths, and why. */
interface SelectionProblem {
  field: 'dataset' | 'path';
  value: string;
  reason: string;
}

// The most problems one message lists; the rest are counted.
const LISTED_PROBLEMS = 10;

/**
 * Every problem of a selection in one error: PLUGIN.INVALID_DATASET when the dataset itself is
 * wrong, otherwise PLUGIN.INVALID_PATH.
 */
function invalidSelection(problems: readonly SelectionProblem[]): AppError {
  const listed = problems
    .slice(0, LISTED_PROBLEMS)
    .map(({ field, value, reason }) => `${field} ${JSON.stringify(echo(value))}: ${reason}`);
  const more = problems.length - listed.length;
  if (more > 0) listed.push(`and ${more} more`);
  const code = problems.some(({ field }) => field === 'dataset')
    ? 'PLUGIN.INVALID_DATASET'
    : 'PLUGIN.INVALID_PATH';
  return new AppError(code, 'invalid', `Invalid selection: ${listed.join('; ')}`);
}

/** PLUGIN.NOT_FOUND: no plugin with this id. */
export function pluginNotFound(id: string, available: readonly string[]): AppError {
  const message = `Unknown source type ${JSON.stringify(id)}; available: ${available.join(', ')}`;
  return new AppError('PLUGIN.NOT_FOUND', 'invalid', message);
}

/** PLUGIN.DISABLED: a known source type that this deployment does not process. */
export function pluginDisabled(id: string): AppError {
  const message = `Source type ${JSON.stringify(id)} is disabled`;
  return new AppError('PLUGIN.DISABLED', 'invalid', message);
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
 * The folders a selection names in its bucket, canonical (`/`-separated, backslashes read as
 * separators, no empty or `.` segment, no leading or trailing slash; `''` for the top): each
 * path below the dataset, each once, and none inside another (the outer one already holds its
 * files), in the order given. The dataset is any folder of the bucket, `''` or undefined for
 * its top. Every problem of the dataset and of the paths (absolute, `..`, glob syntax, control
 * characters, invalid Unicode, names too long to store) is found before one error lists them.
 */
export function selectedFolders(paths: readonly string[], dataset = ''): string[] {
  const problems: SelectionProblem[] = [];
  const base = checkedFolder(dataset, '', 'dataset', problems);
  const folders = paths.map((path) => checkedFolder(path, base, 'path', problems));
  if (problems.length > 0) throw invalidSelection(problems);
  return outermost(folders);
}

/** `value` as a canonical folder below `base`, or '' with its problem recorded. */
function checkedFolder(
  value: string,
  base: string,
  field: SelectionProblem['field'],
  problems: SelectionProblem[],
): string {
  const slashed = value.replace(/\\/g, '/');
  const segments = slashed.split('/').filter((segment) => segment !== '' && segment !== '.');
  const folder = [base, ...segments].filter((part) => part !== '').join('/');
  const reason = folderProblem(
    slashed,
    segments,
    folder,
    field === 'dataset' ? 'bucket' : 'dataset',
  );
  if (reason === undefined) return folder;
  problems.push({ field, value, reason });
  return '';
}

function folderProblem(
  slashed: string,
  segments: readonly string[],
  folder: string,
  parent: string,
): string | undefined {
  const absolute = slashed.startsWith('/') || /^[A-Za-z]:/.test(slashed);
  if (absolute) return 'absolute paths are not allowed';
  if (CONTROL.test(slashed)) return 'contains a control character';
  const glob = GLOB_SYNTAX.exec(slashed)?.[0];
  if (glob !== undefined) return `contains the glob character "${glob}"`;
  if (segments.includes('..')) return `".." would leave the ${parent}`;
  if (!slashed.isWellFormed()) return 'is not valid Unicode';
  // The shortest object below the folder is `<folder>/x`.
  if (Buffer.byteLength(folder, 'utf8') + 2 > MAX_OBJECT_NAME_BYTES) {
    return `is too long: names below it would pass the ${MAX_OBJECT_NAME_BYTES} bytes an object name may have`;
  }
  return undefined;
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

/**
 * What a source's own folder layout says about a path (Betfair: tier, year, month, day, event,
 * market), for people choosing a selection and for filters that read object names.
 */
export type LayoutHints = Readonly<Partial<Record<string, string | number>>>;

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
   * Object-name globs (Cloud Storage matchGlob syntax, see object-glob.ts; relative to the bucket) for the selected `paths` under
   * `dataset`, any folder of the bucket (its top when left out): for each folder of
   * selectedFolders and each extension, files directly in it and files below it. `''` selects
   * the whole dataset. A selection that is not a set of safe folders inside the dataset fails
   * with PLUGIN.INVALID_DATASET or PLUGIN.INVALID_PATH, listing every problem.
   */
  buildPatterns(paths: readonly string[], dataset?: string): string[];
  /** What the source's layout says about a folder or object path; undefined when nothing. */
  layoutOf(path: string): LayoutHints | undefined;
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
  /** Recognises the source's own layout in a path; default: none. */
  layoutOf?: (path: string) => LayoutHints | undefined;
}

/** A frozen SourcePlugin from its spec, with pattern building and description filled in. */
export function definePlugin(spec: PluginSpec): SourcePlugin {
  const extensions = Object.freeze(spec.extensions.map((ext) => ext.toLowerCase()));
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
    buildPatterns: (paths: readonly string[], dataset?: string): string[] =>
      folderPatterns(selectedFolders(paths, dataset), extensions),
    layoutOf: spec.layoutOf ?? (() => undefined),
    describe: (): PluginDescription => ({ ...description, extensions: [...extensions] }),
  });
}

/**
 * The predecessor's two globs per selected folder (canonical, from selectedFolders) —
 * `<folder>/*<ext>` for files directly in it and `<folder>/**\/*<ext>` for files below it —
 * for every extension that a shorter one does not already cover.
 */
function folderPatterns(folders: readonly string[], extensions: readonly string[]): string[] {
  const endings = coveringExtensions(extensions);
  return folders.flatMap((folder) => {
    const prefix = folder === '' ? '' : `${folder}/`;
    return endings.flatMap((ext) => [`${prefix}*${ext}`, `${prefix}**/*${ext}`]);
  });
}

/** The folders not inside another one, each once, in the order first given. */
function outermost(folders: readonly string[]): string[] {
  const unique = [...new Set(folders)];
  return unique.filter(
    (folder) => !unique.some((other) => other !== folder && isWithin(folder, other)),
  );
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
