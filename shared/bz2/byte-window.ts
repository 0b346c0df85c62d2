/**
 * The compressed bytes between the decoder's confirmed position and what has been read so
 * far, kept as the chunks they arrived in (no re-concatenation on every read), addressed by
 * absolute byte offset in the input.
 */
export class ByteWindow {
  private chunks: Uint8Array[] = [];
  private startByte = 0;
  /** Absolute offset just past the last byte received. */
  endByte = 0;

  /** Adds the next chunk of input. */
  append(chunk: Uint8Array): void {
    if (chunk.length === 0) return;
    this.chunks.push(chunk);
    this.endByte += chunk.length;
  }

  /** Forgets whole chunks that end at or before absolute offset `byte`. */
  discardBefore(byte: number): void {
    while (this.chunks.length > 0 && this.startByte + this.chunks[0]!.length <= byte) {
      this.startByte += this.chunks.shift()!.length;
    }
  }

  /**
   * A copy of bytes [from, to), into `out` (which must hold exactly to - from bytes) or into
   * a fresh array that owns its ArrayBuffer, so it can be transferred.
   */
  copy(from: number, to: number, out = new Uint8Array(to - from)): Uint8Array<ArrayBuffer> {
    if (from < this.startByte || to > this.endByte) {
      throw new RangeError(`bytes ${from}..${to} are outside the window`);
    }
    let chunkStart = this.startByte;
    for (const chunk of this.chunks) {
      const chunkEnd = chunkStart + chunk.length;
      if (chunkEnd > from && chunkStart < to) {
        const a = Math.max(from, chunkStart);
        const b = Math.min(to, chunkEnd);
        out.set(chunk.subarray(a - chunkStart, b - chunkStart), a - from);
      }
      if (chunkEnd >= to) break;
      chunkStart = chunkEnd;
    }
    return out;
  }

  /** Reads `n` (1..32) bits starting at absolute bit offset `bit`, most significant first. */
  bits(bit: number, n: number): number {
    const first = Math.floor(bit / 8);
    const bytes = this.copy(first, Math.ceil((bit + n) / 8));
    let value = 0;
    for (const b of bytes) value = value * 256 + b;
    const extra = bytes.length * 8 - (bit - first * 8) - n;
    return Math.floor(value / 2 ** extra) % 2 ** n;
  }
}
