/**
 * The lines of a byte stream (decoded bzip2 blocks, file chunks), each without its LF or CRLF
 * break, the last with or without one. A line within one chunk is a view of it, not a copy; one
 * spanning chunks is joined. Lines are yielded as Buffers, the engine's fast path.
 */
export async function* chunkLines(chunks: AsyncIterable<Uint8Array>): AsyncGenerator<Buffer> {
  let carry: Buffer | undefined;
  for await (const chunk of chunks) {
    let bytes = Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    if (carry !== undefined) {
      bytes = Buffer.concat([carry, bytes]);
      carry = undefined;
    }
    let start = 0;
    for (let end = bytes.indexOf(10, start); end >= 0; end = bytes.indexOf(10, start)) {
      yield withoutCr(bytes.subarray(start, end));
      start = end + 1;
    }
    if (start < bytes.length) carry = Buffer.from(bytes.subarray(start));
  }
  if (carry !== undefined) yield withoutCr(carry);
}

function withoutCr(line: Buffer): Buffer {
  return line.length > 0 && line[line.length - 1] === 13 ? line.subarray(0, -1) : line;
}
