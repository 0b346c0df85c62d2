import { readFileSync } from 'node:fs';
import { isDeepStrictEqual } from 'node:util';
import { beforeAll, expect, it } from 'vitest';
import { McmScanner } from '../../../shared/engine/stream/mcm-scanner.js';
import { renderMarketBook } from '../../../shared/engine/stream/market-book.js';
import { ndjsonLines, replayLines } from '../../../shared/engine/stream/replay.js';
import { RunnersCollector } from '../../../shared/engine/stream/runners.js';
import type { RunnersRow } from '../../../shared/engine/stream/runners-table.js';
import { bzip2Dc } from '../../support/bzip2.js';
import { describeWithSamples, historicSampleFiles } from '../../support/sample-data.js';

// Replays of Betfair's real files, checked against figures read straight from their raw lines
// by the simple scan below, which knows nothing of ladders: the last `ltp` and `tv` each runner
// was sent, and the market status and in-play flag of the last definition.

interface RawDefinition {
  status: string;
  inPlay: boolean;
  runners: { id: number; status: string; bsp?: number; name?: string }[];
}

interface RawMessage {
  pt: number;
  mc: { marketDefinition?: RawDefinition; rc?: { id: number; ltp?: number; tv?: number }[] }[];
}

/** What the raw lines say after each of the first `count` lines, and as of the last OPEN line. */
function rawScan(lines: string[], count = lines.length) {
  let definition: RawDefinition | undefined;
  const ltp = new Map<number, number>();
  const tv = new Map<number, number>();
  let tvAtLastOpen = new Map<number, number>();
  let tvAtLastPreplay = new Map<number, number>();
  let ltpAtLastPreplay = new Map<number, number>();
  let firstInPlayPt: number | undefined;
  for (const line of lines.slice(0, count)) {
    const message = JSON.parse(line) as RawMessage;
    for (const change of message.mc) {
      definition = change.marketDefinition ?? definition;
      for (const rc of change.rc ?? []) {
        if (rc.ltp !== undefined) ltp.set(rc.id, rc.ltp);
        if (rc.tv !== undefined) tv.set(rc.id, rc.tv);
      }
    }
    if (definition?.inPlay && firstInPlayPt === undefined) firstInPlayPt = message.pt;
    if (definition?.status === 'OPEN') tvAtLastOpen = new Map(tv);
    if (definition?.status === 'OPEN' && !definition.inPlay) {
      tvAtLastPreplay = new Map(tv);
      ltpAtLastPreplay = new Map(ltp);
    }
  }
  return { definition, ltp, tv, tvAtLastOpen, tvAtLastPreplay, ltpAtLastPreplay, firstInPlayPt };
}

function sampleLines(marketId: string): string[] {
  const file = historicSampleFiles().find((path) => path.endsWith(`/${marketId}.bz2`));
  if (file === undefined) throw new Error(`sample ${marketId} is missing`);
  return ndjsonLines(bzip2Dc(readFileSync(file)).toString('utf8'));
}

function runnersRows(lines: string[]): RunnersRow[] {
  const collector = new RunnersCollector();
  const report = replayLines(lines, { observers: [collector] });
  expect(report.counts.faults.malformedLine).toBe(0);
  expect(report.counts.updates).toBeGreaterThan(0);
  return collector.takeRows();
}

/** Books at several moments agree with the raw lines: status, in play, ltp, and traded totals. */
function checkBooksAtMoments(lines: string[], moments: number[], tradedFromTv: boolean): void {
  for (const count of moments) {
    const raw = rawScan(lines, count);
    const [market] = replayLines(lines.slice(0, count)).markets;
    const book = market && renderMarketBook(market);
    expect(book?.status, `status after ${count} lines`).toBe(raw.definition?.status);
    expect(book?.inplay).toBe(raw.definition?.inPlay);
    for (const runner of book?.runners ?? []) {
      expect(runner.lastPriceTraded, `ltp of ${runner.selectionId}`).toBe(
        raw.ltp.get(runner.selectionId),
      );
      const expected = tradedFromTv ? (raw.tv.get(runner.selectionId) ?? 0) : 0;
      expect(runner.totalMatched, `traded by ${runner.selectionId}`).toBeCloseTo(expected, 2);
    }
  }
}

