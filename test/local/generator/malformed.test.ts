import { beforeAll, describe, expect, it } from 'vitest';
import { DEFECT_KINDS, type DefectKind } from '../../../shared/local/generator/files.js';
import {
  generateSampleData,
  type ManifestEntry,
} from '../../../shared/local/generator/generate.js';
import { BZIP2_MISSING, bzip2Dc, bzip2Test, hasBzip2 } from '../../support/bzip2.js';
import { MemoryObjectStore } from '../../support/memory-object-store.js';

const BUCKET = 'malformed';
const BZ_MAGIC = Buffer.from('BZh');

describe.skipIf(!hasBzip2)(`malformed mode${hasBzip2 ? '' : ` (${BZIP2_MISSING})`}`, () => {
  const files = new Map<DefectKind, { entry: ManifestEntry; data: Buffer }>();

  beforeAll(async () => {
    const store = new MemoryObjectStore();
    const manifest = await generateSampleData(store, BUCKET, { mode: 'malformed', seed: 2 });
    for (const entry of manifest.files) {
      files.set(entry.defect!.kind, { entry, data: store.bytes(BUCKET, entry.objectName) });
    }
  });

  const file = (kind: DefectKind) => files.get(kind)!;
  const text = (kind: DefectKind) => bzip2Dc(file(kind).data).toString('utf8');

  it('writes one file per defect, each explained in the manifest', () => {
    expect([...files.keys()]).toEqual([...DEFECT_KINDS]);
    for (const { entry } of files.values()) {
      expect(entry.defect!.problem.length).toBeGreaterThan(10);
      expect(entry.defect!.expected.length).toBeGreaterThan(10);
      expect(entry.storedBytes).toBe(file(entry.defect!.kind).data.length);
    }
  });

  it.each(['corrupt-bz2', 'truncated-bz2'] as const)(
    '%s fails bzip2 -t but starts like bzip2',
    (kind) => {
      expect(file(kind).data.subarray(0, 3).equals(BZ_MAGIC)).toBe(true);
      expect(bzip2Test(file(kind).data)).toBe(false);
      expect(file(kind).entry.defect!.validLines).toBe(0);
    },
  );

  it('empty-file is 0 bytes', () => {
    expect(file('empty-file').data.length).toBe(0);
    expect(file('empty-file').entry).toMatchObject({ lines: 0, bytes: 0 });
  });

  it('not-bz2 is plain NDJSON', () => {
    const { data, entry } = file('not-bz2');
    expect(bzip2Test(data)).toBe(false);
    expect(data.subarray(0, 3).equals(BZ_MAGIC)).toBe(false);
    expect(data.toString('utf8').split('\n').slice(0, -1)).toHaveLength(entry.lines);
  });

  it('invalid-json-lines has broken lines exactly where the manifest says', () => {
    const { entry } = file('invalid-json-lines');
    const lines = text('invalid-json-lines').split('\n').slice(0, -1);
    const invalid = lines.flatMap((line, i) => (isJson(line) ? [] : [i + 1]));
    expect(invalid).toEqual(entry.defect!.invalidLineNumbers);
    expect(lines.length - invalid.length).toBe(entry.defect!.validLines);
  });

  it('no-final-newline lacks only the last line feed', () => {
    const content = text('no-final-newline');
    expect(content.endsWith('\n')).toBe(false);
    expect(content.split('\n')).toHaveLength(file('no-final-newline').entry.lines);
  });

  it('crlf-line-endings ends every line with CR LF', () => {
    const content = text('crlf-line-endings');
    const lines = content.split('\r\n');
    expect(lines.pop()).toBe('');
    expect(lines).toHaveLength(file('crlf-line-endings').entry.lines);
    expect(lines.every((line) => isJson(line))).toBe(true);
  });

  it('multi-stream-bz2 holds two streams whose lines together are the whole market', () => {
    const { data, entry } = file('multi-stream-bz2');
    expect(bzip2Test(data)).toBe(true);
    expect(data.indexOf(BZ_MAGIC, 3)).toBeGreaterThan(0);
    const content = text('multi-stream-bz2');
    expect(content.length).toBe(entry.bytes);
    expect(content.split('\n').slice(0, -1)).toHaveLength(entry.lines);
  });
});

function isJson(line: string): boolean {
  try {
    JSON.parse(line);
    return true;
  } catch {
    return false;
  }
}
