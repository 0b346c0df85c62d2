import type { Readable } from 'node:stream';
import { Router } from 'express';
import { z } from 'zod';
import type { PluginRegistry } from '../../engine/plugins/plugins.js';
import { bookAtMoment, type BookAtMoment } from '../../engine/stream/book-at-moment.js';
import { marketFileLines } from '../../engine/stream/market-file.js';
import { parseMoment, type Moment } from '../../engine/stream/moments.js';
import {
  marketTimeline,
  type Timeline,
  type TimelineFrom,
  type TimelineSample,
} from '../../engine/stream/timeline.js';
import { AppError, echo, toAppError } from '../../platform/errors.js';
import { parseInput } from '../../platform/http.js';
import { assertBucketName, type ObjectStore } from '../../platform/ports/object-store.js';
import type { IndexedMarket } from '../market-index.js';
import type { MarketIndex } from '../stores.js';

// A market at a moment, read from one market file in a bucket: its book at `at`, or a sampled
// series of its prices for a chart. The file is the one given as bucket + object, else the one
// the markets index names. Each request reads the file once, and stops reading as soon as the
// answer is known.

/** The most samples one timeline answers. */
export const MAX_TIMELINE_SAMPLES = 2000;

/** The shortest interval between timeline samples. */
export const MIN_TIMELINE_EVERY_MS = 1000;

const MARKET_ID = /^\d+\.\d+$/;
const DURATION = /^(\d+(?:\.\d+)?)(ms|s|m)$/;
const OBJECT_FORMS =
  "a market file's name, e.g. PRO/2022/Apr/19/1/1.197931750.bz2 (.bz2, NDJSON, .gz)";

export const marketParams = z.object({
  marketId: z
    .string()
    .regex(MARKET_ID, 'must be a Betfair market id: digits, a dot and digits, e.g. 1.197931750'),
});

/** The most markets one `GET /api/markets` lists. */
export const MAX_LISTED_MARKETS = 1000;

// parseInput cuts each zod message short, so the long lists of what is allowed (moments,
// intervals) are refused by the converters below, each naming its parameter.
const bucket = z
  .string({ error: 'must be the bucket holding the market file' })
  .min(1, 'must be the bucket holding the market file')
  .optional();
const object = z
  .string({ error: `must be ${OBJECT_FORMS}` })
  .min(1, `must be ${OBJECT_FORMS}`)
  .max(1024, 'at most 1024 characters')
  .optional();
const momentSpec = z.string({ error: 'required: a moment such as -60s, off or close' });

export const bookQuery = z.object({ bucket, object, at: momentSpec });

export const timelineQuery = z.object({
  bucket,
  object,
  every: z.string({ error: 'must be an interval such as 5s' }).default('5s'),
  from: momentSpec.default('-600s'),
  to: momentSpec.default('close'),
});

/** A moment parameter; STREAM.BAD_MOMENT, naming it and every allowed form, when it is none. */
function momentParam(name: string, spec: string): Moment {
  try {
    return parseMoment(spec);
  } catch (error) {
    const message = `Invalid query: ${name}: ${(error as Error).message}`;
    throw new AppError('STREAM.BAD_MOMENT', 'invalid', message, { cause: error });
  }
}

/** `every`: a duration of at least MIN_TIMELINE_EVERY_MS. */
function everyParam(spec: string): { label: string; ms: number } {
  const [, amount = '', unit = ''] = DURATION.exec(spec.trim()) ?? [];
  const ms = Number(amount) * (unit === 'm' ? 60_000 : unit === 's' ? 1000 : 1);
  if (amount !== '' && ms >= MIN_TIMELINE_EVERY_MS) return { label: spec.trim(), ms };
  const message =
    `Invalid query: every: "${echo(spec)}" is not an interval of at least 1s: use seconds, ` +
    `minutes or milliseconds (5s, 1m, 1500ms), for at most ${MAX_TIMELINE_SAMPLES} samples`;
  throw new AppError('REQUEST.INVALID', 'invalid', message);
}

