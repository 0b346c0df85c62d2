import { Readable } from 'node:stream';

/** A readable over one string or buffer. */
export function bytes(content: string | Buffer): Readable {
  return Readable.from([Buffer.from(content)]);
}

/** Everything a stream yields, as a buffer. */
export async function drain(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(Buffer.from(chunk as Uint8Array));
  return Buffer.concat(chunks);
}

/** A stream that yields some bytes and then fails, like a dropped upload. */
export function failingAfter(content: string, message = 'source broke'): Readable {
  return Readable.from(
    (async function* () {
      yield Buffer.from(content);
      await new Promise((resolve) => setTimeout(resolve, 10));
      throw new Error(message);
    })(),
  );
}
