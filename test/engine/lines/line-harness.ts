import { Readable } from 'node:stream';
import {
  normalizeLines,
  type NormalizeLinesOptions,
  type LineStats,
} from '../../../shared/engine/lines/lines.js';

/** Chunks delivered asynchronously, as a Readable stream delivers them. */
export function toAsync(chunks: Iterable<Buffer>): AsyncIterable<Buffer> {
  return Readable.from(chunks) as AsyncIterable<Buffer>;
}

/** Yields `input` in chunks of the given sizes (the last size repeats). */
export function chunked(input: Buffer, sizes: number[]): AsyncIterable<Buffer> {
  return toAsync(slices(input, sizes));
}

function* slices(input: Buffer, sizes: number[]): Generator<Buffer> {
  let offset = 0;
  let index = 0;
  while (offset < input.length) {
    const size = sizes[Math.min(index, sizes.length - 1)] ?? input.length;
    yield input.subarray(offset, offset + size);
    offset += size;
    index += 1;
  }
}

/** Every way of feeding `input` that the tests try: whole, byte by byte, and split at each position. */
export function chunkings(input: Buffer): { label: string; sizes: number[] }[] {
  const splits = Array.from({ length: Math.max(input.length - 1, 0) }, (_, i) => ({
    label: `split at ${i + 1}`,
    sizes: [i + 1, input.length],
  }));
  return [
    { label: 'whole', sizes: [input.length || 1] },
    { label: '1-byte', sizes: [1] },
    ...splits,
  ];
}

/** Runs normalizeLines to the end and returns the output bytes, the Buffers and the stats. */
export async function runLines(
  source: AsyncIterable<Buffer>,
  options: NormalizeLinesOptions = {},
): Promise<{ output: Buffer; buffers: Buffer[]; stats: LineStats }> {
  const { output, stats } = normalizeLines(source, options);
  const buffers: Buffer[] = [];
  for await (const buffer of output) buffers.push(buffer);
  return { output: Buffer.concat(buffers), buffers, stats: { ...stats } };
}
