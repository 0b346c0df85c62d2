import { afterEach, describe, expect, it } from 'vitest';
import { snapshotPaths } from '../../../shared/live/feed/snapshot.js';
import { tempStore } from '../../support/temp-store.js';
import { countingStore, type CountingStore } from './counting-store.js';
import { serveFeed, type ServedFeed } from './feed-fixture.js';
import { BASE_PATH, simulatedSnapshot, writeSnapshot } from './snapshot-fixture.js';

const INTERVAL = 1000;
const paths = snapshotPaths(BASE_PATH);
const morning = simulatedSnapshot({ hour: 9, day: { meetings: 1, racesPerMeeting: 3 } });
const evening = simulatedSnapshot({ hour: 20, day: { meetings: 1, racesPerMeeting: 3 } });

/** A feed on a counting store and a clock the test moves. */
async function setUp(): Promise<{
  counting: CountingStore;
  feed: ServedFeed;
  clock: { t: number };
}> {
  const counting = countingStore((await tempStore()).store);
  const clock = { t: 0 };
  const feed = await serveFeed(counting.store, { now: () => clock.t, checkIntervalMs: INTERVAL });
  return { counting, feed, clock };
}

const bookOf = (feed: ServedFeed, id: string) => feed.get(`/api/feed/book/${id}`);
const firstId = morning.books[0]!.marketId;

describe('feed snapshot cache', () => {
  let feed: ServedFeed | undefined;
  afterEach(() => feed?.close());

  it('reads each object once for any number of requests on one snapshot', async () => {
    const setup = await setUp();
    feed = setup.feed;
    await writeSnapshot(setup.counting.store, morning);
    for (let i = 0; i < 20; i += 1) {
      setup.clock.t += INTERVAL;
      expect((await feed.get('/api/feed/markets')).status).toBe(200);
      expect((await bookOf(feed, firstId)).status).toBe(200);
    }
    expect(setup.counting.reads.sort()).toEqual([paths.books, paths.catalogue]);
    expect(setup.counting.stats.length).toBe(2 * 20);
  });

  it('checks generations at most once per interval', async () => {
    const setup = await setUp();
    feed = setup.feed;
    await writeSnapshot(setup.counting.store, morning);
    await Promise.all(Array.from({ length: 30 }, () => feed!.get('/api/feed/markets')));
    setup.clock.t += INTERVAL - 1;
    await feed.get('/api/feed/markets');
    expect(setup.counting.stats.length).toBe(2);
  });

  it('picks up a new snapshot once the interval has passed, reading only what changed', async () => {
    const setup = await setUp();
    feed = setup.feed;
    await writeSnapshot(setup.counting.store, morning);
    expect((await bookOf(feed, firstId)).body).toEqual([morning.books[0]]);
    await writeSnapshot(setup.counting.store, morning, { books: JSON.stringify(evening.books) });
    setup.clock.t += INTERVAL / 2;
    expect((await bookOf(feed, firstId)).body).toEqual([morning.books[0]]);
    setup.clock.t += INTERVAL / 2;
    expect((await bookOf(feed, firstId)).body).toEqual([evening.books[0]]);
    // The catalogue was written again with another generation, so it is read again too.
    expect(setup.counting.reads.filter((name) => name === paths.books).length).toBe(2);
  });

  it('serves the previous snapshot while one check reads the new one', async () => {
    const setup = await setUp();
    feed = setup.feed;
    await writeSnapshot(setup.counting.store, morning);
    await bookOf(feed, firstId);
    const readsBefore = setup.counting.reads.length;
    await writeSnapshot(setup.counting.store, evening);
    setup.clock.t += INTERVAL;
    const release = setup.counting.holdReads();
    const refreshing = bookOf(feed, firstId);
    await waitUntil(() => setup.counting.reads.length > readsBefore);
    const during = await Promise.all(Array.from({ length: 20 }, () => bookOf(feed!, firstId)));
    expect(during.every((answer) => isEqual(answer.body, [morning.books[0]]))).toBe(true);
    release();
    expect((await refreshing).body).toEqual([evening.books[0]]);
    expect(setup.counting.reads.length - readsBefore).toBe(2);
    expect((await bookOf(feed, firstId)).body).toEqual([evening.books[0]]);
  });

  it('makes concurrent first requests share one read of each object', async () => {
    const setup = await setUp();
    feed = setup.feed;
    await writeSnapshot(setup.counting.store, morning);
    const release = setup.counting.holdReads();
    const answers = Array.from({ length: 25 }, () => feed!.get('/api/feed/markets'));
    await waitUntil(() => setup.counting.reads.length === 2);
    release();
    expect((await Promise.all(answers)).every((answer) => answer.status === 200)).toBe(true);
    expect(setup.counting.reads.length).toBe(2);
    expect(setup.counting.stats.length).toBe(2);
  });

  it('keeps the previous snapshot when a corrupt one is written, and reads it only once', async () => {
    const setup = await setUp();
    feed = setup.feed;
    await writeSnapshot(setup.counting.store, morning);
    await feed.get('/api/feed/markets');
    const broken = morning.books.map((book) => ({ ...book, inplay: 'yes' }));
    await writeSnapshot(setup.counting.store, morning, { books: JSON.stringify(broken) });
    for (let i = 0; i < 3; i += 1) {
      setup.clock.t += INTERVAL;
      expect((await bookOf(feed, firstId)).body).toEqual([morning.books[0]]);
    }
    expect(setup.counting.reads.filter((name) => name === paths.books).length).toBe(2);
    const errors = feed.logs.filter((line) => line.severity === 'ERROR');
    expect(errors).toMatchObject([{ name: paths.books, code: 'FEED.CORRUPT_SNAPSHOT' }]);
  });

  it.each([
    ['not JSON', '{"marketId":'],
    ['not an array', JSON.stringify(morning.catalogue[0])],
    ['a market without its id', JSON.stringify([{ marketName: 'Win' }])],
  ])('answers 503 while the only snapshot is corrupt: catalogue %s', async (_case, text) => {
    const setup = await setUp();
    feed = setup.feed;
    await writeSnapshot(setup.counting.store, morning, { catalogue: text });
    expect((await feed.get('/api/feed/markets')).status).toBe(503);
    expect((await bookOf(feed, firstId)).status).toBe(503);
  });
});

function isEqual(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

async function waitUntil(condition: () => boolean): Promise<void> {
  const deadline = Date.now() + 5000;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
}
