import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { chunkLineBatches } from '../../../shared/engine/stream/chunk-lines.js';

async function batchesOf(chunks: string[]): Promise<string[][]> {
  const source = Readable.from(chunks.map((chunk) => Buffer.from(chunk)));
  const batches: string[][] = [];
  for await (const lines of chunkLineBatches(source)) {
    batches.push(lines.map((line) => line.toString()));
  }
  return batches;
}

describe('chunkLineBatches', () => {
  it('gives the lines that end in each chunk together, a line across chunks in the batch of the chunk it ends in, and a last line without a break alone', async () => {
    expect(await batchesOf(['{"a":1}\r\n{"b"', ':2}\n\n{"c"', ':3}\n{"d":4}'])).toEqual([
      ['{"a":1}'],
      ['{"b":2}', ''],
      ['{"c":3}'],
      ['{"d":4}'],
    ]);
  });

  it('gives no empty batch for a chunk where no line ends, nor for no bytes', async () => {
    expect(await batchesOf(['{"a"', ':', '1}\n'])).toEqual([['{"a":1}']]);
    expect(await batchesOf([])).toEqual([]);
  });
});
