import { get } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { MarketBookSchema, MarketCatalogueSchema } from '../../../shared/betfair/market-schemas.js';
import type { ObjectStore } from '../../../shared/platform/ports/object-store.js';
import { tempStore } from '../../support/temp-store.js';
import { serveFeed, type FeedAnswer, type ServedFeed } from './feed-fixture.js';
import { simulatedSnapshot, writeSnapshot } from './snapshot-fixture.js';

const recorded = simulatedSnapshot({ day: { meetings: 2, racesPerMeeting: 4 } });
const ids = recorded.books.map((book) => book.marketId);

describe('feed API over HTTP with a simulated poll', () => {
  let store: ObjectStore;
  let feed: ServedFeed;

  beforeAll(async () => {
    store = (await tempStore()).store;
    await writeSnapshot(store, recorded);
    feed = await serveFeed(store);
  });
  afterAll(() => feed?.close());

  it('serves the catalogue exactly as recorded, valid as listMarketCatalogue', async () => {
    const answer = await feed.get('/api/feed/markets');
    expect(answer.status).toBe(200);
    expect(answer.text).toBe(JSON.stringify(recorded.catalogue));
    expect(z.array(MarketCatalogueSchema).safeParse(answer.body).success).toBe(true);
  });

  it('serves one book as listMarketBook does: an array, Betfair field names kept', async () => {
    const closed = recorded.books.find((book) => book.status === 'CLOSED');
    expect(closed).toBeDefined();
    const answer = await feed.get(`/api/feed/book/${closed!.marketId}`);
    expect(answer.status).toBe(200);
    expect(answer.body).toEqual([closed]);
    const [book] = z.array(MarketBookSchema).length(1).parse(answer.body);
    expect(book).toHaveProperty('inplay');
    expect(answer.text).not.toContain('"inPlay"');
    expect(book!.runners.some((runner) => runner.status === 'WINNER')).toBe(true);
    expect(book!.runners.some((runner) => runner.sp?.actualSP !== undefined)).toBe(true);
  });

  it.each([
    ['market_ids', { market_ids: [ids[3], '1.999', ids[0], ids[3]] }],
    ['marketIds', { marketIds: [ids[3], '1.999', ids[0], ids[3]] }],
  ])('serves books for %s in the order asked, unknown ids left out', async (_field, body) => {
    const answer = await feed.post('/api/feed/books', body);
    expect(answer.status).toBe(200);
    const expected = [recorded.books[3], recorded.books[0], recorded.books[3]];
    expect(answer.body).toEqual(expected);
    expect(z.array(MarketBookSchema).safeParse(answer.body).success).toBe(true);
  });

  it('serves up to 250 books in one request, as Betfair allows', async () => {
    const many = Array.from({ length: 250 }, (_, i) => ids[i % ids.length]);
    const answer = await feed.post('/api/feed/books', { market_ids: many });
    expect(answer.status).toBe(200);
    expect((answer.body as unknown[]).length).toBe(250);
  });

  it('answers 404 with a detail for a market not in the recording', async () => {
    const answer = await feed.get('/api/feed/book/1.999999999');
    expect(answer.status).toBe(404);
    expect(detailOf(answer)).toContain('1.999999999');
  });

  it.each([
    ['a name', '/api/feed/book/horses'],
    ['no dot', '/api/feed/book/1234'],
    ['two digits before the dot', '/api/feed/book/12.345'],
    ['a trailing letter', '/api/feed/book/1.234x'],
  ])('answers 400 for a market id with %s', async (_case, path) => {
    const answer = await feed.get(path);
    expect(answer.status).toBe(400);
    expect(detailOf(answer)).toContain('marketId');
  });

  it.each([
    ['no body', undefined],
    ['ids not in an array', { market_ids: ids[0] }],
    ['an empty list', { market_ids: [] }],
    ['251 ids', { market_ids: Array.from({ length: 251 }, () => ids[0]) }],
    ['a bad id', { market_ids: [ids[0], 'x.1'] }],
    ['a number for an id', { market_ids: [1.23] }],
    ['an array body', [ids[0]]],
  ])('answers 400 for a books request with %s', async (_case, body) => {
    const answer = await feed.post('/api/feed/books', body ?? '');
    expect(answer.status).toBe(400);
    expect(answer.body).toHaveProperty('detail');
  });

  it('answers 400 for a books request that is not JSON', async () => {
    // functions-framework parses the body before the feed sees it, and answers this itself.
    const answer = await feed.post('/api/feed/books', '{"market_ids": [');
    expect(answer.status).toBe(400);
  });

  it('sends JSON that no cache keeps unchecked, readable from any origin', async () => {
    const answer = await feed.get('/api/feed/markets', { origin: 'https://app.example' });
    expect(answer.headers.get('content-type')).toMatch(/^application\/json/);
    expect(answer.headers.get('cache-control')).toBe('no-cache');
    expect(answer.headers.get('access-control-allow-origin')).toBe('*');
  });

  it('answers a CORS preflight for the JSON POST', async () => {
    const response = await fetch(new URL('api/feed/books', feed.url), {
      method: 'OPTIONS',
      headers: {
        origin: 'https://app.example',
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'content-type',
      },
    });
    expect(response.status).toBe(204);
    expect(response.headers.get('access-control-allow-methods')).toContain('POST');
    expect(response.headers.get('access-control-allow-headers')).toContain('content-type');
  });

  it('answers 304 to a GET whose ETag is still the snapshot served', async () => {
    const first = await feed.get(`/api/feed/book/${ids[0]}`);
    const etag = first.headers.get('etag');
    expect(etag).toBeTruthy();
    const again = await rawGet(new URL(`api/feed/book/${ids[0]}`, feed.url), {
      'if-none-match': etag!,
    });
    expect(again).toEqual({ status: 304, body: '' });
  });
});

describe('feed API before the recorder has written anything', () => {
  it.each([
    ['GET', '/api/feed/markets'],
    ['GET', '/api/feed/book/1.234'],
    ['POST', '/api/feed/books'],
  ])('answers 503 to %s %s', async (method, path) => {
    const feed = await serveFeed((await tempStore()).store);
    try {
      const answer =
        method === 'GET' ? await feed.get(path) : await feed.post(path, { market_ids: ['1.234'] });
      expect(answer.status).toBe(503);
      expect(answer.body).toMatchObject({ detail: 'No recorded data yet: start the recorder' });
    } finally {
      await feed.close();
    }
  });
});

/** A GET through node:http: fetch adds `cache-control: no-cache`, which forbids a 304. */
function rawGet(
  url: URL,
  headers: Record<string, string>,
): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    get(url, { headers }, (response) => {
      let body = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => (body += chunk));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, body }));
    }).on('error', reject);
  });
}

function detailOf(answer: FeedAnswer): string {
  return (answer.body as { detail: string }).detail;
}
