import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { chunkLines } from '../../../shared/engine/stream/chunk-lines.js';

async function linesOf(chunks: string[]): Promise<string[]> {
  const source = Readable.from(chunks.map((chunk) => Buffer.from(chunk)));
  const lines: string[] = [];
  for await (const line of chunkLines(source)) lines.push(line.toString());
  return lines;
}

describe('chunkLines', () => {
  it('splits on LF and CRLF, joins lines across chunks, keeps a last line without a break', async () => {
    expect(await linesOf(['{"a":1}\r\n{"b"', ':2}\n', '', '\n{"c":3}'])).toEqual([
      '{"a":1}',
      '{"b":2}',
      '',
      '{"c":3}',
    ]);
  });

  it('yields nothing for no bytes, and no empty last line after a final break', async () => {
    expect(await linesOf([])).toEqual([]);
    expect(await linesOf(['x\n'])).toEqual(['x']);
  });
});
