import { Readable } from 'node:stream';
import type { MarketBook, MarketCatalogue } from '../../../betfair/market-schemas.js';
import { BETFAIR_MONTHS } from '../../../betfair/vocabulary.js';
import { gzipBytes } from '../../../engine/gzip.js';
import type { MarketChange } from '../../../engine/stream/stream-message.js';
import { hasCode } from '../../../platform/errors.js';
import type { ObjectStore } from '../../../platform/ports/object-store.js';
import { readJsonObject } from '../../../platform/ports/object-store.js';
import { writeObject } from '../files.js';
import { marketDelta } from './mcm-delta.js';
import { marketImage, type PolledPrices } from './mcm-image.js';

// One market's stream file while it is open is a chain of part objects, one per poll in which
// the market changed: `<base>/stream-open/<marketId>/<seq>.json`, each holding its `mcm` line
// and the full image after it. Part n + 1 is created only if absent (ifGenerationMatch: 0), so
// of two polls that computed a change from part n, exactly one appends it; the other reads the
// winner's part and computes its change from there. At the close the parts are joined in seq
// order, gzipped and created, once, as `<base>/stream/YYYY/Mon/D/<eventId>/<marketId>.gz`.

/** Where the recorder's files go. */
export interface StreamTarget {
  store: ObjectStore;
  bucket: string;
  basePath: string;
}

/** The last part appended for a market: its number, its poll time and the image after it. */
export interface StreamHead {
  seq: number;
  pt: number;
  image: MarketChange;
}

/** One part object: the line appended and the image it leaves. */
interface StreamPart extends StreamHead {
  line: string;
}

const SEQ_DIGITS = 6;
/** Attempts at finding the next free part before giving up on this poll's change. */
const MAX_APPEND_ATTEMPTS = 8;

/** The folder of a market's open parts. */
export function openPrefix(basePath: string, marketId: string): string {
  return `${basePath}/stream-open/${marketId}/`;
}

function partName(basePath: string, marketId: string, seq: number): string {
  return `${openPrefix(basePath, marketId)}${String(seq).padStart(SEQ_DIGITS, '0')}.json`;
}

/**
 * The vendor-like name of a closed market's file, from its definition: the UTC day of its
 * market time (else of `pt`) and its event id.
 */
export function closedStreamName(
  basePath: string,
  marketId: string,
  image: MarketChange,
  pt: number,
): string {
  const definition = image.marketDefinition;
  const time = Date.parse(definition?.marketTime ?? '');
  const day = new Date(Number.isFinite(time) ? time : pt);
  const month = BETFAIR_MONTHS[day.getUTCMonth()] as string;
  const folder = `${day.getUTCFullYear()}/${month}/${day.getUTCDate()}`;
  return `${basePath}/stream/${folder}/${definition?.eventId ?? 'unknown'}/${marketId}.gz`;
}

/** One poll's book of a market, and what the recorder knows of its stream so far. */
export interface PolledMarket {
  book: MarketBook;
  catalogue: MarketCatalogue | undefined;
  prices: PolledPrices;
  /** The poll time, the line's `pt`. */
  pt: number;
  /** The head this invocation appended last, when it has one in memory. */
  head: StreamHead | undefined;
  /** The last part number the market list records (0: none). */
  seqHint: number;
}

/** The head after an append, and whether this call wrote a line. */
export interface Appended {
  head: StreamHead | undefined;
  appended: boolean;
}

/**
 * Appends the market's change since its last part, or its full image at first sight. Nothing
 * is written when nothing changed, or when a part with a later or equal `pt` is already there
 * (another poll got further: this older book is not written).
 */
