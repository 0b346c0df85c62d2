import { z } from 'zod';
import { AppError, echo } from '../../platform/errors.js';

/**
 * A moment of a market at which a book is wanted:
 * - `time`: an absolute instant (ISO 8601 with a zone, e.g. `2022-04-19T11:59:00Z`);
 * - `offset`: seconds or minutes from the scheduled off (`marketTime`), e.g. `-600s`, `-1m`, `+30s`;
 * - `off`: the first in-play update;
 * - `close`: the last OPEN book, before the suspension that precedes the close.
 * The book at a `time` or `offset` is the book as of the last update at or before it.
 */
export type Moment =
  | { kind: 'time'; label: string; epochMs: number }
  | { kind: 'offset'; label: string; offsetMs: number }
  | { kind: 'off'; label: 'off' }
  | { kind: 'close'; label: 'close' };

/** What a moment spec may be, for error messages. */
export const MOMENT_FORMS =
  'an ISO time with a zone (2022-04-19T11:59:00Z), an offset from the scheduled off ' +
  'in seconds or minutes (-600s, -60s, -1m, +30s), "off" (the first in-play update) or ' +
  '"close" (the last OPEN book)';

const OFFSET = /^([+-]?)(\d+(?:\.\d+)?)(s|m)$/;

const momentSchema = z.union([
  z.literal('off').transform((): Moment => ({ kind: 'off', label: 'off' })),
  z.literal('close').transform((): Moment => ({ kind: 'close', label: 'close' })),
  z
    .string()
    .regex(OFFSET)
    .transform((label): Moment => {
      const [, sign = '', amount = '0', unit = 's'] = OFFSET.exec(label) ?? [];
      const ms = Math.round(Number(amount) * (unit === 'm' ? 60_000 : 1000));
      return { kind: 'offset', label, offsetMs: sign === '-' ? -ms : ms };
    }),
  z.iso
    .datetime({ offset: true })
    .transform((label): Moment => ({ kind: 'time', label, epochMs: Date.parse(label) })),
]);

/** Parses one moment spec; STREAM.BAD_MOMENT, naming every allowed form, when it is none. */
export function parseMoment(spec: string): Moment {
  const parsed = momentSchema.safeParse(spec.trim());
  if (parsed.success) return parsed.data;
  throw new AppError(
    'STREAM.BAD_MOMENT',
    'invalid',
    `"${echo(spec)}" is not a moment: use ${MOMENT_FORMS}`,
  );
}

/** A comma-separated list of moment specs, each parsed by parseMoment; duplicates kept once. */
export function parseMoments(specs: string): Moment[] {
  const moments = specs
    .split(',')
    .filter((spec) => spec.trim() !== '')
    .map(parseMoment);
  if (moments.length === 0) {
    throw new AppError('STREAM.BAD_MOMENT', 'invalid', `no moment given: use ${MOMENT_FORMS}`);
  }
  const seen = new Set<string>();
  return moments.filter((moment) => !seen.has(moment.label) && seen.add(moment.label));
}
