import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { gunzipStream } from '../../../shared/engine/plugins/ndjson.js';
import { chunked } from '../lines/line-harness.js';

async function gunzip(input: Buffer, sizes = [7]): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const part of gunzipStream(chunked(input, sizes))) parts.push(part);
  return Buffer.concat(parts);
}

const first = Buffer.from('{"a":1}\n{"b":2}\n');
const second = Buffer.from('{"c":3}\n');

describe('gunzipStream', () => {
  it.each([[1], [7], [100_000]])(
    'decodes every member of a multi-member file (chunks of %i)',
    async (size) => {
      const input = Buffer.concat([gzipSync(first), gzipSync(second), gzipSync(Buffer.alloc(0))]);
      expect((await gunzip(input, [size])).equals(Buffer.concat([first, second]))).toBe(true);
    },
  );

  it('decodes a large file in pieces', async () => {
    const text = Buffer.from('{"op":"mcm","pt":1}\n'.repeat(200_000));
    expect((await gunzip(gzipSync(text), [65_536])).equals(text)).toBe(true);
  });

  it('gives nothing for an empty file', async () => {
    expect((await gunzip(Buffer.alloc(0))).length).toBe(0);
  });

  const damaged = (): Buffer => {
    const bytes = Buffer.from(gzipSync(first));
    bytes[bytes.length - 6] = (bytes[bytes.length - 6] ?? 0) ^ 0xff; // inside the CRC32
    return bytes;
  };

  it.each([
    {
      name: 'truncated',
      input: gzipSync(first).subarray(0, 20),
      code: 'GZIP.TRUNCATED',
      text: 'truncated',
    },
    {
      name: 'only a header',
      input: gzipSync(first).subarray(0, 10),
      code: 'GZIP.TRUNCATED',
      text: 'truncated',
    },
    { name: 'bad checksum', input: damaged(), code: 'GZIP.CORRUPT', text: 'corrupt' },
    { name: 'not gzip', input: Buffer.from('{"a":1}\n'), code: 'GZIP.CORRUPT', text: 'not gzip' },
    {
      name: 'garbage after a member',
      input: Buffer.concat([gzipSync(first), Buffer.from('garbage!')]),
      code: 'GZIP.CORRUPT',
      text: 'corrupt',
    },
  ])('fails on $name data with $code', async ({ input, code, text }) => {
    const error: unknown = await gunzip(input).catch((e: unknown) => e);
    expect(error).toMatchObject({ code, kind: 'invalid' });
    expect((error as Error).message).toContain(text);
  });

  it('stops reading the source when the consumer stops early', async () => {
    const text = Buffer.from('{"op":"mcm","pt":1}\n'.repeat(100_000));
    let returned = false;
    async function* source(): AsyncGenerator<Buffer> {
      try {
        yield* chunked(gzipSync(text), [1024]);
      } finally {
        returned = true;
      }
    }
    const iterator = gunzipStream(source());
    await iterator.next();
    await iterator.return(undefined);
    await new Promise((resolve) => setImmediate(resolve));
    expect(returned).toBe(true);
  });

  it('passes on an error of the source itself', async () => {
    async function* failing(): AsyncGenerator<Buffer> {
      yield* chunked(gzipSync(first).subarray(0, 12), [4]);
      throw new Error('download interrupted');
    }
    await expect(drain(failing())).rejects.toThrow('download interrupted');
  });
});

async function drain(source: AsyncIterable<Buffer>): Promise<void> {
  for await (const _ of gunzipStream(source)) void _;
}
