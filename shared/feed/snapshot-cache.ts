import type { Logger } from '../logging/logger.js';
import type { ObjectStore } from '../storage/object-store.js';
import type { FeedSnapshot } from './feed-snapshot.js';
import { loadBooks, loadCatalogue } from './snapshot-content.js';
import { SnapshotPart } from './snapshot-part.js';
import { snapshotPaths } from './snapshot-paths.js';

/** How a feed instance finds and re-checks the recorder's snapshot. */
export interface SnapshotCacheOptions {
  objectStore: ObjectStore;
  bucket: string;
  /** The recorder's base path; the snapshot is `{basePath}/latest/…`. */
  basePath: string;
  logger: Logger;
  /** Least time between two generation checks (default 1000 ms). */
  checkIntervalMs?: number;
  /** Milliseconds clock, replaceable in tests. */
  now?: () => number;
}

/** Default least time between two checks of the snapshot's generations. */
export const DEFAULT_CHECK_INTERVAL_MS = 1000;

/**
 * The snapshot held in memory by one feed instance. Storage is asked for the objects'
 * generations at most once per interval, by one check at a time however many requests arrive,
 * and an object is read only when its generation changed.
 *
 * The request that starts a check waits for it; requests arriving meanwhile get the snapshot
 * already held. Nothing runs after a response: Cloud Functions may withhold CPU between
 * requests, so a background refresh could stall until the next request anyway.
 */
export class SnapshotCache {
  private readonly catalogue: SnapshotPart<ReturnType<typeof loadCatalogue>>;
  private readonly books: SnapshotPart<ReturnType<typeof loadBooks>>;
  private readonly interval: number;
  private readonly now: () => number;
  private checkedAt = Number.NEGATIVE_INFINITY;
  private checking?: Promise<void>;
  private snapshot?: FeedSnapshot;

  constructor(private readonly options: SnapshotCacheOptions) {
    const { objectStore, bucket, basePath, logger } = options;
    const paths = snapshotPaths(basePath);
    const part = { objectStore, bucket, logger };
    this.catalogue = new SnapshotPart({ ...part, name: paths.catalogue, load: loadCatalogue });
    this.books = new SnapshotPart({ ...part, name: paths.books, load: loadBooks });
    this.interval = options.checkIntervalMs ?? DEFAULT_CHECK_INTERVAL_MS;
    this.now = options.now ?? Date.now;
  }

  /**
   * The latest snapshot, or undefined while the recorder has written none. Rejects only when
   * storage fails and no snapshot is held yet.
   */
  async current(): Promise<FeedSnapshot | undefined> {
    if (this.now() - this.checkedAt >= this.interval) await this.settle(this.startCheck());
    else if (!this.snapshot && this.checking) await this.settle(this.checking);
    return this.snapshot;
  }

  private startCheck(): Promise<void> {
    this.checkedAt = this.now();
    this.checking ??= this.check().finally(() => (this.checking = undefined));
    return this.checking;
  }

  private async check(): Promise<void> {
    const results = await Promise.allSettled([this.catalogue.refresh(), this.books.refresh()]);
    this.snapshot = this.assemble();
    const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (failed) throw failed.reason;
  }

  /** Keeps the same object while neither part changed, so callers can compare by identity. */
  private assemble(): FeedSnapshot | undefined {
    const catalogue = this.catalogue.current;
    const books = this.books.current;
    if (!catalogue || !books) return undefined;
    const same = this.snapshot?.catalogue === catalogue && this.snapshot.books === books;
    return same ? this.snapshot : { catalogue, books };
  }

  /** A failed check is logged; it fails the request only when there is nothing to serve. */
  private async settle(check: Promise<void>): Promise<void> {
    try {
      await check;
    } catch (error) {
      if (!this.snapshot) throw error;
      this.options.logger.warn('feed snapshot check failed; serving the previous snapshot', {
        error,
      });
    }
  }
}
