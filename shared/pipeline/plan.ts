import { pluginDisabled, type SourcePlugin } from '../engine/plugins/plugins.js';
import { AppError } from '../platform/errors.js';
import type { ObjectInfo, ObjectStore } from '../platform/ports/object-store.js';
import type { PlannedFile } from './job-model.js';

/**
 * The globs that list a selection's files: `paths` below `dataset` (any folder of the bucket,
 * its top when empty), each checked as a safe folder inside it. A disabled plugin, and every
 * problem of the dataset and paths, is a 400 before any object is listed.
 */
export function selectionPatterns(
  plugin: SourcePlugin,
  paths: readonly string[],
  dataset?: string,
): string[] {
  if (!plugin.enabled) throw pluginDisabled(plugin.id);
  return plugin.buildPatterns(paths, dataset);
}

/** What to plan: which objects of which bucket. */
export interface PlanRequest {
  bucket: string;
  /** From selectionPatterns. */
  patterns: string[];
  maxFiles: number;
}

/** The files of a job in source-path order, each listed once. */
export interface PlannedFiles {
  files: PlannedFile[];
  bytesTotal: number;
  patterns: string[];
}

/**
 * Lists the objects the patterns match, once: both patterns of every path, deduplicated by
 * name, ordered by name (so a market's file, and each day, keeps its place), and indexed.
 * Fails with a 400 when nothing matches or more than `maxFiles` would.
 */
export async function planFiles(
  store: ObjectStore,
  plugin: SourcePlugin,
  request: PlanRequest,
): Promise<PlannedFiles> {
  const { patterns } = request;
  const byName = new Map<string, ObjectInfo>();
  for (const glob of patterns) {
    for await (const object of store.listAll(request.bucket, {
      glob,
      prefix: literalPrefix(glob),
    })) {
      byName.set(object.name, object);
      if (byName.size > request.maxFiles) throw tooMany(request.maxFiles);
    }
  }
  if (byName.size === 0) {
    throw new AppError(
      'JOB.NO_FILES',
      'invalid',
      `No ${plugin.extensions.join('/')} files match ${patterns.map((p) => `gs://${request.bucket}/${p}`).join(', ')}`,
    );
  }
  const names = [...byName.keys()].sort(byteOrder);
  const files = names.map((name, index) => {
    const object = byName.get(name)!;
    return { index, name, generation: object.generation, size: object.size };
  });
  return { files, bytesTotal: files.reduce((sum, f) => sum + f.size, 0), patterns };
}

/** Splits a plan into pages small enough for a workflow variable (512 KB per execution). */
export function paginate<T>(items: readonly T[], pageSize: number): T[][] {
  const pages: T[][] = [];
  for (let start = 0; start < items.length; start += pageSize)
    pages.push(items.slice(start, start + pageSize));
  return pages;
}

/** The part of a glob before its first wildcard, so listing starts at the right folder. */
function literalPrefix(glob: string): string {
  const wildcard = glob.search(/[*?[{]/);
  const literal = wildcard === -1 ? glob : glob.slice(0, wildcard);
  return literal.slice(0, literal.lastIndexOf('/') + 1);
}

/** Cloud Storage lists names in UTF-8 byte order; so do we. */
function byteOrder(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a), Buffer.from(b));
}

function tooMany(maxFiles: number): AppError {
  return new AppError(
    'JOB.TOO_MANY_FILES',
    'invalid',
    `The selection matches more than ${maxFiles} files (MAX_FILES_PER_JOB); select fewer paths or raise the limit`,
  );
}

/**
 * Splits parts, in order, into `shards` contiguous groups of roughly equal bytes: each part goes
 * to the shard its midpoint falls in, so order is kept and no part is split. Groups may be
 * empty when there are fewer parts than shards.
 */
export function planShards(sizes: readonly number[], shards: number): number[][] {
  const groups: number[][] = Array.from({ length: shards }, () => []);
  const total = sizes.reduce((sum, size) => sum + size, 0);
  let before = 0;
  sizes.forEach((size, i) => {
    const position = total > 0 ? (before + size / 2) / total : (i + 0.5) / sizes.length;
    groups[Math.min(shards - 1, Math.floor(position * shards))]!.push(i);
    before += size;
  });
  return groups;
}
