import { describe, expect, it } from 'vitest';
import type { NormalizeLinesOptions } from '../../../shared/engine/lines/lines.js';
import { chunked, chunkings, runLines } from './line-harness.js';

// A raw CR inside a string is not valid JSON, so that case passes invalid lines through.
const pass: NormalizeLinesOptions = { invalidLines: 'pass' };

const cases: { name: string; input: string; expected: string; options?: NormalizeLinesOptions }[] =
  [
    { name: 'keeps terminated lines', input: '{"a":1}\n{"b":2}\n', expected: '{"a":1}\n{"b":2}\n' },
    {
      name: 'adds a missing final newline',
      input: '{"a":1}\n{"b":2}',
      expected: '{"a":1}\n{"b":2}\n',
    },
    { name: 'turns CRLF into LF', input: '{"a":1}\r\n{"b":2}\r\n', expected: '{"a":1}\n{"b":2}\n' },
    { name: 'drops a final CR without LF', input: '{"a":1}\r\n[1]\r', expected: '{"a":1}\n[1]\n' },
    { name: 'drops blank lines', input: '\n[1]\n\n\r\n[2]\n\n', expected: '[1]\n[2]\n' },
    { name: 'keeps a raw CR mid-line', input: '"a\rb"\r\n', expected: '"a\rb"\n', options: pass },
    { name: 'keeps escaped CRLF in a string', input: '"a\\r\\n"\r\n', expected: '"a\\r\\n"\n' },
    {
      name: 'keeps non-ASCII bytes',
      input: '{"n":"Ségolène ☃ 🐎"}\n',
      expected: '{"n":"Ségolène ☃ 🐎"}\n',
    },
    { name: 'keeps spacing as sent', input: '{ "a" : 1 }  \n', expected: '{ "a" : 1 }  \n' },
    { name: 'empty source', input: '', expected: '' },
    { name: 'only blank lines', input: '\r\n\n\r\n', expected: '' },
  ];

describe('normalizeLines', () => {
  describe.each(cases)('$name', ({ input, expected, options }) => {
    const bytes = Buffer.from(input, 'utf8');
    it.each(chunkings(bytes))('$label', async ({ sizes }) => {
      const { output } = await runLines(chunked(bytes, sizes), options);
      expect(output.equals(Buffer.from(expected, 'utf8'))).toBe(true);
    });
  });

  it('counts lines and bytes', async () => {
    const input = Buffer.from('[1]\r\n\n[2]\n\r\n{"x":"é"}');
    const { output, stats } = await runLines(chunked(input, [3]));
    expect(stats).toEqual({
      linesIn: 3,
      linesOut: 3,
      invalid: 0,
      quarantined: 0,
      dropped: 0,
      blank: 2,
      bytesOut: output.length,
    });
  });

  it('packs many lines into few large Buffers', async () => {
    const line = `${JSON.stringify({ op: 'mcm', pt: 1, mc: [] })}\n`;
    const input = Buffer.from(line.repeat(20_000));
    const { output, buffers } = await runLines(chunked(input, [1000]), { batchBytes: 64 * 1024 });
    expect(output.equals(input)).toBe(true);
    expect(buffers.length).toBeLessThanOrEqual(Math.ceil(input.length / (64 * 1024)) + 1);
    expect(buffers.slice(0, -1).every((buffer) => buffer.length > 60 * 1024)).toBe(true);
  });

  it('passes a line longer than a batch as its own Buffer', async () => {
    const long = `"${'x'.repeat(300)}"`;
    const input = Buffer.from(`[1]\n${long}\n[2]\n`);
    const { output } = await runLines(chunked(input, [7]), { batchBytes: 64 });
    expect(output.toString()).toBe(`[1]\n${long}\n[2]\n`);
  });

  it('hands out Buffers that later lines do not overwrite', async () => {
    const input = Buffer.from('[1]\n[2]\n[3]\n[4]\n');
    const { buffers } = await runLines(chunked(input, [4]), { batchBytes: 8 });
    expect(buffers.map(String)).toEqual(['[1]\n[2]\n', '[3]\n[4]\n']);
  });
});
