import { describe, expect, it } from 'vitest';
import { QuarantineCollector } from '../../../shared/engine/lines/lines.js';
import { chunked, runLines } from './line-harness.js';

const source = [
  '{"op":"mcm"}', // 1
  '', // 2: blank lines still count for line numbers
  '{"op":', // 3
  '{"op":"mcm","pt":2}', // 4
  'not json', // 5
  '\r', // 6
  '{"a":1} {"b":2}', // 7: two values on one line
].join('\n');

describe('normalizeLines JSON validation', () => {
  it.each([[1], [4], [1000]])(
    'quarantines invalid lines with source line numbers (chunks of %i)',
    async (size) => {
      const quarantine = new QuarantineCollector();
      const { output, stats } = await runLines(chunked(Buffer.from(source), [size]), {
        quarantine,
      });
      expect(output.toString()).toBe('{"op":"mcm"}\n{"op":"mcm","pt":2}\n');
      expect(quarantine.entries.map((entry) => [entry.line, entry.text])).toEqual([
        [3, '{"op":'],
        [5, 'not json'],
        [7, '{"a":1} {"b":2}'],
      ]);
      expect(quarantine.entries.every((entry) => entry.reason.length > 0)).toBe(true);
      expect(stats).toMatchObject({
        linesIn: 5,
        linesOut: 2,
        invalid: 3,
        quarantined: 3,
        blank: 2,
      });
    },
  );

  it('passes invalid lines on when asked, still counting them', async () => {
    const quarantine = new QuarantineCollector();
    const { output, stats } = await runLines(chunked(Buffer.from(source), [3]), {
      invalidLines: 'pass',
      quarantine,
    });
    expect(output.toString()).toBe(
      '{"op":"mcm"}\n{"op":\n{"op":"mcm","pt":2}\nnot json\n{"a":1} {"b":2}\n',
    );
    expect(stats).toMatchObject({ linesIn: 5, linesOut: 5, invalid: 3, quarantined: 0 });
    expect(quarantine.count).toBe(0);
  });

  it('quarantines bytes that are not UTF-8 even inside a JSON string', async () => {
    const input = Buffer.concat([
      Buffer.from('["ok"]\n["'),
      Buffer.of(0xff, 0xfe),
      Buffer.from('"]\n'),
    ]);
    const quarantine = new QuarantineCollector();
    const { output } = await runLines(chunked(input, [2]), { quarantine });
    expect(output.toString()).toBe('["ok"]\n');
    expect(quarantine.entries[0]).toMatchObject({ line: 2, reason: 'Line is not valid UTF-8' });
  });

  it('writes everything unchecked with validate: false', async () => {
    const { output, stats } = await runLines(chunked(Buffer.from(source), [5]), {
      validate: false,
    });
    expect(output.toString()).toBe(
      '{"op":"mcm"}\n{"op":\n{"op":"mcm","pt":2}\nnot json\n{"a":1} {"b":2}\n',
    );
    expect(stats).toMatchObject({ linesOut: 5, invalid: 0 });
  });
});

describe('normalizeLines transform hook', () => {
  const input = Buffer.from('{"op":"heartbeat"}\r\n{"op":"mcm","pt":1}\n{"op":"mcm","pt":2}');
  const transformLine = (line: Buffer): Buffer | null =>
    line.includes('heartbeat')
      ? null
      : Buffer.concat([line.subarray(0, -1), Buffer.from(',"x":1}')]);

  it.each([[1], [7], [1000]])(
    'rewrites and drops lines after validation (chunks of %i)',
    async (size) => {
      const { output, stats } = await runLines(chunked(input, [size]), { transformLine });
      expect(output.toString()).toBe('{"op":"mcm","pt":1,"x":1}\n{"op":"mcm","pt":2,"x":1}\n');
      expect(stats).toMatchObject({ linesIn: 3, linesOut: 2, dropped: 1, bytesOut: output.length });
    },
  );

  it('never sees quarantined lines', async () => {
    const seen: string[] = [];
    await runLines(chunked(Buffer.from('[1]\nbad\n[2]\n'), [2]), {
      transformLine: (line) => (seen.push(line.toString()), line),
    });
    expect(seen).toEqual(['[1]', '[2]']);
  });
});
