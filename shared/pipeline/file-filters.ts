import { z } from 'zod';
import type { SourcePlugin } from '../engine/plugins/plugins.js';
import { chunkLines } from '../engine/stream/chunk-lines.js';

const DAY = /^\d{4}-\d{2}-\d{2}$/;
const names = (what: string) =>
  z
    .array(z.string().trim().min(1, `${what} must not be empty`).max(200))
    .min(1, `list at least one ${what}, or leave the filter out`)
    .max(1000)
    .optional();

/**
 * Which files a job keeps, read from each file's first market definition: every listed
 * filter must match (a list matches any of its values, case-insensitively), and the market's
 * scheduled start (its UTC day) must fall within `dateFrom`..`dateTo`, both inclusive.
 */
export const fileFiltersSchema = z
  .strictObject(
    {
      marketTypes: names('market type (WIN, PLACE, …)'),
      countries: names('country code (GB, IE, …)'),
      venues: names('venue'),
      eventTypes: names('event type id (7 horse racing, 4339 greyhound racing, …)'),
      dateFrom: z.string().regex(DAY, 'must be a day such as 2022-04-19').optional(),
      dateTo: z.string().regex(DAY, 'must be a day such as 2022-04-19').optional(),
    },
    {
      error: (issue) =>
        issue.code === 'unrecognized_keys'
          ? `unknown filter ${issue.keys.join(', ')}; allowed: marketTypes, countries, venues, eventTypes, dateFrom, dateTo`
          : undefined,
    },
  )
  .refine((f) => f.dateFrom === undefined || f.dateTo === undefined || f.dateFrom <= f.dateTo, {
    message: 'dateFrom must not be after dateTo',
    path: ['dateTo'],
  });

export type FileFilters = z.output<typeof fileFiltersSchema>;

/** The fields of a market definition the filters and the markets index read. */
export interface FileDefinition {
  marketType?: unknown;
  countryCode?: unknown;
  venue?: unknown;
  eventTypeId?: unknown;
  eventId?: unknown;
  eventName?: unknown;
  marketTime?: unknown;
}

/** A file's first market: its id and its first definition. */
export interface FirstMarket {
  marketId: string;
  definition: FileDefinition;
}

/**
 * Why a market definition fails the filters, naming the first filter it fails and the value
 * that did not match (`marketType WIN not in [PLACE]`); undefined when it passes them all.
 */
export function filterMismatch(
  definition: FileDefinition | undefined,
  filters: FileFilters,
): string | undefined {
  if (definition === undefined) return 'the file holds no market definition';
  const lists: [string, string[] | undefined, unknown][] = [
    ['marketType', filters.marketTypes, definition.marketType],
    ['countryCode', filters.countries, definition.countryCode],
    ['venue', filters.venues, definition.venue],
    ['eventTypeId', filters.eventTypes, definition.eventTypeId],
  ];
  for (const [field, values, value] of lists) {
    const text = textOf(value);
    if (values === undefined || values.some((v) => v.toLowerCase() === text.toLowerCase())) {
      continue;
    }
    return `${field} ${text === '' ? '(none)' : text} not in [${values.join(', ')}]`;
  }
  const day = typeof definition.marketTime === 'string' ? definition.marketTime.slice(0, 10) : '';
  const { dateFrom, dateTo } = filters;
  if ((dateFrom !== undefined || dateTo !== undefined) && day === '') {
    return 'marketTime (none) outside the date range';
  }
  if (dateFrom !== undefined && day < dateFrom)
    return `marketTime day ${day} before dateFrom ${dateFrom}`;
  if (dateTo !== undefined && day > dateTo) return `marketTime day ${day} after dateTo ${dateTo}`;
  return undefined;
}

/** A definition field as text: strings as they are, numbers (an event type id) as digits. */
export function textOf(value: unknown): string {
  return typeof value === 'string' || typeof value === 'number' ? String(value) : '';
}

/**
 * The first market in a file's decoded bytes: the first `mcm` change with a `marketDefinition`,
 * read as far as needed and no further (stopping stops the decoding). Lines that are not JSON
 * are passed over; a file without one gives undefined.
 */
export async function firstMarket(
  decoded: AsyncIterable<Uint8Array>,
): Promise<FirstMarket | undefined> {
  for await (const line of chunkLines(decoded)) {
    const found = firstMarketOfLine(line);
    if (found !== undefined) return found;
  }
  return undefined;
}

/** How far into a file's decoded bytes watchFirstMarket looks: Betfair's first line holds it. */
export const WATCHED_BYTES = 8 * 1024 * 1024;

/**
 * The decoded bytes unchanged, watched for the first market on the way: `found()` gives it once
 * the bytes that hold it have passed. Only the lines before it, within the first WATCHED_BYTES,
 * are looked at.
 */
function watchFirstMarket(decoded: AsyncIterable<Buffer>): {
  bytes: AsyncIterable<Buffer>;
  found(): FirstMarket | undefined;
} {
  let found: FirstMarket | undefined;
  async function* watched(): AsyncGenerator<Buffer> {
    let carry: Buffer | undefined;
    let seen = 0;
    for await (const chunk of decoded) {
      seen += chunk.length;
      if (found === undefined && seen - chunk.length < WATCHED_BYTES) {
        const text = carry === undefined ? chunk : Buffer.concat([carry, chunk]);
        carry = undefined;
        let start = 0;
        for (
          let end = text.indexOf(10);
          end >= 0 && found === undefined;
          end = text.indexOf(10, start)
        ) {
          found = firstMarketOfLine(text.subarray(start, end));
          start = end + 1;
        }
        if (found === undefined && start < text.length) carry = Buffer.from(text.subarray(start));
      }
      yield chunk;
    }
    if (found === undefined && carry !== undefined) found = firstMarketOfLine(carry);
  }
  return { bytes: watched(), found: () => found };
}

/** The plugin, its decoded bytes watched for the file's first market as they pass. */
export function watchingPlugin(plugin: SourcePlugin): {
  plugin: SourcePlugin;
  first(): FirstMarket | undefined;
} {
  let watch: ReturnType<typeof watchFirstMarket> | undefined;
  const decoder = (input: AsyncIterable<Buffer>) => {
    watch = watchFirstMarket(plugin.decoder(input));
    return watch.bytes;
  };
  return { plugin: { ...plugin, decoder }, first: () => watch?.found() };
}

function firstMarketOfLine(line: Buffer): FirstMarket | undefined {
  if (line.length === 0 || line.indexOf('marketDefinition') < 0) return undefined;
  let message: unknown;
  try {
    message = JSON.parse(line.toString('utf8'));
  } catch {
    return undefined;
  }
  const changes = (message as { op?: unknown; mc?: unknown }).mc;
  if ((message as { op?: unknown }).op !== 'mcm' || !Array.isArray(changes)) return undefined;
  for (const change of changes as { id?: unknown; marketDefinition?: unknown }[]) {
    const definition = change?.marketDefinition;
    if (typeof change?.id === 'string' && definition !== null && typeof definition === 'object') {
      return { marketId: change.id, definition };
    }
  }
  return undefined;
}
