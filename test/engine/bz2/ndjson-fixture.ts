import { once } from 'node:events';
import { createWriteStream } from 'node:fs';

/** A small deterministic PRNG (mulberry32), so fixtures are identical on every run. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const CLOCK_CHARS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

/** Yields Betfair-stream-like `mcm` lines (price ladders, traded volume) for one market. */
export function* ndjsonLines(seed: number): Generator<string> {
  const random = seededRandom(seed);
  const marketId = `1.${190000000 + Math.floor(random() * 9999999)}`;
  const runners = Array.from({ length: 2 + Math.floor(random() * 10) }, () => ({
    id: 100000 + Math.floor(random() * 9000000),
    price: 1.5 + random() * 20,
  }));
  let pt = 1650000000000 + Math.floor(random() * 1e10);
  for (;;) {
    pt += Math.floor(random() * 2000);
    const clk = Array.from({ length: 16 }, () => CLOCK_CHARS[Math.floor(random() * 64)]).join('');
    const changed = runners.filter(() => random() < 0.4);
    const rc = changed.map((r) => {
      r.price = Math.max(1.01, r.price * (0.97 + random() * 0.06));
      const side = random() < 0.5 ? 'atb' : 'atl';
      const ladder = Array.from({ length: 1 + Math.floor(random() * 3) }, (_, i) => [
        Number((r.price + i * 0.02).toFixed(2)),
        Number((random() * 500).toFixed(2)),
      ]);
      return `{"${side}":${JSON.stringify(ladder)},"id":${r.id}}`;
    });
    yield `{"op":"mcm","clk":"${clk}","pt":${pt},"mc":[{"id":"${marketId}","rc":[${rc.join(',')}]}]}\n`;
  }
}

/** About `bytes` bytes of NDJSON (whole lines), the same for the same seed. */
export function makeNdjson(bytes: number, seed: number): Buffer {
  const parts: string[] = [];
  let size = 0;
  for (const line of ndjsonLines(seed)) {
    if (size >= bytes) break;
    parts.push(line);
    size += line.length;
  }
  return Buffer.from(parts.join(''));
}

/** Streams about `bytes` bytes of NDJSON to `path` without holding it in memory. */
export async function writeNdjson(path: string, bytes: number, seed: number): Promise<void> {
  const out = createWriteStream(path);
  let written = 0;
  let batch: string[] = [];
  for (const line of ndjsonLines(seed)) {
    if (written >= bytes) break;
    batch.push(line);
    written += line.length;
    if (batch.length === 2000) {
      if (!out.write(batch.join(''))) await once(out, 'drain');
      batch = [];
    }
  }
  out.end(batch.join(''));
  await once(out, 'finish');
}