/** `from`: any moment but `close`, which is known only at the end of the stream. */
function fromParam(spec: string): TimelineFrom {
  const moment = momentParam('from', spec);
  if (moment.kind !== 'close') return moment;
  const message =
    'Invalid query: from: "close" cannot start a timeline (it is known only at the end of the ' +
    'stream): use an ISO time, an offset from the scheduled off (-600s, -1m) or "off"';
  throw new AppError('REQUEST.INVALID', 'invalid', message);
}

const listField = (what: string) => z.string().trim().min(1, `must be ${what}`).max(200).optional();

export const marketListQuery = z.strictObject(
  {
    eventId: listField('a Betfair event id'),
    venue: listField('a venue as Betfair spells it, e.g. Cheltenham'),
    date: z
      .string()
      .regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a day such as 2022-04-19 (UTC day of the off)')
      .optional(),
    marketType: listField('a market type such as WIN or PLACE'),
    limit: z.coerce
      .number({ error: `must be a whole number from 1 to ${MAX_LISTED_MARKETS}` })
      .int(`must be a whole number from 1 to ${MAX_LISTED_MARKETS}`)
      .min(1, `must be a whole number from 1 to ${MAX_LISTED_MARKETS}`)
      .max(MAX_LISTED_MARKETS, `must be a whole number from 1 to ${MAX_LISTED_MARKETS}`)
      .default(100),
  },
  {
    error: (issue) =>
      issue.code === 'unrecognized_keys'
        ? `unknown parameter ${issue.keys.join(', ')}; allowed: eventId, venue, date, marketType, limit`
        : undefined,
  },
);

/** The market file a request reads. */
interface MarketFile {
  bucket: string;
  object: string;
}

/** A market's lines as a request reads them, and where they are, for messages. */
export interface MarketLines {
  /** `bucket/object`, or whatever else names the lines' place. */
  where: string;
  lines: AsyncIterable<Buffer>;
  /** Stops reading (called once the answer is known). */
  close(): void;
}

/** Opens the lines a request names: `given` is its bucket and object, if it gave them. */
export type MarketLinesSource = (
  marketId: string,
  given: { bucket?: string | undefined; object?: string | undefined },
) => Promise<MarketLines>;

interface BookQuery {
  at: Moment;
}

interface TimelineQuery {
  every: { label: string; ms: number };
  from: TimelineFrom;
  to: Moment;
}

/** What the market routes need. */
export interface MarketRoutesDeps {
  objectStore: ObjectStore;
  /** Decoders chosen by the object name's ending (.bz2, .gz). */
  plugins: PluginRegistry;
  /** Where a market's file is when the request names none. */
  marketIndex: MarketIndex;
}

/**
 * `GET /api/markets?eventId=&venue=&date=&marketType=&limit=`,
 * `GET /api/markets/:marketId/book?[bucket=&object=&]at=` and
 * `GET /api/markets/:marketId/timeline?[bucket=&object=&]every=5s&from=-600s&to=close`.
 */
export function marketRoutes(deps: MarketRoutesDeps): Router {
  return Router()
    .get('/api/markets', async (req, res) => {
      const { limit, ...filter } = parseInput(marketListQuery, req.query, 'query');
      const markets = await deps.marketIndex.list(filter, limit);
      res.json({ markets: markets.map(listedMarket) });
    })
    .use(
      marketReplayRoutes('/api/markets', async (marketId, given) =>
        openMarketFile(deps, await marketFile(deps, marketId, given)),
      ),
    );
}

/**
 * `GET <base>/:marketId/book?at=` and `GET <base>/:marketId/timeline?every=&from=&to=` over the
 * lines `source` opens: the market's book at a moment, or its prices sampled for a chart.
 */
