import type { MarketBook, MarketCatalogue } from '../../../shared/betfair/market-schemas.js';
import type { ObjectStore } from '../../../shared/platform/ports/object-store.js';
import { readAll } from '../../support/temp-store.js';

/** One NDJSON line as the recorder writes it. */
export type Recorded<T> = T & { _recorded_at: string; _data_type: string };

/** A day's files of one kind, in name (time) order, each with its parsed lines. */
export async function readDayFiles<T>(
  store: ObjectStore,
  bucket: string,
  prefix: string,
): Promise<{ name: string; records: Recorded<T>[] }[]> {
  const files: { name: string; records: Recorded<T>[] }[] = [];
  for await (const info of store.listAll(bucket, { prefix })) {
    const text = (await readAll(await store.read(bucket, info.name))).toString('utf8');
    files.push({
      name: info.name,
      records: text
        .split('\n')
        .filter(Boolean)
        .map((line) => JSON.parse(line) as Recorded<T>),
    });
  }
  return files;
}

export type CatalogueFiles = Awaited<ReturnType<typeof readDayFiles<MarketCatalogue>>>;
export type BookFiles = Awaited<ReturnType<typeof readDayFiles<MarketBook>>>;

/** A stored JSON object. */
export async function readJson<T>(store: ObjectStore, bucket: string, name: string): Promise<T> {
  return JSON.parse((await readAll(await store.read(bucket, name))).toString('utf8')) as T;
}
