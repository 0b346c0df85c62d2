import {
  recognizeBetfairLayout,
  type BetfairLayoutHints,
} from '../../engine/plugins/betfair-layout.js';
import type { ObjectInfo, ObjectStore } from '../../platform/ports/object-store.js';
import { AppError } from '../../platform/errors.js';

/** BROWSE.INVALID_PATH: a browse path that is malformed or climbs out of the bucket. */
export function invalidBrowsePath(path: string, reason: string): AppError {
  const message = `Invalid path ${JSON.stringify(path)}: ${reason}`;
  return new AppError('BROWSE.INVALID_PATH', 'invalid', message);
}

/** How much one browse request may read and return. */
export interface BrowseLimits {
  /** Files (and, separately, folders) in one response. */
  maxEntries: number;
  /** Objects read below the path before giving up; bounds the cost of a huge folder. */
  maxScanned: number;
}

/** The defaults: a page of entries, at most 50 listing pages of objects. */
export const DEFAULT_BROWSE_LIMITS: BrowseLimits = { maxEntries: 1000, maxScanned: 50_000 };

/** One file directly in the browsed folder. */
export interface BrowseFile {
  name: string;
  size: number;
  updated: string;
}

/**
 * `GET /api/gcp/buckets/:bucket/browse[/path]`, in the predecessor's shape plus `truncated` and
 * `layout`: where the folder sits in Betfair's historic layout, wherever that starts in the
 * bucket (`archive/PRO/2022` is the year 2022 of tier PRO under `archive`), or null.
 */
export interface BrowseListing {
  path: string;
  folders: string[];
  files: BrowseFile[];
  truncated: boolean;
  layout: BetfairLayoutHints | null;
}

// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f]/;

/**
 * A browse path in canonical form: `/`-separated, no empty or `.` segments, no leading or
 * trailing slash; `''` for the bucket's top. `..` and control characters fail with 400.
 */
export function normalizeBrowsePath(path: string): string {
  if (CONTROL.test(path)) throw invalidBrowsePath(path, 'contains a control character');
  const segments = path.split('/').filter((segment) => segment !== '' && segment !== '.');
  if (segments.includes('..')) throw invalidBrowsePath(path, '".." would leave the bucket');
  return segments.join('/');
}

/**
 * One level of a bucket below `path` (canonical): folders are the immediate sub-folder names
 * and files the objects directly in it, both relative to `path` as the predecessor's API
 * documented (`["ADVANCED", "BASIC"]`, `{"name": "metadata.json"}`). The store port lists
 * without a delimiter, so folders are found by reading the objects below `path` in name order;
 * past `maxScanned` objects, or `maxEntries` files or folders, `truncated` is set.
 */
export async function browseFolder(
  store: ObjectStore,
  bucket: string,
  path: string,
  limits: BrowseLimits = DEFAULT_BROWSE_LIMITS,
): Promise<BrowseListing> {
  const prefix = path === '' ? '' : `${path}/`;
  const listing = new ListingBuilder(limits.maxEntries);
  let scanned = 0;
  for await (const object of store.listAll(bucket, { prefix })) {
    if (scanned === limits.maxScanned) {
      listing.truncated = true;
      break;
    }
    scanned += 1;
    listing.add(object.name.slice(prefix.length), object);
  }
  return listing.result(path);
}

/** Collects one level's folders and files, each list capped. */
class ListingBuilder {
  private readonly folders = new Set<string>();
  private readonly files: BrowseFile[] = [];
  truncated = false;

  constructor(private readonly maxEntries: number) {}

  add(relativeName: string, object: ObjectInfo): void {
    const slash = relativeName.indexOf('/');
    if (slash === -1) this.addFile(relativeName, object);
    else this.addFolder(relativeName.slice(0, slash));
  }

  result(path: string): BrowseListing {
    return {
      path,
      folders: [...this.folders],
      files: this.files,
      truncated: this.truncated,
      layout: recognizeBetfairLayout(path) ?? null,
    };
  }

  private addFile(name: string, object: ObjectInfo): void {
    if (name === '') return; // a `folder/` placeholder object, not a file
    if (this.files.length === this.maxEntries) {
      this.truncated = true;
      return;
    }
    this.files.push({ name, size: object.size, updated: object.updated.toISOString() });
  }

  private addFolder(name: string): void {
    // An empty name (`a//b`) cannot be browsed into, since paths drop empty segments.
    if (name === '' || this.folders.has(name)) return;
    if (this.folders.size === this.maxEntries) {
      this.truncated = true;
      return;
    }
    this.folders.add(name);
  }
}