export function marketReplayRoutes(base: string, source: MarketLinesSource): Router {
  return Router()
    .get(`${base}/:marketId/book`, async (req, res) => {
      const { marketId } = parseInput(marketParams, req.params, 'path');
      const input = parseInput(bookQuery, req.query, 'query');
      const query = { at: momentParam('at', input.at) };
      const opened = await source(marketId, input);
      const found = await replayMarket(opened, (lines) => bookAtMoment(lines, marketId, query.at));
      res.json(bookAnswer(found, marketId, opened.where, query));
    })
    .get(`${base}/:marketId/timeline`, async (req, res) => {
      const { marketId } = parseInput(marketParams, req.params, 'path');
      const input = parseInput(timelineQuery, req.query, 'query');
      const query = {
        ...input,
        every: everyParam(input.every),
        from: fromParam(input.from),
        to: momentParam('to', input.to),
      };
      const from = query.from;
      checkFixedSpan(from, query.to, query.every.ms);
      const opened = await source(marketId, input);
      const options = { from, to: query.to, everyMs: query.every.ms };
      const found = await replayMarket(opened, (lines) =>
        marketTimeline(lines, marketId, { ...options, maxSamples: MAX_TIMELINE_SAMPLES }),
      );
      res.json(timelineAnswer(found, marketId, opened.where, query));
    });
}

/** An index entry as `GET /api/markets` lists it. */
function listedMarket(market: IndexedMarket): Record<string, unknown> {
  const { marketId, bucket, object, generation, jobId, ...definition } = market;
  return { marketId, ...definition, bucket, object, generation, jobId };
}

/**
 * The file to read: bucket + object as given, else the markets index's entry for the market;
 * MARKET.NOT_INDEXED when there is none.
 */
async function marketFile(
  deps: MarketRoutesDeps,
  marketId: string,
  given: { bucket?: string | undefined; object?: string | undefined },
): Promise<MarketFile> {
  const { bucket, object } = given;
  if (bucket !== undefined && object !== undefined) return { bucket, object };
  if (bucket !== undefined || object !== undefined) {
    const missing = bucket === undefined ? 'bucket' : 'object';
    const message =
      `Invalid query: ${missing}: give bucket and object together (object: ${OBJECT_FORMS}), ` +
      'or neither to find the market through the markets index';
    throw new AppError('REQUEST.INVALID', 'invalid', message);
  }
  const indexed = await deps.marketIndex.find(marketId);
  if (indexed !== undefined) return { bucket: indexed.bucket, object: indexed.object };
  const message =
    `Market ${marketId} is not in the markets index: run a job over its file (every job ` +
    'indexes the markets of the files it reads), or give bucket and object';
  throw new AppError('MARKET.NOT_INDEXED', 'not_found', message);
}

/** The named object's lines, decoded by its name's ending. */
async function openMarketFile(deps: MarketRoutesDeps, file: MarketFile): Promise<MarketLines> {
  assertBucketName(file.bucket);
  const bytes: Readable = await deps.objectStore.read(file.bucket, file.object);
  return {
    where: `${file.bucket}/${file.object}`,
    lines: marketFileLines(bytes, file.object, deps.plugins),
    close: () => bytes.destroy(),
  };
}

/** Hands the lines to `replay`; the rest of them are never read. */
async function replayMarket<T>(
  opened: MarketLines,
  replay: (lines: AsyncIterable<Buffer>) => Promise<T>,
): Promise<T> {
  try {
    return await replay(opened.lines);
  } catch (error) {
    const appError = toAppError(error);
    // Lines that do not decode are the named file's fault, not the server's.
    if (appError.kind !== 'internal') {
      const message = `${opened.where}: ${appError.message}`;
      throw new AppError(appError.code, appError.kind, message, { cause: error });
    }
    throw error;
  } finally {
    opened.close();
  }
}

function iso(epochMs: number): string {
  return new Date(epochMs).toISOString();
}

function notInFile(marketId: string, where: string): AppError {
  const message = `Market ${marketId} is not in ${where}`;
  return new AppError('MARKET.NOT_IN_FILE', 'not_found', message);
}

function noBook(marketId: string, why: string): AppError {
  return new AppError('MARKET.NO_BOOK', 'not_found', `No book of market ${marketId} ${why}`);
}

