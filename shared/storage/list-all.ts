import type { ListOptions, ListPage, ObjectInfo } from './object-store.js';

/** Objects in one page when the caller does not say. */
export const DEFAULT_PAGE_SIZE = 1000;

type ListFn = (bucket: string, options: ListOptions) => Promise<ListPage>;

/** Every object of every page of `list`, in the order the pages give them. */
export async function* listAllPages(
  list: ListFn,
  bucket: string,
  options: Omit<ListOptions, 'pageToken'> = {},
): AsyncIterable<ObjectInfo> {
  let pageToken: string | undefined;
  do {
    const page = await list(bucket, { ...options, pageToken });
    yield* page.objects;
    pageToken = page.nextPageToken;
  } while (pageToken !== undefined);
}
