import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';
import express from 'express';
import { http } from '@google-cloud/functions-framework';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeBzip2 } from '../../../shared/engine/bz2/decode-bzip2.js';
import { createSourcePlugins } from '../../../shared/engine/plugins/source-plugins.js';
import { bookAtMoment } from '../../../shared/engine/stream/book-at-moment.js';
import { renderMarketBook } from '../../../shared/engine/stream/market-book.js';
import { marketFileLines } from '../../../shared/engine/stream/market-file.js';
import { parseMoment } from '../../../shared/engine/stream/moments.js';
import { ndjsonLines, replayLines } from '../../../shared/engine/stream/replay.js';
import {
  generateSampleData,
  type ManifestEntry,
} from '../../../shared/local/generator/generate.js';
import { marketRoutes } from '../../../shared/pipeline/api/market-routes.js';
import { FirestoreMarketIndex } from '../../../shared/pipeline/firestore/market-index-store.js';
import { indexedMarket } from '../../../shared/pipeline/market-index.js';
import { errorResponder } from '../../../shared/platform/http.js';
import { createLogger } from '../../../shared/platform/logging.js';
import type { ObjectStore } from '../../../shared/platform/ports/object-store.js';
import type { MarketIndex } from '../../../shared/pipeline/stores.js';
import { serveFunction, type ServedFunction } from '../../local/delivery/serve-function.js';
import { bzip2Dc } from '../../support/bzip2.js';
import { startEmulatorFixture, type EmulatorFixture } from '../../support/emulator.js';
import { describeWithSamples, HISTORIC_SAMPLES_DIR } from '../../support/sample-data.js';
import { readAll, tempStore } from '../../support/temp-store.js';

const BUCKET = 'betfair-historic';
const CRICKET = 'PRO/2022/Jul/5/31573045/1.200806927.bz2';
const GREYHOUND = 'PRO/2022/Apr/19/31389771/1.197931750.bz2';

interface RawLine {
  pt: number;
  mc?: { id: string; img?: boolean; marketDefinition?: { status: string; inPlay?: boolean } }[];
}

/**
 * Where each moment falls in the raw lines, found without the engine's moment rule: the number
 * of lines after which the book is the one at the moment (0: none).
 */
function linesAt(lines: string[], moment: string, marketTimeMs: number): number {
  const raw = lines.map((line) => JSON.parse(line) as RawLine);
  if (moment === 'off') {
    let inPlay = false;
    for (const [index, line] of raw.entries()) {
      for (const change of line.mc ?? []) inPlay = change.marketDefinition?.inPlay ?? inPlay;
      if (inPlay) return index + 1;
    }
    return 0;
  }
  if (moment === 'close') {
    let status: string | undefined;
    let count = 0;
    for (const [index, line] of raw.entries()) {
      for (const change of line.mc ?? []) {
        const replaces = change.marketDefinition !== undefined || change.img === true;
        if (replaces && status === 'OPEN') count = index;
        status = change.marketDefinition?.status ?? status;
      }
    }
    return status === 'OPEN' ? raw.length : count;
  }
  const at = moment.endsWith('s') ? marketTimeMs + Number(moment.slice(0, -1)) * 1000 : NaN;
  const time = Number.isNaN(at) ? Date.parse(moment) : at;
  return raw.filter((line) => line.pt <= time).length;
}

/** The book renderMarketBook gives after the first `count` lines. */
function bookAfter(lines: string[], count: number) {
  const [market] = replayLines(lines.slice(0, count)).markets;
  const book = market && renderMarketBook(market);
  if (book === undefined) throw new Error(`no book after ${count} lines`);
  return JSON.parse(JSON.stringify(book)) as Record<string, unknown>;
}

function marketTimeOf(lines: string[]): number {
  const [first = ''] = lines;
  const definition = (JSON.parse(first) as RawLine).mc?.[0]?.marketDefinition as
    { marketTime: string } | undefined;
  return Date.parse(definition?.marketTime ?? '');
}

