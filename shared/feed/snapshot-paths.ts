import { latestPath } from '../recorder/record-paths.js';

/** Where the recorder publishes the latest poll (named by the recorder's latestPath). */
export interface SnapshotPaths {
  /** A JSON array of MarketCatalogue: the markets still in the catalogue. */
  catalogue: string;
  /** A JSON array of MarketBook: the latest book of every market seen today. */
  books: string;
}

/** The snapshot's object names under the recorder's base path (`betfair-live` by default). */
export function snapshotPaths(basePath: string): SnapshotPaths {
  return { catalogue: latestPath(basePath, 'catalogue'), books: latestPath(basePath, 'books') };
}
