import { describe, expect, it } from 'vitest';
import { QuarantineCollector } from '../../../shared/engine/lines/lines.js';

describe('QuarantineCollector', () => {
  it('keeps the first entries and only counts the rest', () => {
    const collector = new QuarantineCollector({ maxEntries: 2 });
    for (let line = 1; line <= 5; line += 1) collector.add(line, Buffer.from(`bad ${line}`), 'why');
    expect(collector.count).toBe(5);
    expect(collector.omitted).toBe(3);
    expect(collector.entries.map((entry) => entry.line)).toEqual([1, 2]);
  });

  it('writes NDJSON entries with line, reason and text', () => {
    const collector = new QuarantineCollector();
    collector.add(12, Buffer.from('{"a":'), 'Unexpected end of JSON input');
    expect(collector.toNdjson().toString()).toBe(
      '{"line":12,"reason":"Unexpected end of JSON input","text":"{\\"a\\":"}\n',
    );
  });

  it.each([
    { name: 'ASCII', line: 'x'.repeat(50), expected: 'x'.repeat(10) },
    { name: 'multi-byte', line: 'é'.repeat(50), expected: 'é'.repeat(10) },
    { name: 'surrogate pair at the cut', line: `${'x'.repeat(9)}🐎🐎`, expected: 'x'.repeat(9) },
    { name: 'short', line: 'abc', expected: 'abc' },
  ])('cuts text to maxTextChars ($name)', ({ line, expected }) => {
    const collector = new QuarantineCollector({ maxTextChars: 10 });
    collector.add(1, Buffer.from(line), 'why');
    expect(collector.entries[0]?.text).toBe(expected);
  });

  it('copies what it keeps, so reused memory does not change entries', () => {
    const collector = new QuarantineCollector();
    const buffer = Buffer.from('bad');
    collector.add(1, buffer, 'why');
    buffer.fill(0x7a);
    expect(collector.entries[0]?.text).toBe('bad');
  });
});