let served = 0;

async function serve(store: ObjectStore, marketIndex: MarketIndex): Promise<ServedFunction> {
  const app = express();
  const plugins = createSourcePlugins({ decodeBz2: (source) => decodeBzip2(source) });
  app.use(marketRoutes({ objectStore: store, plugins, marketIndex }));
  app.use(errorResponder(createLogger({ write: () => undefined })));
  const name = `market-routes-test-${(served += 1)}`;
  http(name, app);
  return serveFunction(name);
}

async function get(api: ServedFunction, url: string): Promise<[number, Record<string, unknown>]> {
  const response = await fetch(`${api.url}${url}`);
  return [response.status, (await response.json()) as Record<string, unknown>];
}

function bookUrl(marketId: string, object: string, at: string, bucket = BUCKET): string {
  const query = new URLSearchParams({ bucket, object, at });
  return `api/markets/${marketId}/book?${query.toString()}`;
}

function timelineUrl(marketId: string, object: string, extra: Record<string, string> = {}) {
  const query = new URLSearchParams({ bucket: BUCKET, object, ...extra });
  return `api/markets/${marketId}/timeline?${query.toString()}`;
}

let store: ObjectStore;
let firestore: EmulatorFixture;
let marketIndex: FirestoreMarketIndex;
let api: ServedFunction;
let generated: ManifestEntry;
let generatedLines: string[];

beforeAll(async () => {
  ({ store } = await tempStore());
  const manifest = await generateSampleData(store, BUCKET, {
    mode: 'normal',
    seed: 21,
    meetings: 1,
    racesPerMeeting: 1,
    updates: 40,
  });
  generated = manifest.files[0] as ManifestEntry;
  const bytes = await readAll(await store.read(BUCKET, generated.objectName));
  generatedLines = ndjsonLines(bzip2Dc(bytes).toString('utf8'));
  const ndjson = Readable.from([Buffer.from(generatedLines.join('\n') + '\n')]);
  await store.write(BUCKET, 'decompressed/market', ndjson);
  firestore = await startEmulatorFixture();
  marketIndex = new FirestoreMarketIndex(firestore.db);
  api = await serve(store, marketIndex);
});

afterAll(async () => {
  await api.close();
  await firestore.close();
});

