import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isBzip2Magic } from '../../../shared/engine/bz2/compressed-input.js';
import { decodeBzip2, decodeBzip2Stream } from '../../../shared/engine/bz2/decode-bzip2.js';
import {
  createBzip2WorkerPool,
  type Bzip2WorkerPool,
} from '../../../shared/engine/bz2/worker-pool.js';
import { bzip2Compress, hasBzip2 } from '../../support/bzip2.js';
import { chunked, collect } from './bz2-helpers.js';
import { makeNdjson } from './ndjson-fixture.js';

describe.skipIf(!hasBzip2)('decodeBzip2 (needs the bzip2 binary)', () => {
  let pool: Bzip2WorkerPool;
  let text: Buffer;
  let manyBlocks: Buffer;
  let small: Buffer;
  let smallText: Buffer;

  beforeAll(() => {
    pool = createBzip2WorkerPool(2);
    text = makeNdjson(8_000_000, 1);
    manyBlocks = bzip2Compress(text, 1); // ~80 blocks of 100k
    smallText = makeNdjson(250_000, 2);
    small = bzip2Compress(smallText, 1); // 3 blocks
  });
  afterAll(() => pool.close());

  it('decodes on a pool started before its first task, and closes it idle', async () => {
    const early = createBzip2WorkerPool(2);
    early.start();
    early.start();
    const out = await collect(decodeBzip2(chunked(small, 65_536), { workers: early }));
    expect(out.equals(smallText)).toBe(true);
    await early.close();
    await expect(collect(decodeBzip2(chunked(small, 65_536), { workers: early }))).rejects.toThrow(
      /closed/,
    );
  });

  it.each([
    ['inline', false, 65_536],
    ['on the worker pool', true, 65_536],
    ['on the worker pool, 7-byte chunks', true, 7],
  ])('decodes a many-block file %s in order', async (_, usePool, chunkSize) => {
    const out = await collect(
      decodeBzip2(chunked(manyBlocks, chunkSize), { workers: usePool ? pool : undefined }),
    );
    expect(out.length).toBe(text.length);
    expect(out.equals(text)).toBe(true);
  });

  it.each([1, 7, 65_536])('decodes %i-byte chunks', async (size) => {
    expect(
      (await collect(decodeBzip2(chunked(small, size), { workers: pool }))).equals(smallText),
    ).toBe(true);
  });

  it('decodes concatenated streams of different levels', async () => {
    const second = makeNdjson(300_000, 3);
    const file = Buffer.concat([small, bzip2Compress(second, 9), small]);
    const expected = Buffer.concat([smallText, second, smallText]);
    for (const workers of [undefined, pool]) {
      expect((await collect(decodeBzip2(chunked(file, 4096), { workers }))).equals(expected)).toBe(
        true,
      );
    }
  });

  it('yields nothing for a 0-byte file and for empty streams', async () => {
    const emptyStream = bzip2Compress(Buffer.alloc(0), 9);
    expect(emptyStream.length).toBe(14);
    for (const input of [Buffer.alloc(0), emptyStream, Buffer.concat([emptyStream, emptyStream])]) {
      expect((await collect(decodeBzip2(chunked(input, 5)))).length).toBe(0);
    }
    const mixed = Buffer.concat([emptyStream, small, emptyStream]);
    expect(
      (await collect(decodeBzip2(chunked(mixed, 1000), { workers: pool }))).equals(smallText),
    ).toBe(true);
  });

  it('accepts a Node Readable and offers a Readable', async () => {
    const out = await collect(
      decodeBzip2Stream(Readable.from([small.subarray(0, 10), small.subarray(10)])),
    );
    expect(out.equals(smallText)).toBe(true);
  });

  it('decodes several files concurrently on one pool, each in order', async () => {
    const files = [1, 2, 3, 4].map((seed) => makeNdjson(400_000 + seed * 10_000, seed));
    const outs = await Promise.all(
      files.map((f) =>
        collect(
          decodeBzip2(chunked(bzip2Compress(f, 1), 65_536), {
            workers: pool,
            inlineSingleBlock: false,
          }),
        ),
      ),
    );
    outs.forEach((out, i) => expect(out.equals(files[i]!)).toBe(true));
  });

  it('stops between blocks when its signal aborts', async () => {
    const controller = new AbortController();
    const received: Buffer[] = [];
    const run = async (): Promise<void> => {
      for await (const chunk of decodeBzip2(chunked(manyBlocks, 65_536), {
        signal: controller.signal,
      })) {
        received.push(chunk);
        controller.abort(new Error('stop'));
      }
    };
    await expect(run()).rejects.toThrow('stop');
    expect(received.length).toBe(1);
  });

  it('recognises the bzip2 magic', () => {
    expect(isBzip2Magic(small)).toBe(true);
    expect(isBzip2Magic(Buffer.from('BZh0'))).toBe(false);
    expect(isBzip2Magic(Buffer.from('{"op"'))).toBe(false);
    expect(isBzip2Magic(Buffer.alloc(0))).toBe(false);
  });
});
