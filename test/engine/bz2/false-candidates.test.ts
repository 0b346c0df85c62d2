import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BlockMagicScanner } from '../../../shared/engine/bz2/compressed-input.js';
import { CompressedInput } from '../../../shared/engine/bz2/compressed-input.js';
import { decodeCompressed } from '../../../shared/engine/bz2/decode-bzip2.js';
import {
  createBzip2WorkerPool,
  type Bzip2WorkerPool,
} from '../../../shared/engine/bz2/worker-pool.js';
import { bzip2Compress, hasBzip2 } from '../../support/bzip2.js';
import { chunked, collect } from './bz2-helpers.js';
import { makeNdjson } from './ndjson-fixture.js';

/**
 * Real scanner hits plus a false one every `every` bits: as if the block magic occurred by
 * chance inside the compressed data (at 2^-48 per bit offset, too rare to construct).
 */
function withFalseHits(every: number, extra: number[] = []): (chunk: Uint8Array) => number[] {
  const scanner = new BlockMagicScanner();
  let startBit = 0;
  return (chunk) => {
    const endBit = startBit + chunk.length * 8;
    const hits = scanner.push(chunk);
    for (let bit = Math.ceil(startBit / every) * every; bit < endBit; bit += every) hits.push(bit);
    hits.push(...extra.filter((bit) => bit >= startBit && bit < endBit));
    startBit = endBit;
    return [...new Set(hits)].sort((a, b) => a - b);
  };
}

describe.skipIf(!hasBzip2)('block boundaries found by scanning (needs the bzip2 binary)', () => {
  let pool: Bzip2WorkerPool;
  let text: Buffer;
  let file: Buffer;
  let aroundStreams: number[];
  beforeAll(() => {
    pool = createBzip2WorkerPool(2);
    text = makeNdjson(400_000, 9);
    const second = bzip2Compress(makeNdjson(150_000, 10), 9);
    const first = bzip2Compress(text, 1);
    file = Buffer.concat([first, second]);
    // Every bit offset in each stream's header and in the end of stream 1 (its last block,
    // end-of-stream marker, CRC and padding).
    const range = (from: number, to: number): number[] =>
      Array.from({ length: to - from }, (_, i) => from + i);
    aroundStreams = [...range(0, 200), ...range(first.length * 8 - 400, first.length * 8 + 200)];
    text = Buffer.concat([text, makeNdjson(150_000, 10)]);
  });
  afterAll(() => pool.close());

  it.each([
    ['inline, a false hit every 20 000 bits', false, 20_000, false],
    ['pooled, a false hit every 20 000 bits', true, 20_000, false],
    ['pooled, a false hit every 499 bits', true, 499, false],
    ['inline, false hits all around stream boundaries', false, 1e9, true],
    ['pooled, false hits all around stream boundaries', true, 1e9, true],
  ] as const)('confirms only true boundaries: %s', async (_, usePool, every, nearStreams) => {
    const hits = withFalseHits(every, nearStreams ? aroundStreams : []);
    const input = new CompressedInput(chunked(file, 8192), hits);
    const out = await collect(decodeCompressed(input, { workers: usePool ? pool : undefined }));
    expect(out.equals(text)).toBe(true);
  });
});