describe('GET /api/markets/{marketId}/book on a generated file', () => {
  it.each(['-60s', 'off', 'close'])(
    'answers %s as renderMarketBook after the lines up to it',
    async (at) => {
      const [status, body] = await get(api, bookUrl(generated.marketId, generated.objectName, at));
      expect(status, JSON.stringify(body)).toBe(200);
      const count = linesAt(generatedLines, at, marketTimeOf(generatedLines));
      expect(count).toBeGreaterThan(0);
      const { moment, momentTime, ...book } = body;
      expect(book).toEqual(bookAfter(generatedLines, count));
      expect(moment).toBe(at);
      expect(typeof momentTime).toBe('string');
    },
  );

  it('reads the same market from its NDJSON, under a name without an ending', async () => {
    const [, fromBz2] = await get(api, bookUrl(generated.marketId, generated.objectName, 'off'));
    const [status, body] = await get(
      api,
      bookUrl(generated.marketId, 'decompressed/market', 'off'),
    );
    expect(status).toBe(200);
    expect(body).toEqual(fromBz2);
  });

  it('answers an ISO time with the book of the last update at or before it', async () => {
    const raw = generatedLines.map((line) => JSON.parse(line) as RawLine);
    const pt = (raw[10] as RawLine).pt;
    const at = new Date(pt).toISOString();
    const [status, body] = await get(api, bookUrl(generated.marketId, generated.objectName, at));
    expect(status).toBe(200);
    expect(body.publishTime).toBe(pt);
    expect(body.momentTime).toBe(at);
  });

  it('is 404 MARKET.NO_BOOK, saying why, before the first book', async () => {
    const [status, body] = await get(
      api,
      bookUrl(generated.marketId, generated.objectName, '2000-01-01T00:00:00Z'),
    );
    expect(status).toBe(404);
    expect(body.code).toBe('MARKET.NO_BOOK');
    expect(body.detail).toMatch(/its first book is at \d{4}-/);
  });

  it('is 404 for a missing object, a missing bucket and a market not in the file', async () => {
    const missing = await get(api, bookUrl(generated.marketId, 'PRO/none.bz2', 'off'));
    expect(missing).toEqual([404, expect.objectContaining({ code: 'OBJECT.NOT_FOUND' })]);
    const noBucket = await get(api, bookUrl(generated.marketId, 'a.bz2', 'off', 'no-such-bucket'));
    expect(noBucket).toEqual([404, expect.objectContaining({ code: 'BUCKET.NOT_FOUND' })]);
    const [status, body] = await get(api, bookUrl('1.999', generated.objectName, 'off'));
    expect(status).toBe(404);
    expect(body).toEqual({
      code: 'MARKET.NOT_IN_FILE',
      detail: `Market 1.999 is not in ${BUCKET}/${generated.objectName}`,
    });
  });

  it('is 400 listing what is allowed for a bad at, market id, bucket or object', async () => {
    const id = generated.marketId;
    const object = generated.objectName;
    const [badAt, atBody] = await get(api, bookUrl(id, object, 'soon'));
    expect(badAt).toBe(400);
    expect(atBody.detail).toMatch(/at: "soon" is not a moment.*-600s.*"off".*"close"/);
    const [badId, idBody] = await get(api, bookUrl('abc', object, 'off'));
    expect(badId).toBe(400);
    expect(idBody.detail).toMatch(/marketId: must be a Betfair market id.*1\.197931750/);
    const [badBucket, bucketBody] = await get(api, bookUrl(id, object, 'off', 'Bad_Bucket!'));
    expect(badBucket).toBe(400);
    expect(bucketBody.code).toBe('BUCKET.INVALID_NAME');
    const [noObject, objectBody] = await get(api, `api/markets/${id}/book?bucket=${BUCKET}&at=off`);
    expect(noObject).toBe(400);
    expect(objectBody.detail).toMatch(
      /object: give bucket and object together \(object: .*\.bz2 \(\.bz2, NDJSON, \.gz\)\), or neither/,
    );
    const [noBucket, noBucketBody] = await get(
      api,
      `api/markets/${id}/book?object=${object}&at=off`,
    );
    expect(noBucket).toBe(400);
    expect(noBucketBody.detail).toMatch(/bucket: give bucket and object together/);
    const [badObject, badObjectBody] = await get(api, bookUrl(id, 'a/../b', 'off'));
    expect(badObject).toBe(400);
    expect(badObjectBody.code).toBe('OBJECT.INVALID_NAME');
  });

  it('is 400 naming the object when it does not decode', async () => {
    await store.write(BUCKET, 'broken.bz2', Readable.from([Buffer.from('not bzip2 at all')]));
    const [status, body] = await get(api, bookUrl(generated.marketId, 'broken.bz2', 'off'));
    expect(status).toBe(400);
    expect(body.code).toBe('BZ2.NOT_BZIP2');
    expect(body.detail).toContain(`${BUCKET}/broken.bz2`);
  });
});

