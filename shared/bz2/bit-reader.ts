/**
 * Thrown by the block decoder. `needMore` means the decoder read past the bits it was given,
 * so the block may simply continue beyond them; otherwise the data itself is bad.
 */
export class BlockDecodeError extends Error {
  override readonly name = 'BlockDecodeError';

  constructor(
    message: string,
    readonly reason: 'corrupt' | 'need-more' | 'unsupported',
  ) {
    super(message);
  }
}

/**
 * A most-significant-bit-first reader over a byte array, for the block header. Bits past the
 * end of `data` read as zero; `overran` says whether more than `limitBit` bits were consumed.
 */
export class BitReader {
  constructor(
    private readonly data: Uint8Array,
    public bit: number,
    private readonly limitBit: number,
  ) {}

  /** Reads `n` (1..24) bits as an unsigned number. */
  read(n: number): number {
    const byte = this.bit >>> 3;
    const d = this.data;
    const len = d.length;
    const word =
      ((byte < len ? d[byte]! : 0) << 24) |
      ((byte + 1 < len ? d[byte + 1]! : 0) << 16) |
      ((byte + 2 < len ? d[byte + 2]! : 0) << 8) |
      (byte + 3 < len ? d[byte + 3]! : 0);
    const value = ((word << (this.bit & 7)) >>> (32 - n)) >>> 0;
    this.bit += n;
    if (this.bit > this.limitBit + 64) throw this.overrunError();
    return value;
  }

  /** Reads one bit as a boolean. */
  flag(): boolean {
    return this.read(1) === 1;
  }

  /** True when the reader consumed bits beyond the limit it was given. */
  get overran(): boolean {
    return this.bit > this.limitBit;
  }

  private overrunError(): BlockDecodeError {
    return new BlockDecodeError('block continues past the available data', 'need-more');
  }
}
