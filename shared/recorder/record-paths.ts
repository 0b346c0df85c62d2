import { EVENT_TYPE_ID } from './recorder-settings.js';

/** The two kinds of record the seed writes. */
export type DataType = 'catalogue' | 'books';

/** The UTC day of an instant, YYYY-MM-DD. */
export function utcDate(at: Date): string {
  return at.toISOString().slice(0, 10);
}

/**
 * The seed's layout: `{base}/7/{YYYY-MM-DD}/{catalogue|books}/HH-MM-SS.ndjson`, named by the
 * poll's UTC start time.
 */
export function recordPath(basePath: string, dataType: DataType, at: Date): string {
  const time = at.toISOString().slice(11, 19).replaceAll(':', '-');
  return `${dayFolder(basePath, utcDate(at))}/${dataType}/${time}.ndjson`;
}

/** The folder of one day's files. */
export function dayFolder(basePath: string, date: string): string {
  return `${basePath}/${EVENT_TYPE_ID}/${date}`;
}

/** The feed's snapshot of the latest poll: Betfair-shaped JSON arrays. */
export function latestPath(basePath: string, dataType: DataType): string {
  const base = basePath.replace(/\/+$/, '');
  return `${base === '' ? '' : `${base}/`}latest/${dataType}.json`;
}