describe('the market API without bucket and object, through the markets index', () => {
  it('is 404 MARKET.NOT_INDEXED, saying how to index the market, before any job read its file', async () => {
    const [status, body] = await get(api, 'api/markets/1.123456789/book?at=off');
    expect(status).toBe(404);
    expect(body).toEqual({
      code: 'MARKET.NOT_INDEXED',
      detail:
        'Market 1.123456789 is not in the markets index: run a job over its file (every job ' +
        'indexes the markets of the files it reads), or give bucket and object',
    });
    const [timeline, timelineBody] = await get(api, 'api/markets/1.123456789/timeline');
    expect([timeline, timelineBody.code]).toEqual([404, 'MARKET.NOT_INDEXED']);
  });

  it('answers book and timeline from the indexed file as it does given bucket and object', async () => {
    const generation = (await store.stat(BUCKET, generated.objectName)).generation;
    const source = { bucket: BUCKET, name: generated.objectName, generation };
    const definition = JSON.parse(generatedLines[0]!) as {
      mc: { id: string; marketDefinition: Record<string, unknown> }[];
    };
    const { id, marketDefinition } = definition.mc[0]!;
    await marketIndex.record(
      indexedMarket('job-1', source, { marketId: id, definition: marketDefinition }),
    );
    for (const at of ['-60s', 'close']) {
      const [status, looked] = await get(api, `api/markets/${id}/book?at=${at}`);
      expect(status, JSON.stringify(looked)).toBe(200);
      expect(looked).toEqual((await get(api, bookUrl(id, generated.objectName, at)))[1]);
    }
    const [status, timeline] = await get(api, `api/markets/${id}/timeline?every=30s`);
    expect(status).toBe(200);
    expect(timeline).toEqual(
      (await get(api, timelineUrl(id, generated.objectName, { every: '30s' })))[1],
    );
  });

  it('lists indexed markets matching every given field, by market id, at most limit', async () => {
    const entry = (marketId: string, fields: Record<string, string>) =>
      indexedMarket(
        'job-2',
        { bucket: BUCKET, name: `list/${marketId}.bz2`, generation: '1' },
        {
          marketId,
          definition: { eventId: '1', marketTime: '2022-04-20T14:00:00.000Z', ...fields },
        },
      );
    await marketIndex.record(entry('9.3', { venue: 'Ascot', marketType: 'WIN' }));
    await marketIndex.record(entry('9.1', { venue: 'Ascot', marketType: 'PLACE' }));
    await marketIndex.record(entry('9.2', { venue: 'Ascot', marketType: 'WIN' }));
    await marketIndex.record(entry('9.4', { venue: 'Ayr', marketType: 'WIN' }));
    const ids = async (query: string) => {
      const [status, body] = await get(api, `api/markets?${query}`);
      expect(status, JSON.stringify(body)).toBe(200);
      return (body.markets as { marketId: string }[]).map((m) => m.marketId);
    };
    expect(await ids('venue=Ascot&marketType=WIN')).toEqual(['9.2', '9.3']);
    const limited = await ids('venue=Ascot&limit=2');
    expect(limited).toHaveLength(2);
    expect(limited).toEqual([...limited].sort());
    expect(['9.1', '9.2', '9.3']).toEqual(expect.arrayContaining(limited));
    expect(await ids('date=2022-04-20&eventId=1')).toEqual(['9.1', '9.2', '9.3', '9.4']);
    const [, body] = await get(api, 'api/markets?venue=Ayr');
    expect(body.markets).toEqual([
      {
        marketId: '9.4',
        eventId: '1',
        eventName: null,
        eventTypeId: null,
        venue: 'Ayr',
        countryCode: null,
        marketType: 'WIN',
        marketTime: '2022-04-20T14:00:00.000Z',
        date: '2022-04-20',
        bucket: BUCKET,
        object: 'list/9.4.bz2',
        generation: '1',
        jobId: 'job-2',
      },
    ]);
  });

  it('refuses an unknown parameter, a bad date and a bad limit with 400s that say what is allowed', async () => {
    const refused = async (query: string) => {
      const [status, body] = await get(api, `api/markets?${query}`);
      expect(status).toBe(400);
      return body.detail as string;
    };
    expect(await refused('country=GB')).toMatch(
      /unknown parameter country; allowed: eventId, venue/,
    );
    expect(await refused('date=19/04/2022')).toMatch(/date: must be a day such as 2022-04-19/);
    expect(await refused('limit=0')).toMatch(/limit: must be a whole number from 1 to 1000/);
  });
});