/** Why a moment never came: `off` and `close` need the market in play, or OPEN. */
function neverHappened(moment: Moment): string {
  return moment.kind === 'off'
    ? 'the market never turned in play, so it has no "off"'
    : 'the market was never OPEN, so it has no "close"';
}

function bookAnswer(
  found: BookAtMoment,
  marketId: string,
  file: string,
  query: BookQuery,
): Record<string, unknown> {
  const moment = query.at;
  if (found.found === 'no-market') throw notInFile(marketId, file);
  if (found.found === 'no-book') {
    if (moment.kind === 'off' || moment.kind === 'close') {
      throw noBook(marketId, `at ${moment.label}: ${neverHappened(moment)}`);
    }
    const first =
      found.firstBookMs === undefined
        ? 'the file holds no market definition for it'
        : `its first book is at ${iso(found.firstBookMs)}`;
    throw noBook(marketId, `at or before ${moment.label}: ${first}`);
  }
  return { ...found.book, moment: moment.label, momentTime: iso(found.momentMs) };
}

/**
 * Refuses, before reading, a span whose ends are both times or both offsets and that runs
 * backwards or holds too many samples; other spans are checked once the file says when they are.
 */
function checkFixedSpan(from: TimelineFrom, to: Moment, everyMs: number): void {
  const ends =
    from.kind === 'time' && to.kind === 'time'
      ? [from.epochMs, to.epochMs]
      : from.kind === 'offset' && to.kind === 'offset'
        ? [from.offsetMs, to.offsetMs]
        : undefined;
  if (ends === undefined) return;
  const [start = 0, end = 0] = ends;
  if (start > end) throw reversed(from.label, to.label);
  const count = Math.floor((end - start) / everyMs) + 1;
  if (count > MAX_TIMELINE_SAMPLES) throw tooMany(from.label, to.label, everyMs, count);
}

function reversed(from: string, to: string): AppError {
  const message = `from (${from}) is after to (${to}): a timeline runs forwards`;
  return new AppError('TIMELINE.INVALID_RANGE', 'invalid', message);
}

function tooMany(from: string, to: string, everyMs: number, count: number): AppError {
  const message =
    `from ${from} to ${to} every ${everyMs / 1000}s is ${count} samples; at most ` +
    `${MAX_TIMELINE_SAMPLES}: use a larger every (every >= 1s) or a shorter span`;
  return new AppError('TIMELINE.TOO_MANY_SAMPLES', 'invalid', message);
}

function timelineAnswer(
  found: Timeline,
  marketId: string,
  file: string,
  query: TimelineQuery,
): Record<string, unknown> {
  const { from, to } = query;
  switch (found.found) {
    case 'no-market':
      throw notInFile(marketId, file);
    case 'no-moment': {
      const moment = found.which === 'from' ? from : to;
      throw noBook(
        marketId,
        `for a timeline ${found.which} ${moment.label}: ${neverHappened(moment)}`,
      );
    }
    case 'reversed':
      throw reversed(`${from.label}, ${iso(found.fromMs)}`, `${to.label}, ${iso(found.toMs)}`);
    case 'too-many':
      throw tooMany(from.label, to.label, query.every.ms, found.count);
    case 'no-book': {
      const span = `from ${from.label} (${iso(found.fromMs)}) to ${to.label} (${iso(found.toMs)})`;
      const first = found.firstBookMs;
      throw noBook(
        marketId,
        first !== undefined && first <= found.toMs
          ? `${span} every ${query.every.label}: its first book (${iso(first)}) comes after ` +
              'the last sample time; use a smaller every, or a from at or after its first book'
          : `${span}: its first book comes later`,
      );
    }
    case 'samples':
      return {
        marketId,
        from: { moment: from.label, time: iso(found.fromMs) },
        to: { moment: to.label, time: iso(found.toMs) },
        every: query.every.label,
        everyMs: query.every.ms,
        runners: found.runners,
        samples: found.samples.map(sampleAnswer),
      };
  }
}

function sampleAnswer(sample: TimelineSample): Record<string, unknown> {
  return { ...sample, time: iso(sample.time) };
}
