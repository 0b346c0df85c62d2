import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeBzip2 } from '../../../shared/engine/bz2/decode-bzip2.js';
import {
  createBzip2WorkerPool,
  type Bzip2WorkerPool,
} from '../../../shared/engine/bz2/worker-pool.js';
import { bzip2Compress, hasBzip2 } from '../../support/bzip2.js';
import { chunked, collect, expectFailure } from './bz2-helpers.js';
import { makeNdjson } from './ndjson-fixture.js';

describe('decodeBzip2 on input that is not bzip2', () => {
  it.each([
    ['JSON text', '{"op":"mcm"}', /starts with 0x7b 0x22 0x6f 0x70/],
    ['gzip', '\x1f\x8b\x08\x00', /not a bzip2 file/],
    ['a bad level digit', 'BZh0rest', /0x42 0x5a 0x68 0x30/],
    ['one odd byte', 'x', /not a bzip2 file/],
  ])('rejects %s as BZ2.NOT_BZIP2', async (_, text, message) => {
    const error = await expectFailure(
      decodeBzip2(chunked(Buffer.from(text, 'latin1'), 3)),
      'BZ2.NOT_BZIP2',
    );
    expect(error.message).toMatch(message);
  });
});

describe.skipIf(!hasBzip2)('decodeBzip2 on damaged bzip2 (needs the bzip2 binary)', () => {
  let pool: Bzip2WorkerPool;
  let text: Buffer;
  let file: Buffer;
  beforeAll(() => {
    pool = createBzip2WorkerPool(2);
    text = makeNdjson(600_000, 5);
    file = bzip2Compress(text, 1); // 6 blocks
  });
  afterAll(() => pool.close());

  const modes = [
    ['inline', false],
    ['pooled', true],
  ] as const;

  describe.each(modes)('%s', (_, usePool) => {
    const decode = (data: Uint8Array, chunk = 4096): AsyncIterable<Buffer> =>
      decodeBzip2(chunked(data, chunk), { workers: usePool ? pool : undefined });

    it('reports truncation at any offset as BZ2.TRUNCATED', async () => {
      const cuts = [1, 2, 3, 4, 5, 9, 10, 40, 1000];
      for (const fraction of [0.2, 0.5, 0.8]) cuts.push(Math.floor(file.length * fraction));
      for (const fromEnd of [12, 10, 5, 1]) cuts.push(file.length - fromEnd);
      for (const cut of cuts) {
        const error = await expectFailure(decode(file.subarray(0, cut)), 'BZ2.TRUNCATED');
        expect(error.message).toContain(`truncated after ${cut} bytes`);
      }
    });

    it('reports a flipped bit inside a block as BZ2.CORRUPT', async () => {
      for (const fraction of [0.1, 0.3, 0.5, 0.7]) {
        const damaged = Buffer.from(file);
        damaged[Math.floor(file.length * fraction)]! ^= 0x04;
        const error = await expectFailure(decode(damaged), 'BZ2.CORRUPT');
        expect(error.message).toMatch(/^bzip2 block \d+ (failed its CRC check|is corrupt)/);
      }
    });

    it('reports a wrong stream CRC as BZ2.CORRUPT', async () => {
      const damaged = Buffer.from(file);
      damaged[file.length - 2]! ^= 0x01; // inside the combined CRC, before the padding
      const error = await expectFailure(decode(damaged), 'BZ2.CORRUPT');
      expect(error.message).toBe('bzip2 stream 1 failed its combined CRC check');
    });

    it('rejects data after the last stream as BZ2.CORRUPT', async () => {
      const error = await expectFailure(
        decode(Buffer.concat([file, Buffer.from('garbage')])),
        'BZ2.CORRUPT',
      );
      expect(error.message).toMatch(/unexpected data after the end of bzip2 stream 1/);
    });
  });

  it('names the block that failed', async () => {
    const damaged = Buffer.from(file);
    // Block 1 carries its stored CRC in bytes 10..13: altering it fails only that check.
    damaged[11]! ^= 0xff;
    const error = await expectFailure(decodeBzip2(chunked(damaged, 4096)), 'BZ2.CORRUPT');
    expect(error.message).toBe('bzip2 block 1 failed its CRC check');
  });

  it('never returns output past a corrupt block', async () => {
    const damaged = Buffer.from(file);
    damaged[Math.floor(file.length / 2)]! ^= 0x40;
    const received: Buffer[] = [];
    const drain = async (): Promise<void> => {
      for await (const chunk of decodeBzip2(chunked(damaged, 4096), { workers: pool }))
        received.push(chunk);
    };
    await expect(drain()).rejects.toMatchObject({ code: 'BZ2.CORRUPT' });
    expect(received.length).toBeLessThan(6);
    expect(Buffer.concat(received).equals(text.subarray(0, Buffer.concat(received).length))).toBe(
      true,
    );
  });

  it('decodes the undamaged file', async () => {
    expect((await collect(decodeBzip2(chunked(file, 4096), { workers: pool }))).equals(text)).toBe(
      true,
    );
  });
});
