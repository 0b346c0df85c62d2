import { readFileSync } from 'node:fs';
import { expect, it } from 'vitest';
import { renderMarketBook } from '../../../shared/engine/stream/market-book.js';
import { MarketsCollector } from '../../../shared/engine/stream/markets.js';
import { parseMoments } from '../../../shared/engine/stream/moments.js';
import { ndjsonLines, replayLines } from '../../../shared/engine/stream/replay.js';
import { SnapshotsCollector } from '../../../shared/engine/stream/snapshots.js';
import type { SnapshotsRow } from '../../../shared/engine/stream/snapshots-table.js';
import { bzip2Dc } from '../../support/bzip2.js';
import { describeWithSamples, historicSampleFiles } from '../../support/sample-data.js';

// The markets and snapshots products over Betfair's real files, checked against the raw lines
// and against the rendered book of a replay cut at the snapshot's own book time.

interface RawDefinition {
  status: string;
  inPlay: boolean;
  eventId?: string;
  venue?: string;
  countryCode?: string;
  marketType?: string;
  runners: { id: number; status: string }[];
}

interface RawMessage {
  pt: number;
  mc: { id: string; marketDefinition?: RawDefinition }[];
}

function sampleLines(marketId: string): string[] {
  const file = historicSampleFiles().find((path) => path.endsWith(`/${marketId}.bz2`));
  if (file === undefined) throw new Error(`sample ${marketId} is missing`);
  return ndjsonLines(bzip2Dc(readFileSync(file)).toString('utf8'));
}

/** The last definition and the market ids, straight from the lines. */
function rawScan(lines: string[]) {
  let definition: RawDefinition | undefined;
  const ids = new Set<string>();
  for (const line of lines) {
    for (const change of (JSON.parse(line) as RawMessage).mc) {
      ids.add(change.id);
      definition = change.marketDefinition ?? definition;
    }
  }
  return { definition, ids: [...ids] };
}

const SAMPLES = [
  ['BASIC horse racing', '1.132153978'],
  ['PRO greyhound racing', '1.197931750'],
  ['PRO cricket', '1.200806927'],
] as const;

describeWithSamples('the markets row of each real sample', () => {
  it.each(SAMPLES)('%s (%s) matches its raw lines', (_name, marketId) => {
    const lines = sampleLines(marketId);
    const raw = rawScan(lines);
    const collector = new MarketsCollector({ tier: 'X' });
    replayLines(lines, { observers: [collector] });
    const rows = collector.takeRows();
    expect(rows).toHaveLength(1);
    const [row] = rows;
    expect(raw.ids).toEqual([marketId]);
    expect(row?.market_id).toBe(marketId);
    expect(row?.event_id).toBe(raw.definition?.eventId);
    expect(row?.venue).toBe(raw.definition?.venue ?? null);
    expect(row?.country).toBe(raw.definition?.countryCode);
    expect(row?.market_type).toBe(raw.definition?.marketType);
    expect(row?.status).toBe('CLOSED');
    expect(row?.runner_count).toBe(raw.definition?.runners.length);
    const winners = raw.definition?.runners.filter((r) => r.status === 'WINNER') ?? [];
    expect(winners.length).toBeGreaterThan(0);
    expect(row?.winner_ids).toBe(winners.map((r) => r.id).join(','));
    expect(row?.tier).toBe('X');
  });
});

describeWithSamples('snapshots of the real PRO cricket sample (1.200806927)', () => {
  let lines: string[];
  let rows: SnapshotsRow[];

  function bookAt(bookTime: string) {
    const ms = Date.parse(bookTime);
    const upTo = lines.filter((line) => (JSON.parse(line) as RawMessage).pt <= ms);
    const [market] = replayLines(upTo).markets;
    return market && renderMarketBook(market);
  }

  it('gives -60s, off and close, each consistent with the book rendered at its book time', () => {
    lines = sampleLines('1.200806927');
    const collector = new SnapshotsCollector({ moments: parseMoments('-60s,off,close') });
    replayLines(lines, { observers: [collector] });
    rows = collector.takeRows();
    const moments = [...new Set(rows.map((r) => r.moment))];
    expect(moments).toEqual(['-60s', 'off', 'close']);
    for (const moment of moments) {
      const these = rows.filter((r) => r.moment === moment);
      const book = bookAt(these[0]?.book_time ?? '');
      expect(book?.status, moment).toBe(these[0]?.market_status);
      expect(book?.inplay, moment).toBe(these[0]?.in_play);
      expect(these.map((r) => r.selection_id)).toEqual(book?.runners.map((r) => r.selectionId));
      for (const row of these) {
        const runner = book?.runners.find((r) => r.selectionId === row.selection_id);
        const back = runner?.ex?.availableToBack ?? [];
        const lay = runner?.ex?.availableToLay ?? [];
        for (let level = 1; level <= 3; level++) {
          expect(row[`back_${level}_price`], `${moment} back ${level}`).toBe(
            back[level - 1]?.price ?? null,
          );
          expect(row[`back_${level}_size`]).toBe(back[level - 1]?.size ?? null);
          expect(row[`lay_${level}_price`]).toBe(lay[level - 1]?.price ?? null);
          expect(row[`lay_${level}_size`]).toBe(lay[level - 1]?.size ?? null);
        }
        expect(row.ltp).toBe(runner?.lastPriceTraded ?? null);
        expect(row.traded_volume).toBe(runner?.totalMatched);
      }
    }
    const [minus60] = rows;
    const marketTime = Date.parse(minus60?.market_time ?? '');
    expect(minus60?.moment_time).toBe(new Date(marketTime - 60_000).toISOString());
    expect(Date.parse(minus60?.book_time ?? '')).toBeLessThanOrEqual(marketTime - 60_000);
    const close = rows.find((r) => r.moment === 'close');
    const off = rows.find((r) => r.moment === 'off');
    expect(off?.in_play).toBe(true);
    expect(close?.market_status).toBe('OPEN');
    expect(Date.parse(close?.book_time ?? '')).toBeGreaterThan(Date.parse(off?.book_time ?? ''));
  });
});
