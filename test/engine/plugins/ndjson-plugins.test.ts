import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { normalizeLines } from '../../../shared/engine/lines/lines.js';
import {
  createNdjsonGzipPlugin,
  createNdjsonPlugin,
} from '../../../shared/engine/plugins/ndjson.js';
import { chunked } from '../lines/line-harness.js';

const text = Buffer.from('{"op":"mcm","pt":1}\r\n\r\n{"op":"mcm","pt":2}');
const expected = '{"op":"mcm","pt":1}\n{"op":"mcm","pt":2}\n';

describe.each([
  { plugin: createNdjsonPlugin(), stored: text },
  {
    plugin: createNdjsonGzipPlugin(),
    stored: Buffer.concat([gzipSync(text.subarray(0, 9)), gzipSync(text.subarray(9))]),
  },
])('$plugin.id plugin', ({ plugin, stored }) => {
  it('feeds the lines stage clean NDJSON', async () => {
    const { output } = normalizeLines(plugin.decoder(chunked(stored, [5])));
    const parts: Buffer[] = [];
    for await (const part of output) parts.push(part);
    expect(Buffer.concat(parts).toString()).toBe(expected);
  });

  it('describes itself for /api/plugins', () => {
    expect(Object.keys(plugin.describe())).toEqual([
      'id',
      'name',
      'extensions',
      'compression',
      'enabled',
      'description',
    ]);
    expect(plugin.describe().extensions).toEqual([...plugin.extensions]);
  });
});
