import seekBzip from 'seek-bzip';
import { beforeAll, describe, expect, it } from 'vitest';
import { BitReader, BlockDecoder } from '../../../shared/engine/bz2/block-decoder.js';
import { bzip2Compress, hasBzip2 } from '../../support/bzip2.js';
import { makeNdjson, seededRandom } from './ndjson-fixture.js';

const END_OF_STREAM_TOP = 0x177245;

/** Decodes a single-stream file block by block with BlockDecoder, as the engine's tasks do. */
function decodeBlocks(file: Buffer): Buffer {
  const decoder = new BlockDecoder();
  const maxBlockSize = (file[3]! - 0x30) * 100_000;
  const parts: Uint8Array[] = [];
  let bit = 32;
  while (new BitReader(file, bit, file.length * 8).read(24) !== END_OF_STREAM_TOP) {
    const block = decoder.decode(file, bit, file.length * 8, maxBlockSize);
    parts.push(block.output.slice());
    bit = block.endBit;
  }
  return Buffer.concat(parts);
}

/** Bytes with long runs (exercising the 4+count run-length step) and every byte value. */
function runsAndBinary(size: number): Buffer {
  const random = seededRandom(7);
  const out = Buffer.alloc(size);
  for (let i = 0; i < size;) {
    const byte = Math.floor(random() * 256);
    const run = random() < 0.2 ? Math.floor(random() * 600) : 1;
    out.fill(byte, i, Math.min(size, i + run));
    i += run;
  }
  return out;
}

describe.skipIf(!hasBzip2)('BlockDecoder (needs the bzip2 binary)', () => {
  const inputs: Record<string, Buffer> = {};
  beforeAll(() => {
    inputs.ndjson = makeNdjson(2_500_000, 1);
    inputs.runs = runsAndBinary(1_200_000);
    inputs.zeros = Buffer.alloc(3_000_000);
    inputs.oneByte = Buffer.from('x');
  });

  it.each([
    ['ndjson', 1],
    ['ndjson', 9],
    ['runs', 1],
    ['runs', 9],
    ['zeros', 9],
    ['oneByte', 9],
  ])('decodes %s compressed at -%i like seek-bzip and the original', (name, level) => {
    const original = inputs[name]!;
    const file = bzip2Compress(original, level);
    const ours = decodeBlocks(file);
    expect(ours.equals(original)).toBe(true);
    expect(ours.equals(seekBzip.decode(file))).toBe(true);
  });

  it('reports need-more when a block runs past the bits it was given', () => {
    const file = bzip2Compress(makeNdjson(50_000, 2), 9);
    expect(() => new BlockDecoder().decode(file, 32, file.length * 4, 900_000)).toThrow(
      expect.objectContaining({ reason: 'need-more' }),
    );
  });

  it('reports a CRC failure when a byte of the block data is altered', () => {
    const file = bzip2Compress(makeNdjson(50_000, 3), 9);
    file[Math.floor(file.length / 2)]! ^= 0x10;
    expect(() => new BlockDecoder().decode(file, 32, file.length * 8, 900_000)).toThrow(
      expect.objectContaining({ reason: 'corrupt' }),
    );
  });
});
