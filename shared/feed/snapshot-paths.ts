/** Where the recorder publishes the latest poll, shared by the recorder and the feed. */
export interface SnapshotPaths {
  /** A JSON array of MarketCatalogue: the markets still in the catalogue. */
  catalogue: string;
  /** A JSON array of MarketBook: the latest book of every market seen today. */
  books: string;
}

/** The snapshot's object names under the recorder's base path (`betfair-live` by default). */
export function snapshotPaths(basePath: string): SnapshotPaths {
  const base = basePath.replace(/\/+$/, '');
  const prefix = base === '' ? 'latest' : `${base}/latest`;
  return { catalogue: `${prefix}/catalogue.json`, books: `${prefix}/books.json` };
}
