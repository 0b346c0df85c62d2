/**
 * True when `head` starts like a bzip2 stream: "BZh" and a block-size digit 1–9. Needs the
 * first 4 bytes; a 0-byte file is not recognised (though decodeBzip2 accepts it as empty).
 */
export function isBzip2Magic(head: Uint8Array): boolean {
  return (
    head.length >= 4 &&
    head[0] === 0x42 &&
    head[1] === 0x5a &&
    head[2] === 0x68 &&
    head[3]! >= 0x31 &&
    head[3]! <= 0x39
  );
}
