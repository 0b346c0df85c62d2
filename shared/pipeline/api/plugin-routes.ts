import pLimit from 'p-limit';
import { Router } from 'express';
import { z } from 'zod';
import {
  selectedFolders,
  type LayoutHints,
  type PluginRegistry,
  type SourcePlugin,
} from '../../engine/plugins/plugins.js';
import { parseInput } from '../../platform/http.js';
import { DEFAULT_PAGE_SIZE, type ObjectStore } from '../../platform/ports/object-store.js';
import { selectionPatterns } from '../plan.js';
import { requireBucket } from './gcp-routes.js';

/** One pattern of `POST /api/plugins/validate`, in the predecessor's shape. */
export interface PatternCheck {
  pattern: string;
  valid: boolean;
  fileCount: number;
  error?: string;
  truncated: boolean;
}

/** A selected folder, as a path from the bucket's top, with what the source's layout says of it. */
export interface SelectedFolder {
  path: string;
  layout: LayoutHints | null;
}

/** The answer of `POST /api/plugins/validate`: the predecessor's fields, then `folders`. */
export interface ValidationReport {
  totalFiles: number;
  patterns: PatternCheck[];
  allValid: boolean;
  folders: SelectedFolder[];
}

// Listings run at once per request; enough to hide latency without flooding the store.
const LISTING_CONCURRENCY = 4;

/**
 * Counts the objects each pattern matches, stopping at `cap` (then `truncated`). `totalFiles`
 * counts distinct objects, since a folder's `*` and `**` patterns overlap by design; it is a
 * lower bound when a pattern was truncated. `allValid` holds when every selected folder has a
 * matching file through either of its patterns: Betfair files sit in event folders below a
 * day, so a day's direct pattern rightly matches nothing while the folder is fine.
 */
export async function checkPatterns(
  store: ObjectStore,
  bucket: string,
  patterns: readonly string[],
  cap: number,
): Promise<Omit<ValidationReport, 'folders'>> {
  const limit = pLimit(LISTING_CONCURRENCY);
  const matches = await Promise.all(
    patterns.map((pattern) => limit(() => matchPattern(store, bucket, pattern, cap))),
  );
  const distinct = new Set(matches.flatMap((match) => match.names));
  return {
    totalFiles: distinct.size,
    patterns: matches.map((match) => patternCheck(bucket, match)),
    allValid: everyFolderMatches(matches),
  };
}

interface PatternMatch {
  pattern: string;
  names: string[];
  truncated: boolean;
}

async function matchPattern(
  store: ObjectStore,
  bucket: string,
  pattern: string,
  cap: number,
): Promise<PatternMatch> {
  const names: string[] = [];
  // One object past the cap tells whether more exist.
  const pageSize = Math.min(cap + 1, DEFAULT_PAGE_SIZE);
  for await (const object of store.listAll(bucket, {
    prefix: folderOf(pattern),
    glob: pattern,
    pageSize,
  })) {
    if (names.length === cap) return { pattern, names, truncated: true };
    names.push(object.name);
  }
  return { pattern, names, truncated: false };
}

function patternCheck(bucket: string, match: PatternMatch): PatternCheck {
  const fileCount = match.names.length;
  return {
    pattern: `gs://${bucket}/${match.pattern}`,
    valid: fileCount > 0,
    fileCount,
    ...(fileCount === 0 ? { error: 'No files match' } : {}),
    truncated: match.truncated,
  };
}

function everyFolderMatches(matches: readonly PatternMatch[]): boolean {
  const folders = new Map<string, boolean>();
  for (const { pattern, names } of matches) {
    const folder = folderOf(pattern);
    folders.set(folder, (folders.get(folder) ?? false) || names.length > 0);
  }
  return folders.size > 0 && [...folders.values()].every(Boolean);
}

/**
 * The literal folder a pattern starts with (`PRO/2022/Apr/` of `PRO/2022/Apr/**\/*.bz2`):
 * selected paths hold no glob syntax, so everything before the first `*` is literal.
 */
function folderOf(pattern: string): string {
  const star = pattern.indexOf('*');
  return star === -1 ? pattern : pattern.slice(0, star);
}

/** What the plugin routes need. */
export interface PluginRoutesDeps {
  plugins: PluginRegistry;
  objectStore: ObjectStore;
  /** Objects counted per pattern before the count stops and reports `truncated`. */
  maxFilesPerJob: number;
}

const validateBody = z.object({
  sourceType: z.string().min(1).default('betfair'),
  sourceBucket: z.string().min(1),
  sourceDataset: z.string().nullish(),
  selectedPaths: z.array(z.string()).min(1).max(1000),
});

/** `GET /api/plugins` and `POST /api/plugins/validate`, in the predecessor API's shapes. */
export function pluginRoutes(deps: PluginRoutesDeps): Router {
  return Router()
    .get('/api/plugins', (_req, res) => {
      res.json({ plugins: deps.plugins.describe() });
    })
    .post('/api/plugins/validate', async (req, res) => {
      res.json(await validateSelection(deps, req.body));
    });
}

/**
 * Checks a selection before a job is submitted: unknown or disabled source type and malformed
 * paths or dataset are 400s, a missing bucket a 404; otherwise every pattern is counted, and
 * each selected folder is reported with what the source's layout says of it.
 */
async function validateSelection(deps: PluginRoutesDeps, body: unknown): Promise<ValidationReport> {
  const input = parseInput(validateBody, body, 'request body');
  const plugin = deps.plugins.get(input.sourceType);
  const dataset = input.sourceDataset ?? undefined;
  const patterns = selectionPatterns(plugin, input.selectedPaths, dataset);
  await requireBucket(deps.objectStore, input.sourceBucket);
  const report = await checkPatterns(
    deps.objectStore,
    input.sourceBucket,
    patterns,
    deps.maxFilesPerJob,
  );
  return { ...report, folders: describeFolders(plugin, input.selectedPaths, dataset) };
}

function describeFolders(
  plugin: SourcePlugin,
  paths: readonly string[],
  dataset: string | undefined,
): SelectedFolder[] {
  return selectedFolders(paths, dataset).map((path) => ({
    path,
    layout: plugin.layoutOf(path) ?? null,
  }));
}
