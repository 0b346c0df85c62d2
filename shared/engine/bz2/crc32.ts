/**
 * The CRC-32 bzip2 uses: polynomial 0x04c11db7, processed most significant bit first
 * (unlike zlib's reflected CRC-32), initial value and final xor 0xffffffff.
 */
const TABLES = buildTables();

function buildTables(): Uint32Array {
  // Four 256-entry tables so the checksum can consume four bytes per step.
  const t = new Uint32Array(4 * 256);
  for (let i = 0; i < 256; i++) {
    let c = i << 24;
    for (let k = 0; k < 8; k++) c = c & 0x80000000 ? (c << 1) ^ 0x04c11db7 : c << 1;
    t[i] = c >>> 0;
  }
  for (let i = 0; i < 256; i++) {
    for (let s = 1; s < 4; s++) {
      const prev = t[(s - 1) * 256 + i]!;
      t[s * 256 + i] = ((prev << 8) ^ t[prev >>> 24]!) >>> 0;
    }
  }
  return t;
}

/** The bzip2 CRC of bytes [0, length) of `data`. */
export function bzip2Crc(data: Uint8Array, length = data.length): number {
  const t = TABLES;
  let crc = 0xffffffff;
  let i = 0;
  const fast = length - (length & 3);
  for (; i < fast; i += 4) {
    crc ^= (data[i]! << 24) | (data[i + 1]! << 16) | (data[i + 2]! << 8) | data[i + 3]!;
    crc =
      t[768 + (crc >>> 24)]! ^
      t[512 + ((crc >>> 16) & 0xff)]! ^
      t[256 + ((crc >>> 8) & 0xff)]! ^
      t[crc & 0xff]!;
  }
  for (; i < length; i++) crc = (crc << 8) ^ t[((crc >>> 24) ^ data[i]!) & 0xff]!;
  return ~crc >>> 0;
}

/** Folds one block's CRC into a stream's combined CRC, as the bzip2 format defines it. */
export function combineCrc(combined: number, blockCrc: number): number {
  return (((combined << 1) | (combined >>> 31)) ^ blockCrc) >>> 0;
}