describe('GET /api/markets/{marketId}/timeline on a generated file', () => {
  it('samples every 5 s from -600s to close, each sample the book at its time', async () => {
    const [status, body] = await get(api, timelineUrl(generated.marketId, generated.objectName));
    expect(status, JSON.stringify(body)).toBe(200);
    const samples = body.samples as {
      time: string;
      publishTime: number;
      runners: {
        selectionId: number;
        ltp: unknown;
        back: unknown;
        lay: unknown;
        tradedVolume: number;
      }[];
    }[];
    expect(samples.length).toBeGreaterThan(10);
    const marketTime = marketTimeOf(generatedLines);
    const closeCount = linesAt(generatedLines, 'close', marketTime);
    const closePt = (JSON.parse(generatedLines[closeCount - 1] as string) as RawLine).pt;
    expect(body.to).toEqual({ moment: 'close', time: new Date(closePt).toISOString() });
    const times = samples.map((sample) => Date.parse(sample.time));
    for (let i = 1; i < times.length; i++) expect((times[i] ?? 0) - (times[i - 1] ?? 0)).toBe(5000);
    expect((times[0] ?? 0) - (marketTime - 600_000)).toBe(0);
    expect(times.at(-1)).toBeLessThanOrEqual(closePt);
    expect(times.at(-1)).toBeGreaterThan(closePt - 5000);
    for (const sample of samples) {
      const count = linesAt(generatedLines, sample.time, marketTime);
      const book = bookAfter(generatedLines, count) as {
        publishTime: number;
        runners: {
          selectionId: number;
          lastPriceTraded?: number;
          totalMatched: number;
          ex: { availableToBack: { price: number }[]; availableToLay: { price: number }[] };
        }[];
      };
      expect(sample.publishTime).toBe(book.publishTime);
      expect(sample.runners).toEqual(
        book.runners.map((runner) => ({
          selectionId: runner.selectionId,
          handicap: 0,
          ltp: runner.lastPriceTraded ?? null,
          back: runner.ex.availableToBack[0]?.price ?? null,
          lay: runner.ex.availableToLay[0]?.price ?? null,
          tradedVolume: runner.totalMatched,
        })),
      );
    }
  });

  it('says where the first book falls when no sample time holds a book', async () => {
    const firstPt = (JSON.parse(generatedLines[0] as string) as RawLine).pt;
    const at = (offsetMs: number) => new Date(firstPt + offsetMs).toISOString();
    const url = (extra: Record<string, string>) =>
      timelineUrl(generated.marketId, generated.objectName, extra);
    // One sample time, 30 s before the first book; the next would fall after `to`.
    const [between, betweenBody] = await get(
      api,
      url({ from: at(-30_000), to: at(10_000), every: '60s' }),
    );
    expect([between, betweenBody.code]).toEqual([404, 'MARKET.NO_BOOK']);
    expect(betweenBody.detail).toContain(
      `its first book (${new Date(firstPt).toISOString()}) comes after the last sample time`,
    );
    const [before, beforeBody] = await get(
      api,
      url({ from: at(-60_000), to: at(-10_000), every: '10s' }),
    );
    expect([before, beforeBody.code]).toEqual([404, 'MARKET.NO_BOOK']);
    expect(beforeBody.detail).toMatch(/its first book comes later$/);
  });

  it('validates every, from and to with 400s that say what is allowed', async () => {
    const url = (extra: Record<string, string>) =>
      timelineUrl(generated.marketId, generated.objectName, extra);
    const [fast, fastBody] = await get(api, url({ every: '500ms' }));
    expect(fast).toBe(400);
    expect(fastBody.detail).toMatch(/every: "500ms" is not an interval of at least 1s.*2000/);
    const [many, manyBody] = await get(api, url({ every: '1s', from: '-600s', to: '+3600s' }));
    expect(many).toBe(400);
    expect(manyBody.code).toBe('TIMELINE.TOO_MANY_SAMPLES');
    expect(manyBody.detail).toMatch(/4201 samples; at most 2000/);
    const [back, backBody] = await get(api, url({ from: '+60s', to: '-60s' }));
    expect(back).toBe(400);
    expect(backBody.code).toBe('TIMELINE.INVALID_RANGE');
    const [close, closeBody] = await get(api, url({ from: 'close' }));
    expect(close).toBe(400);
    expect(closeBody.detail).toMatch(/"close" cannot start a timeline/);
    const [badTo, badToBody] = await get(api, url({ to: 'later' }));
    expect(badTo).toBe(400);
    expect(badToBody.detail).toMatch(/to: "later" is not a moment/);
  });
});