/** The runners row of the winner, against the raw lines. */
function checkWinnerRow(lines: string[], rows: RunnersRow[]): RunnersRow {
  const raw = rawScan(lines);
  expect(raw.definition?.status).toBe('CLOSED');
  const winners = raw.definition?.runners.filter((r) => r.status === 'WINNER') ?? [];
  expect(winners).toHaveLength(1);
  const winner = winners[0];
  const row = rows.find((r) => r.selection_id === winner?.id);
  expect(row?.result).toBe('WINNER');
  expect(row?.bsp).toBe(winner?.bsp ?? null);
  const tradedBeforeClose = raw.tvAtLastOpen.get(winner?.id ?? 0) ?? 0;
  expect((row?.pp_volume ?? 0) + (row?.ip_volume ?? 0)).toBeCloseTo(tradedBeforeClose, 2);
  expect(row?.pp_volume).toBeCloseTo(raw.tvAtLastPreplay.get(winner?.id ?? 0) ?? 0, 2);
  expect(row?.pp_ltp).toBe(raw.ltpAtLastPreplay.get(winner?.id ?? 0) ?? null);
  const offTime =
    raw.firstInPlayPt === undefined ? null : new Date(raw.firstInPlayPt).toISOString();
  expect(row?.off_time).toBe(offTime);
  expect(rows.map((r) => r.selection_id)).toEqual(raw.definition?.runners.map((r) => r.id));
  return row as RunnersRow;
}

describeWithSamples('replaying the real BASIC horse racing sample (1.132153978)', () => {
  let lines: string[] = [];
  beforeAll(() => {
    lines = sampleLines('1.132153978');
  });

  it('renders books at several moments that match the raw lines (BASIC has ltp only)', () => {
    checkBooksAtMoments(lines, [1, 120, 300, lines.length - 1, lines.length], false);
  });

  it("gives the winner's runners row: Brother Mcgonagall, BSP 4.15, no volume", () => {
    const row = checkWinnerRow(lines, runnersRows(lines));
    expect(row).toMatchObject({ selection_name: 'Brother Mcgonagall', venue: 'Hamilton' });
    expect(row).toMatchObject({
      pp_volume: 0,
      ip_volume: 0,
      bsp_volume: 0,
      event_date: '2017-06-14',
    });
  });
});

describeWithSamples('replaying the real PRO greyhound sample (1.197931750)', () => {
  let lines: string[] = [];
  beforeAll(() => {
    lines = sampleLines('1.197931750');
  });

  it('renders books at several moments whose traded totals equal the raw tv', () => {
    checkBooksAtMoments(lines, [1, 40, 100, 164], true);
  });

  it('gives the winner its row: never in play, so every ip_* is null', () => {
    const row = checkWinnerRow(lines, runnersRows(lines));
    expect(row).toMatchObject({ selection_name: '2. Sandwood Jet', bsp: 25, off_time: null });
    expect(row).toMatchObject({ ip_volume: null, ip_wap: null, ip_ltp: null });
    expect(row.best_back_at_scheduled_off).not.toBeNull();
  });

  it('closes with the BSP reconciled in the final book', () => {
    const [market] = replayLines(lines).markets;
    const book = market && renderMarketBook(market);
    expect(book?.status).toBe('CLOSED');
    expect(book?.runners.find((r) => r.status === 'WINNER')?.sp?.actualSP).toBe(25);
  });
});

describeWithSamples('replaying the real PRO cricket sample (1.200806927)', () => {
  let lines: string[] = [];
  beforeAll(() => {
    lines = sampleLines('1.200806927');
  });

  it('renders books at several moments whose traded totals equal the raw tv', () => {
    checkBooksAtMoments(lines, [2, 1009, 1013, 9000, 18522], true);
  });

  it('gives the winner its row: pp_volume + ip_volume is its traded total before the close', () => {
    const row = checkWinnerRow(lines, runnersRows(lines));
    expect(row).toMatchObject({ market_type: 'MATCH_ODDS', bsp: null, bsp_volume: null });
    expect(row.ip_volume).toBeGreaterThan(0);
  });

  it('zeroes every traded level while suspended: the final book shows no volume, the row does', () => {
    const [market] = replayLines(lines).markets;
    const book = market && renderMarketBook(market);
    expect(book?.status).toBe('CLOSED');
    expect(book?.totalMatched).toBe(0);
    expect(book?.runners.every((r) => r.ex?.tradedVolume?.length === 0)).toBe(true);
    const rows = runnersRows(lines);
    expect(rows.every((r) => (r.pp_volume ?? 0) + (r.ip_volume ?? 0) > 0)).toBe(true);
  });
});

describeWithSamples('the real samples as bytes (the fast path) and as text', () => {
  it('replay to the same caches, counts, books and rows, every line taking the fast path', () => {
    for (const marketId of ['1.132153978', '1.197931750', '1.200806927']) {
      const lines = sampleLines(marketId);
      const bytes = lines.map((line) => Buffer.from(line));
      const scanner = new McmScanner();
      expect(bytes.filter((line) => !scanner.scan(line))).toEqual([]);
      const replay = (input: (string | Buffer)[]) => {
        const collector = new RunnersCollector();
        const report = replayLines(input, { observers: [collector] });
        return { report, books: report.markets.map(renderMarketBook), rows: collector.takeRows() };
      };
      expect(isDeepStrictEqual(replay(bytes), replay(lines)), marketId).toBe(true);
    }
  });
});