export async function appendBook(target: StreamTarget, polled: PolledMarket): Promise<Appended> {
  const { book, pt } = polled;
  let head = polled.head ?? (await readPart(target, book.marketId, polled.seqHint));
  let seq = head?.seq ?? polled.seqHint;
  for (let attempt = 0; attempt < MAX_APPEND_ATTEMPTS; attempt++) {
    if (head !== undefined && head.pt >= pt) return { head, appended: false };
    const image = marketImage(book, polled.catalogue, polled.prices, head?.image);
    const change = head === undefined ? 'image' : marketDelta(head.image, image);
    if (change === undefined) return { head, appended: false };
    const next = seq + 1;
    const line = JSON.stringify({
      op: 'mcm',
      clk: String(next),
      pt,
      mc: [change === 'image' ? image : change],
    });
    const part: StreamPart = { seq: next, pt, line, image };
    try {
      await writeObject(
        target.store,
        target.bucket,
        partName(target.basePath, book.marketId, next),
        Buffer.from(JSON.stringify(part)),
        'application/json',
        { ifNotExists: true },
      );
      return { head: { seq: next, pt, image }, appended: true };
    } catch (error) {
      if (!hasCode(error, 'OBJECT.ALREADY_EXISTS')) throw error;
      seq = next;
      head = await readPart(target, book.marketId, next);
    }
  }
  throw new Error(`No free stream part for ${book.marketId} after ${MAX_APPEND_ATTEMPTS} tries`);
}

async function readPart(
  target: StreamTarget,
  marketId: string,
  seq: number,
): Promise<StreamPart | undefined> {
  if (seq < 1) return undefined;
  const name = partName(target.basePath, marketId, seq);
  return (await readJsonObject(target.store, target.bucket, name)) as StreamPart | undefined;
}

/** What closing a market's stream did. */
export interface ClosedStream {
  /** The compressed file; undefined when the market has no parts (never recorded). */
  name?: string;
  /** False when another poll had already created it: nothing was written twice. */
  written: boolean;
  lines: number;
}

/**
 * Joins a market's parts in order into its gzipped stream file, created only if absent, then
 * removes the parts. Safe to repeat and to run beside another close of the same market: the
 * file is created once, and a close that finds it there (or its parts gone) only cleans up.
 */
export async function closeStream(target: StreamTarget, marketId: string): Promise<ClosedStream> {
  const { store, bucket, basePath } = target;
  const open = await readOpenParts(target, marketId);
  // Gone mid-read: a concurrent close filed the market and is removing its parts.
  if (open === undefined) return { written: false, lines: 0 };
  const last = open.parts.at(-1);
  if (last === undefined) return { written: false, lines: 0 };
  const name = closedStreamName(basePath, marketId, last.image, last.pt);
  const lines = open.parts.map((part) => Buffer.from(`${part.line}\n`));
  let written = true;
  try {
    await store.write(bucket, name, gzipBytes(Readable.from(lines)), {
      contentType: 'application/gzip',
      ifNotExists: true,
    });
  } catch (error) {
    if (!hasCode(error, 'OBJECT.ALREADY_EXISTS')) throw error;
    written = false;
  }
  await Promise.all(open.names.map((part) => store.delete(bucket, part)));
  return { name, written, lines: lines.length };
}

/**
 * The lines a market still open has so far, in order (its parts joined, as its file will hold
 * them); empty when it has no open parts, or when they went while being read (it was filed).
 */
export async function openStreamLines(target: StreamTarget, marketId: string): Promise<string[]> {
  const open = await readOpenParts(target, marketId);
  return open?.parts.map((part) => part.line) ?? [];
}

/** A market's open parts in order, with their object names; undefined if one went mid-read. */
async function readOpenParts(
  target: StreamTarget,
  marketId: string,
): Promise<{ names: string[]; parts: StreamPart[] } | undefined> {
  const { store, bucket, basePath } = target;
  const names: string[] = [];
  for await (const object of store.listAll(bucket, { prefix: openPrefix(basePath, marketId) })) {
    if (object.name.endsWith('.json')) names.push(object.name);
  }
  names.sort();
  const parts: StreamPart[] = [];
  for (const name of names) {
    const part = (await readJsonObject(store, bucket, name)) as StreamPart | undefined;
    if (part === undefined) return undefined;
    parts.push(part);
  }
  return { names, parts };
}
