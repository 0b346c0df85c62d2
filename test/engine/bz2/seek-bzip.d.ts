// The parts of seek-bzip (the reference decoder in tests) that the tests use.
declare module 'seek-bzip' {
  /** Decodes a whole (optionally multi-stream) bzip2 buffer. */
  export function decode(input: Buffer, output?: Buffer, multistream?: boolean): Buffer;
}
