import { afterAll, beforeAll, expect, it } from 'vitest';
import { z } from 'zod';
import { MarketBookSchema, MarketCatalogueSchema } from '../../../shared/betfair/market-schemas.js';
import { describeWithSamples, readApiSample } from '../../support/sample-data.js';
import { tempStore } from '../../support/temp-store.js';
import { serveFeed, type ServedFeed } from './feed-fixture.js';
import { writeSnapshot } from './snapshot-fixture.js';

/** The `result` of a recorded JSON-RPC answer. */
function sampleResult(name: string): unknown[] {
  return z.object({ result: z.array(z.unknown()) }).parse(readApiSample(name)).result;
}

describeWithSamples("feed with Betfair's real responses as the snapshot", () => {
  let feed: ServedFeed;
  let catalogue: unknown[];
  let books: z.infer<typeof MarketBookSchema>[];

  beforeAll(async () => {
    catalogue = sampleResult('list_market_catalogue.json');
    books = z.array(MarketBookSchema).parse(sampleResult('list_market_book.json'));
    const { store } = await tempStore();
    await writeSnapshot(store, { catalogue, books });
    feed = await serveFeed(store);
  });
  afterAll(() => feed?.close());

  it('round-trips the catalogue: same JSON, field for field and in order', async () => {
    const answer = await feed.get('/api/feed/markets');
    expect(answer.body).toEqual(catalogue);
    expect(answer.text).toBe(JSON.stringify(catalogue));
    expect(z.array(MarketCatalogueSchema).safeParse(answer.body).success).toBe(true);
  });

  it('round-trips every book, with inplay and sp.actualSP as Betfair sent them', async () => {
    const answer = await feed.post('/api/feed/books', {
      market_ids: books.map((book) => book.marketId),
    });
    expect(answer.body).toEqual(books);
    expect(answer.text).toBe(JSON.stringify(books));
    expect(answer.text).toContain('"inplay"');
    expect(answer.text).not.toContain('"inPlay"');
    expect(answer.text).toContain('"actualSP"');
  });

  it('serves a single real book as a one-element array', async () => {
    const [first] = books;
    const answer = await feed.get(`/api/feed/book/${first!.marketId}`);
    expect(answer.body).toEqual([first]);
    expect(z.array(MarketBookSchema).safeParse(answer.body).success).toBe(true);
  });
});
