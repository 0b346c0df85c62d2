/**
 * The lines of a byte stream (decoded bzip2 blocks, file chunks), each without its LF or CRLF
 * break, the last with or without one, in one batch per chunk: the lines that end in it, the
 * first joined with what the previous chunk left over. A line within one chunk is a view of it,
 * not a copy; one spanning chunks is joined. Lines are Buffers, the engine's fast path. A
 * batch is only waited for once, where a line at a time would cost its consumer an
 * asynchronous step per line.
 */
export async function* chunkLineBatches(
  chunks: AsyncIterable<Uint8Array>,
): AsyncGenerator<Buffer[]> {
  let carry: Buffer | undefined;
  for await (const chunk of chunks) {
    let bytes = Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    if (carry !== undefined) {
      bytes = Buffer.concat([carry, bytes]);
      carry = undefined;
    }
    const lines: Buffer[] = [];
    let start = 0;
    for (let end = bytes.indexOf(10, start); end >= 0; end = bytes.indexOf(10, start)) {
      lines.push(withoutCr(bytes.subarray(start, end)));
      start = end + 1;
    }
    if (start < bytes.length) carry = Buffer.from(bytes.subarray(start));
    if (lines.length > 0) yield lines;
  }
  if (carry !== undefined) yield [withoutCr(carry)];
}

/** The lines of chunkLineBatches one at a time, for a consumer that may stop after any. */
export async function* chunkLines(chunks: AsyncIterable<Uint8Array>): AsyncGenerator<Buffer> {
  for await (const lines of chunkLineBatches(chunks)) yield* lines;
}

function withoutCr(line: Buffer): Buffer {
  return line.length > 0 && line[line.length - 1] === 13 ? line.subarray(0, -1) : line;
}
