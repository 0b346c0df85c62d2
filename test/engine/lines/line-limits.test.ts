import { describe, expect, it } from 'vitest';
import { AppError } from '../../../shared/platform/errors.js';
import { chunked, runLines, toAsync } from './line-harness.js';

describe('normalizeLines line length cap', () => {
  const cases = [
    { name: 'in one chunk', sizes: [1000] },
    { name: 'across chunks', sizes: [3] },
    { name: 'byte by byte', sizes: [1] },
  ];

  it.each(cases)('fails with LINES.TOO_LONG $name', async ({ sizes }) => {
    const input = Buffer.from(`[1]\n[2]\n"${'x'.repeat(40)}"\n[3]\n`);
    const error: unknown = await runLines(chunked(input, sizes), { maxLineBytes: 16 }).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(AppError);
    expect(error).toMatchObject({ code: 'LINES.TOO_LONG', kind: 'invalid' });
    expect((error as AppError).message).toContain('Line 3 ');
  });

  it('fails on an unterminated final line over the cap', async () => {
    const input = Buffer.from(`[1]\n"${'x'.repeat(40)}"`);
    await expect(runLines(chunked(input, [5]), { maxLineBytes: 16 })).rejects.toMatchObject({
      code: 'LINES.TOO_LONG',
    });
  });

  it.each([[1000], [1]])(
    'accepts a line of exactly the cap, CRLF-terminated (chunks of %i)',
    async (size) => {
      const line = `"${'x'.repeat(14)}"`;
      const input = Buffer.from(`${line}\r\n${line}\r\n`);
      const { output } = await runLines(chunked(input, [size]), { maxLineBytes: 16 });
      expect(output.toString()).toBe(`${line}\n${line}\n`);
    },
  );

  it('stops buffering an endless line as soon as it passes the cap', async () => {
    let produced = 0;
    function* endless(): Generator<Buffer> {
      for (;;) {
        produced += 1024;
        yield Buffer.alloc(1024, 0x61);
      }
    }
    await expect(runLines(toAsync(endless()), { maxLineBytes: 64 * 1024 })).rejects.toMatchObject({
      code: 'LINES.TOO_LONG',
    });
    expect(produced).toBeLessThanOrEqual(66 * 1024);
  });
});
