import type { Readable } from 'node:stream';
import tar from 'tar-stream';
import { BETFAIR_MONTHS, BETFAIR_TIERS } from '../betfair/vocabulary.js';
import { AppError } from '../platform/errors.js';

/**
 * Where a member of a Betfair download goes in the historic layout, or why it is left out.
 * Betfair's download site delivers purchases as `.tar` archives holding the
 * `TIER/YYYY/Mon/D/<eventId>/<marketId>.bz2` tree (sometimes below a few leading folders).
 * Some archives also hold event-level files (`<eventId>/<eventId>.bz2`) that repeat the
 * markets' data: importing them would count those markets twice.
 */
export type MemberPlacement =
  | { kind: 'market'; name: string }
  | { kind: 'skipped'; reason: 'not a file' | 'not in the historic layout' | 'event-level file' };

const TIER = new Set<string>(BETFAIR_TIERS);
const MONTH = new Set<string>(BETFAIR_MONTHS);

/** The historic-layout name of an archive member, found from its tier folder onward. */
export function placeMember(path: string): MemberPlacement {
  const segments = path.split('/').filter((segment) => segment !== '' && segment !== '.');
  const tierAt = segments.findIndex((segment) => TIER.has(segment));
  const tail = tierAt < 0 ? [] : segments.slice(tierAt);
  const [, year = '', month = '', day = '', eventId = '', file = '', ...rest] = tail;
  const inLayout =
    rest.length === 0 &&
    /^\d{4}$/.test(year) &&
    MONTH.has(month) &&
    /^\d{1,2}$/.test(day) &&
    /^\d+$/.test(eventId) &&
    file.endsWith('.bz2');
  if (!inLayout) return { kind: 'skipped', reason: 'not in the historic layout' };
  if (!/^1\.\d+\.bz2$/.test(file)) return { kind: 'skipped', reason: 'event-level file' };
  return { kind: 'market', name: tail.join('/') };
}

/** One member of an archive, streamed: read `body` to the end before asking for the next. */
export interface ArchiveMember {
  /** The member's path inside the archive. */
  path: string;
  size: number;
  placement: MemberPlacement;
  body: AsyncIterable<Buffer>;
}

/**
 * The members of a tar archive one at a time, in archive order, each placed in the historic
 * layout. Memory stays bounded by one tar block plus what the consumer buffers: a member's
 * bytes flow from `archive` to `body` as they are read. The consumer must read (or resume)
 * each body before the next member is produced. A damaged archive fails with TAR.CORRUPT.
 */
export async function* archiveMembers(archive: Readable): AsyncGenerator<ArchiveMember> {
  const extract = tar.extract();
  archive.on('error', (error) => extract.destroy(error));
  archive.pipe(extract);
  try {
    for await (const entry of extract) {
      const { name, size = 0, type } = entry.header;
      const placement: MemberPlacement =
        type === 'file' ? placeMember(name) : { kind: 'skipped', reason: 'not a file' };
      yield { path: name, size, placement, body: entry as AsyncIterable<Buffer> };
      entry.resume(); // drains a body the consumer left unread, so the archive moves on
    }
  } catch (error) {
    if (error instanceof AppError) throw error; // the source's own failure, e.g. OBJECT.NOT_FOUND
    throw new AppError('TAR.CORRUPT', 'invalid', `Not a readable tar archive: ${message(error)}`, {
      cause: error,
    });
  }
}

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