describeWithSamples('the market API on the real PRO samples', () => {
  let cricketLines: string[];

  beforeAll(async () => {
    for (const object of [CRICKET, GREYHOUND]) {
      const bytes = readFileSync(path.join(HISTORIC_SAMPLES_DIR, object));
      await store.write(BUCKET, object, Readable.from([bytes]));
    }
    const bytes = readFileSync(path.join(HISTORIC_SAMPLES_DIR, CRICKET));
    cricketLines = ndjsonLines(bzip2Dc(bytes).toString('utf8'));
  });

  it.each(['-60s', 'off', 'close'])(
    'answers %s for the PRO cricket market as renderMarketBook at the same moment',
    async (at) => {
      const [status, body] = await get(api, bookUrl('1.200806927', CRICKET, at));
      expect(status, JSON.stringify(body)).toBe(200);
      const count = linesAt(cricketLines, at, marketTimeOf(cricketLines));
      const { moment, momentTime, ...book } = body;
      expect(moment).toBe(at);
      expect(momentTime).toMatch(/^2022-07-/);
      expect(book).toEqual(bookAfter(cricketLines, count));
      expect(book.inplay).toBe(at !== '-60s');
      expect(book.status).toBe('OPEN');
    },
  );

  it('stops reading once -60s and off are known, and for close once the market is CLOSED', async () => {
    const plugins = createSourcePlugins({ decodeBz2: (source) => decodeBzip2(source) });
    const read = async (at: string) => {
      const bytes = await store.read(BUCKET, CRICKET);
      const lines = marketFileLines(bytes, CRICKET, plugins);
      return bookAtMoment(lines, '1.200806927', parseMoment(at));
    };
    for (const at of ['-60s', 'off']) {
      expect(await read(at)).toMatchObject({ found: 'book', stopped: true });
    }
    expect(await read('close')).toMatchObject({ found: 'book', book: { status: 'OPEN' } });
  });

  it('is 404 MARKET.NO_BOOK at off for the greyhound market, which never turned in play', async () => {
    const [status, body] = await get(api, bookUrl('1.197931750', GREYHOUND, 'off'));
    expect(status).toBe(404);
    expect(body.code).toBe('MARKET.NO_BOOK');
    expect(body.detail).toMatch(/never turned in play/);
    const [, timeline] = await get(api, timelineUrl('1.197931750', GREYHOUND, { to: 'off' }));
    expect(timeline.code).toBe('MARKET.NO_BOOK');
  });

  it('refuses, once the file says when close is, a cricket timeline of too many samples', async () => {
    const [status, body] = await get(api, timelineUrl('1.200806927', CRICKET, { every: '1s' }));
    expect(status).toBe(400);
    expect(body.code).toBe('TIMELINE.TOO_MANY_SAMPLES');
  });

  it('gives the greyhound market a timeline up to its close', async () => {
    const [status, body] = await get(
      api,
      timelineUrl('1.197931750', GREYHOUND, { every: '10s', from: '-300s', to: 'close' }),
    );
    expect(status, JSON.stringify(body)).toBe(200);
    const samples = body.samples as { runners: unknown[] }[];
    expect(samples.length).toBeGreaterThan(0);
    expect(samples.length).toBeLessThanOrEqual(31);
    expect((body.runners as unknown[]).length).toBe((samples[0]?.runners ?? []).length);
  });
});
