import os from 'node:os';
import path from 'node:path';
import { appendFile, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FirestoreJournal, type JournalOptions } from '../../shared/local/firestore-journal.js';
import { hasCode } from '../../shared/platform/errors.js';
import { createLogger } from '../../shared/platform/logging.js';

/** A key-value state whose records are `key=value` sets; its snapshot is one record a key. */
class KeyValueState {
  readonly values = new Map<string, string>();
  applied = 0;

  apply(record: Uint8Array): void {
    const [key, value] = Buffer.from(record).toString('utf8').split('=');
    this.values.set(key!, value!);
    this.applied += 1;
  }

  snapshot(): Uint8Array[] {
    return [...this.values].map(([key, value]) => Buffer.from(`${key}=${value}`));
  }

  /** Applies a set, then journals it, as the emulator does with a commit. */
  set(journal: FirestoreJournal, key: string, value: string): Promise<void> {
    const record = Buffer.from(`${key}=${value}`);
    this.apply(record);
    return journal.append(record);
  }
}

describe('FirestoreJournal', () => {
  let dir: string;
  let lines: Record<string, unknown>[];
  const options = (extra: Partial<JournalOptions> = {}): JournalOptions => ({
    dir,
    logger: createLogger({
      write: (line) => lines.push(JSON.parse(line) as Record<string, unknown>),
    }),
    ...extra,
  });
  const reopen = async (extra: Partial<JournalOptions> = {}) => {
    const state = new KeyValueState();
    const journal = await FirestoreJournal.open(options(extra), state);
    return { state, journal };
  };
  const journalFile = async () => {
    const names = (await readdir(dir)).filter((name) => name.startsWith('journal-'));
    expect(names).toHaveLength(1);
    return path.join(dir, names[0]!);
  };

  beforeEach(async () => {
    dir = path.join(await mkdtemp(path.join(os.tmpdir(), 'chimera-journal-')), 'firestore');
    lines = [];
  });
  afterEach(async () => {
    await rm(path.dirname(dir), { recursive: true, force: true });
  });

  it('replays every acknowledged record, in order, after a reopen', async () => {
    const first = await reopen();
    for (let i = 0; i < 20; i += 1) await first.state.set(first.journal, `k${i % 5}`, `v${i}`);
    await first.journal.close({ compact: false });

    const second = await reopen();
    expect(second.state.applied).toBe(20);
    expect([...second.state.values]).toEqual([...first.state.values]);
    expect(lines.at(-1)).toMatchObject({
      message: 'firestore journal replayed',
      snapshotRecords: 0,
      journalRecords: 20,
    });
    await second.journal.close({ compact: false });
  });

  it('groups appends made while a sync is in flight into one sync', async () => {
    const { state, journal } = await reopen();
    await Promise.all(Array.from({ length: 200 }, (_, i) => state.set(journal, `k${i}`, `${i}`)));
    const stats = journal.stats();
    expect(stats.appended).toBe(200);
    expect(stats.syncs).toBeLessThan(200);
    await journal.close({ compact: false });

    const again = await reopen();
    expect(again.state.values.size).toBe(200);
    await again.journal.close({ compact: false });
  });

  it('drops a torn tail with a warning, keeps the records before it, and appends after them', async () => {
    const first = await reopen();
    await first.state.set(first.journal, 'a', '1');
    await first.state.set(first.journal, 'b', '2');
    await first.journal.close({ compact: false });
    const file = await journalFile();
    const goodBytes = (await stat(file)).size;
    // Half a frame header, as a crash during a write leaves it.
    await appendFile(file, Buffer.from([9, 0, 0, 0, 1, 2]));

    const second = await reopen();
    expect([...second.state.values]).toEqual([
      ['a', '1'],
      ['b', '2'],
    ]);
    expect(lines).toContainEqual(
      expect.objectContaining({
        severity: 'WARNING',
        message: 'firestore journal: torn tail dropped',
        keptBytes: goodBytes,
        droppedBytes: 6,
      }),
    );
    expect((await stat(file)).size).toBe(goodBytes);
    await second.state.set(second.journal, 'c', '3');
    await second.journal.close({ compact: false });

    const third = await reopen();
    expect(third.state.values.get('c')).toBe('3');
    await third.journal.close({ compact: false });
  });

  it('drops a last record whose checksum does not match', async () => {
    const first = await reopen();
    await first.state.set(first.journal, 'a', '1');
    await first.state.set(first.journal, 'b', '2');
    await first.journal.close({ compact: false });
    const file = await journalFile();
    const bytes = await readFile(file);
    bytes.writeUInt8(bytes.readUInt8(bytes.length - 1) ^ 0xff, bytes.length - 1);
    await writeFile(file, bytes);

    const second = await reopen();
    expect([...second.state.values]).toEqual([['a', '1']]);
    await second.journal.close({ compact: false });
  });

  it('compacts past the size limit: the journal shrinks and nothing is lost', async () => {
    const first = await reopen({ compactAfterBytes: 4096 });
    for (let i = 0; i < 600; i += 1) await first.state.set(first.journal, `k${i % 10}`, `v${i}`);
    const stats = first.journal.stats();
    expect(stats.compactions).toBeGreaterThan(0);
    expect(stats.journalBytes).toBeLessThan(4096);
    await first.journal.close({ compact: false });
    expect((await stat(await journalFile())).size).toBeLessThan(4096);

    const second = await reopen();
    expect([...second.state.values]).toEqual([...first.state.values]);
    expect(second.state.applied).toBeLessThan(600);
    await second.journal.close({ compact: false });
  });

  it('compacts at a clean close into a snapshot and an empty journal', async () => {
    const first = await reopen();
    for (let i = 0; i < 50; i += 1) await first.state.set(first.journal, `k${i % 3}`, `v${i}`);
    await first.journal.close({ compact: true });

    const second = await reopen();
    expect([...second.state.values]).toEqual([...first.state.values]);
    expect(second.state.applied).toBe(3);
    expect(lines.at(-1)).toMatchObject({ snapshotRecords: 3, journalRecords: 0 });
    await second.journal.close({ compact: false });
  });

  it('recovers from a compaction cut short: a leftover temp snapshot or older journal', async () => {
    const first = await reopen();
    await first.state.set(first.journal, 'a', '1');
    await first.journal.close({ compact: true });
    // As if the next compaction had stopped while writing its snapshot…
    await writeFile(path.join(dir, 'snapshot.tmp'), 'partial');
    // …and the one before had stopped before removing the journal its snapshot replaced.
    await writeFile(path.join(dir, 'journal-0'), 'covered by the snapshot');

    const second = await reopen();
    expect([...second.state.values]).toEqual([['a', '1']]);
    expect((await readdir(dir)).sort()).toEqual(['journal-1', 'snapshot']);
    await second.journal.close({ compact: false });
  });

  it('refuses a damaged snapshot or a journal it did not write, rather than start empty', async () => {
    const first = await reopen();
    await first.state.set(first.journal, 'a', '1');
    await first.journal.close({ compact: true });
    const snapshot = path.join(dir, 'snapshot');
    const bytes = await readFile(snapshot);
    await writeFile(snapshot, bytes.subarray(0, bytes.length - 1));
    const damaged = await reopen().catch((error: unknown) => error);
    expect(hasCode(damaged, 'FIRESTORE.DATA_CORRUPT')).toBe(true);

    await writeFile(snapshot, bytes);
    await writeFile(path.join(dir, 'journal-1'), 'something else entirely');
    const foreign = await reopen().catch((error: unknown) => error);
    expect(hasCode(foreign, 'FIRESTORE.DATA_CORRUPT')).toBe(true);
  });
});
