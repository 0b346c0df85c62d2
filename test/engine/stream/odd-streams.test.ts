import { describe, expect, it } from 'vitest';
import { renderMarketBook } from '../../../shared/engine/stream/market-book.js';
import {
  ndjsonLines,
  replayLines,
  type MalformedLine,
} from '../../../shared/engine/stream/replay.js';
import { RunnersCollector } from '../../../shared/engine/stream/runners.js';
import { definition, mcm, OFF_MS } from './stream-builders.js';

const T = OFF_MS - 60_000;

describe('odd streams are reported, never a crash', () => {
  it('a file starting mid-market: changes before any definition are counted once, then applied', () => {
    const report = replayLines([
      mcm(T, { rc: [{ id: 1, atb: [[2, 5]] }] }),
      mcm(T + 1, { rc: [{ id: 1, atb: [[2.02, 1]] }] }),
      mcm(T + 2, { marketDefinition: definition() }),
    ]);
    expect(report.counts.faults.noDefinitionYet).toBe(1);
    expect(report.faults[0]).toMatchObject({ kind: 'noDefinitionYet', line: 1, marketId: '1.100' });
    const [market] = report.markets;
    expect(market && renderMarketBook(market)?.runners[0]?.ex?.availableToBack).toHaveLength(2);
  });

  it('a market with no definition at all renders no book and yields no runners rows', () => {
    const runners = new RunnersCollector();
    const report = replayLines([mcm(T, { rc: [{ id: 1, ltp: 2 }] })], { observers: [runners] });
    const [market] = report.markets;
    expect(market && renderMarketBook(market)).toBeUndefined();
    expect(runners.takeRows()).toEqual([]);
  });

  it('a runner in rc that the definition lacks is counted once and kept out of the book', () => {
    const report = replayLines([
      mcm(T, { marketDefinition: definition() }),
      mcm(T + 1, { rc: [{ id: 9, ltp: 3 }] }),
      mcm(T + 2, { rc: [{ id: 9, ltp: 3.1 }] }),
    ]);
    expect(report.counts.faults.runnerNotInDefinition).toBe(1);
    expect(report.faults).toEqual([
      { kind: 'runnerNotInDefinition', line: 2, marketId: '1.100', selectionId: 9 },
    ]);
    const [market] = report.markets;
    const ids = market && renderMarketBook(market)?.runners.map((r) => r.selectionId);
    expect(ids).toEqual([1, 2]);
  });

  it('repeated and backward publish times are counted; the messages still apply', () => {
    const report = replayLines([
      mcm(T, { marketDefinition: definition() }),
      mcm(T + 5, { rc: [{ id: 1, ltp: 2 }] }),
      mcm(T + 5, { rc: [{ id: 1, ltp: 2.1 }] }),
      mcm(T + 4, { rc: [{ id: 1, ltp: 2.2 }] }),
    ]);
    expect(report.counts.faults.repeatedPt).toBe(1);
    expect(report.counts.faults.ptBackwards).toBe(1);
    const [market] = report.markets;
    expect(market && renderMarketBook(market)?.runners[0]?.lastPriceTraded).toBe(2.2);
  });

  it('a truncated file: the cut last line goes to the caller as malformed, the rest applies', () => {
    const full = [
      mcm(T, { marketDefinition: definition() }),
      mcm(T + 1, { rc: [{ id: 1, ltp: 2 }] }),
    ];
    const text = `${full.join('\n')}\n${mcm(T + 2, { rc: [{ id: 1, ltp: 9 }] }).slice(0, 30)}`;
    const refused: MalformedLine[] = [];
    const report = replayLines(ndjsonLines(text), { onMalformed: (line) => refused.push(line) });
    expect(refused).toHaveLength(1);
    expect(refused[0]).toMatchObject({ line: 3 });
    expect(refused[0]?.reason).toMatch(/^not JSON/);
    expect(report.counts.faults.malformedLine).toBe(1);
    const [market] = report.markets;
    expect(market && renderMarketBook(market)?.runners[0]?.lastPriceTraded).toBe(2);
  });

  it('lines that are JSON but not stream messages are malformed; bad entries are skipped', () => {
    const refused: string[] = [];
    const report = replayLines(
      [
        '[1,2]',
        '{"clk":"1"}',
        '{"op":"mcm","mc":{}}',
        '{"op":"mcm","mc":[{"id":"1.100"}]}',
        mcm(T, { marketDefinition: definition() }),
        JSON.stringify({
          op: 'mcm',
          pt: T + 1,
          mc: [{ id: '1.100', rc: [{ id: 1, atb: [[2]] }, 'x'] }],
        }),
        JSON.stringify({
          op: 'mcm',
          pt: T + 2,
          mc: [{ id: '1.100', rc: [{ id: 1, atb: 5, ltp: 3 }] }],
        }),
      ],
      { onMalformed: (line) => refused.push(line.reason) },
    );
    expect(refused).toEqual([
      'not a JSON object',
      'no "op"',
      '"mc" is not a list',
      'no numeric "pt"',
    ]);
    expect(report.counts.faults.malformedChange).toBe(3);
    const [market] = report.markets;
    expect(market && renderMarketBook(market)?.runners[0]?.lastPriceTraded).toBe(3);
  });

  it('ccm, rcm and other operations are counted by op, and heartbeats as heartbeats', () => {
    const report = replayLines([
      '{"op":"ccm","pt":1,"cc":[{"id":"1.100","matchStatus":"IN_PROGRESS"}]}',
      '{"op":"rcm","pt":2,"rc":[{"mid":"1.100","rpc":{"ft":1}}]}',
      '{"op":"rcm","pt":3,"rc":[]}',
      '{"op":"status","statusCode":"SUCCESS"}',
      '{"op":"mcm","clk":"9","pt":4,"ct":"HEARTBEAT"}',
      '{"op":"mcm","pt":5,"mc":[]}',
      '',
    ]);
    expect(report.counts.otherOps).toEqual({ ccm: 1, rcm: 2, status: 1 });
    expect(report.counts.heartbeats).toBe(2);
    expect(report.counts.emptyLines).toBe(1);
    expect(report.counts.marketChanges).toBe(0);
    expect(report.markets).toEqual([]);
  });
});
