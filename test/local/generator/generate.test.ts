import { describe, expect, it } from 'vitest';
import {
  generateSampleData,
  type GenerateOptionsInput,
} from '../../../shared/local/generator/generate.js';
import { BZIP2_MISSING, bzip2Dc, bzip2Test, hasBzip2 } from '../../support/bzip2.js';
import { MemoryObjectStore } from '../../support/memory-object-store.js';

const BUCKET = 'betfair-historic';
const SMALL: GenerateOptionsInput = {
  meetings: 2,
  racesPerMeeting: 3,
  updates: 40,
  preOffMinutes: 30,
};

async function generate(options: GenerateOptionsInput) {
  const store = new MemoryObjectStore();
  const manifest = await generateSampleData(store, BUCKET, options);
  const bytes = new Map(
    manifest.files.map((f) => [f.objectName, store.bytes(BUCKET, f.objectName)]),
  );
  return { store, manifest, bytes };
}

describe.skipIf(!hasBzip2)(`generateSampleData${hasBzip2 ? '' : ` (${BZIP2_MISSING})`}`, () => {
  it('writes the same bytes for the same seed, and different ones for another seed', async () => {
    const a = await generate({ ...SMALL, seed: 5 });
    const b = await generate({ ...SMALL, seed: 5 });
    const c = await generate({ ...SMALL, seed: 6 });
    expect([...a.bytes.keys()]).toEqual([...b.bytes.keys()]);
    for (const [name, data] of a.bytes) expect(data.equals(b.bytes.get(name)!)).toBe(true);
    expect(a.manifest).toEqual(b.manifest);
    expect([...c.bytes.keys()]).not.toEqual([...a.bytes.keys()]);
  });

  it('writes WIN and PLACE files for every race in the vendor layout', async () => {
    const { manifest } = await generate({ ...SMALL, seed: 3 });
    expect(manifest.files.length % 2).toBe(0);
    expect(manifest.files.length).toBeGreaterThanOrEqual(2 * 2 * 2);
    for (const file of manifest.files) {
      expect(file.objectName).toMatch(/^PRO\/2022\/Apr\/19\/\d{8}\/1\.\d{9}\.bz2$/);
      expect(file.objectName).toBe(`PRO/2022/Apr/19/${file.eventId}/${file.marketId}.bz2`);
    }
    expect(new Set(manifest.files.map((f) => f.eventId)).size).toBe(2);
  });

  it('names month and day folders as the vendor does, after the prefix', async () => {
    const { manifest } = await generate({
      ...SMALL,
      meetings: 1,
      date: '2023-01-05',
      days: 2,
      prefix: 'samples/',
      tier: 'BASIC',
    });
    const folders = new Set(
      manifest.files.map((f) => f.objectName.split('/').slice(0, 5).join('/')),
    );
    expect([...folders]).toEqual(['samples/BASIC/2023/Jan/5', 'samples/BASIC/2023/Jan/6']);
  });

  it('writes valid bzip2 that decompresses to the lines and bytes the manifest promises', async () => {
    const { manifest, bytes } = await generate({ ...SMALL, seed: 11 });
    for (const file of manifest.files) {
      const stored = bytes.get(file.objectName)!;
      expect(bzip2Test(stored), file.objectName).toBe(true);
      expect(stored.length).toBe(file.storedBytes);
      const text = bzip2Dc(stored).toString('utf8');
      expect(text.length).toBe(file.bytes);
      expect(text.endsWith('\n')).toBe(true);
      const lines = text.split('\n').slice(0, -1);
      expect(lines.length).toBe(file.lines);
      expect((JSON.parse(lines[0]!) as { mc: { id: string }[] }).mc[0]!.id).toBe(file.marketId);
    }
  });

  it('high-volume writes exactly the number of small files asked for', async () => {
    const { manifest } = await generate({
      mode: 'high-volume',
      files: 150,
      updates: 5,
      concurrency: 8,
    });
    expect(manifest.files).toHaveLength(150);
    expect(new Set(manifest.files.map((f) => f.objectName)).size).toBe(150);
  });

  it('high-volume few-large writes a few long files', async () => {
    const { manifest } = await generate({
      mode: 'high-volume',
      shape: 'few-large',
      files: 2,
      updates: 3000,
    });
    expect(manifest.files).toHaveLength(2);
    for (const file of manifest.files) expect(file.lines).toBeGreaterThan(3000);
  });

  it('rejects options out of range', async () => {
    await expect(
      generateSampleData(new MemoryObjectStore(), BUCKET, { meetings: 0 }),
    ).rejects.toThrow();
    await expect(
      generateSampleData(new MemoryObjectStore(), BUCKET, { date: '2022-02-30' }),
    ).rejects.toThrow(/YYYY-MM-DD/);
  });
});
