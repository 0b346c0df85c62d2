import type { StreamEvent } from './market-sim.js';
import type { Rng } from './rng.js';

/** Writes PRO-tier lines: every event, with the vendor's base64 `clk` tokens. */
export function renderPro(marketId: string, events: StreamEvent[], rng: Rng): string[] {
  const clocks = [0, 0, 0];
  return events.map((event, index) => {
    if (index > 0)
      for (let i = 0; i < clocks.length; i++) clocks[i] = (clocks[i] ?? 0) + rng.int(1, 400);
    const change = {
      id: marketId,
      ...(event.marketDefinition && { marketDefinition: event.marketDefinition }),
      ...(event.rc.length > 0 && { rc: event.rc }),
      ...(event.img && { img: true }),
      ...(event.tv !== undefined && { tv: event.tv }),
    };
    return line(proClock(clocks), event.pt, change);
  });
}

/**
 * Writes BASIC-tier lines: market definitions as they come, and last traded prices conflated
 * to at most one message a minute, the way the vendor samples BASIC data.
 */
export function renderBasic(marketId: string, events: StreamEvent[], rng: Rng): string[] {
  let clk = 3_500_000_000 + rng.int(0, 99_999_999);
  let lastPt = -Infinity;
  const pending = new Map<number, number>();
  const lines: string[] = [];
  const flush = (pt: number, marketDefinition?: object): void => {
    const rc = [...pending].map(([id, ltp]) => ({ ltp, id }));
    pending.clear();
    if (rc.length === 0 && !marketDefinition) return;
    clk += rng.int(1, 50_000);
    lines.push(
      line(String(clk), pt, {
        id: marketId,
        ...(marketDefinition && { marketDefinition }),
        ...(rc.length > 0 && { rc }),
      }),
    );
    lastPt = pt;
  };
  for (const event of events) {
    for (const change of event.rc) if (change.ltp !== undefined) pending.set(change.id, change.ltp);
    if (event.marketDefinition) flush(event.pt, event.marketDefinition);
    else if (event.pt - lastPt >= 60_000) flush(event.pt);
  }
  return lines;
}

function line(clk: string, pt: number, change: object): string {
  return JSON.stringify({ op: 'mcm', clk, pt, mc: [change] });
}

/** The PRO clock token: per partition a zero byte and the counter as a LEB128 varint, base64. */
export function proClock(counters: number[]): string {
  const bytes: number[] = [];
  for (const counter of counters) {
    bytes.push(0);
    let value = counter;
    do {
      const low = value % 128;
      value = Math.floor(value / 128);
      bytes.push(value > 0 ? low | 0x80 : low);
    } while (value > 0);
  }
  return Buffer.from(bytes).toString('base64');
}
