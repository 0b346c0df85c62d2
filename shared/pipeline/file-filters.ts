import { z } from 'zod';
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

/** The fields of a market definition the filters read. */
interface FilteredDefinition {
  marketType?: unknown;
  countryCode?: unknown;
  venue?: unknown;
  eventTypeId?: unknown;
  marketTime?: unknown;
}

/** Whether a market definition passes the filters; no definition passes none. */
export function matchesFilters(
  definition: FilteredDefinition | undefined,
  filters: FileFilters,
): boolean {
  if (definition === undefined) return false;
  const listed = (values: string[] | undefined, value: unknown) =>
    values === undefined || values.some((v) => v.toLowerCase() === textOf(value).toLowerCase());
  const day = typeof definition.marketTime === 'string' ? definition.marketTime.slice(0, 10) : '';
  return (
    listed(filters.marketTypes, definition.marketType) &&
    listed(filters.countries, definition.countryCode) &&
    listed(filters.venues, definition.venue) &&
    listed(filters.eventTypes, definition.eventTypeId) &&
    (filters.dateFrom === undefined || (day !== '' && day >= filters.dateFrom)) &&
    (filters.dateTo === undefined || (day !== '' && day <= filters.dateTo))
  );
}

/** A definition field as text: strings as they are, numbers (an event type id) as digits. */
function textOf(value: unknown): string {
  return typeof value === 'string' || typeof value === 'number' ? String(value) : '';
}

/**
 * The first market definition in a file's decoded bytes: the first `mcm` line with a
 * `marketDefinition`, read as far as needed and no further (stopping stops the decoding).
 * Lines that are not JSON are passed over; a file without one gives undefined.
 */
export async function firstMarketDefinition(
  decoded: AsyncIterable<Uint8Array>,
): Promise<FilteredDefinition | undefined> {
  for await (const line of chunkLines(decoded)) {
    if (line.length === 0 || line.indexOf('marketDefinition') < 0) continue;
    let message: unknown;
    try {
      message = JSON.parse(line.toString('utf8'));
    } catch {
      continue;
    }
    const changes = (message as { op?: unknown; mc?: unknown }).mc;
    if ((message as { op?: unknown }).op !== 'mcm' || !Array.isArray(changes)) continue;
    for (const change of changes as { marketDefinition?: unknown }[]) {
      const definition = change?.marketDefinition;
      if (definition !== null && typeof definition === 'object') {
        return definition;
      }
    }
  }
  return undefined;
}
