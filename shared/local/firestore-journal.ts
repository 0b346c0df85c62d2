import path from 'node:path';
import { crc32 } from 'node:zlib';
import { mkdir, open, readdir, readFile, rename, rm, type FileHandle } from 'node:fs/promises';
import { AppError } from '../platform/errors.js';
import { errnoCode, isMissing } from '../platform/files.js';
import type { Logger } from '../platform/logging.js';

/**
 * A write-ahead journal of opaque records in one folder, with a snapshot that replaces the
 * records it covers:
 *
 *   snapshot          SNAPSHOT_MAGIC, generation G, record count, then the records that
 *                     rebuild the state from empty (written to snapshot.tmp, fsynced, renamed)
 *   journal-<G>       JOURNAL_MAGIC, generation G, then every record appended since snapshot G
 *
 * A record is framed as length (u32 LE), CRC-32 of the payload (u32 LE), payload. An append is
 * durable (written and fdatasynced) before its promise resolves; appends that arrive while a
 * sync is in flight are written and synced together by the next one. Replay applies the
 * snapshot, then the journal of the same generation, and cuts the journal at the first frame
 * that is incomplete or fails its CRC (a write torn by a crash: never acknowledged).
 * Compaction writes snapshot G+1, then starts journal-<G+1> and removes journal-<G>; a crash
 * at any step leaves either snapshot G with journal-<G> or snapshot G+1, each complete.
 */

/** The state a journal keeps durable. */
export interface JournalState {
  /** Applies one record, from the snapshot or the journal, in the order they were written. */
  apply(record: Uint8Array): void;
  /** Records that rebuild the current state from empty. Called synchronously at a compaction. */
  snapshot(): Uint8Array[];
}

export interface JournalOptions {
  /** The folder holding the snapshot and the journal; created if missing. */
  dir: string;
  /** The journal's size that starts a compaction once a sync completes. */
  compactAfterBytes?: number;
  logger?: Logger;
}

/** What the journal has done since it was opened. */
export interface JournalStats {
  /** Records appended and made durable. */
  appended: number;
  /** fdatasync calls made for them: fewer than `appended` when commits were grouped. */
  syncs: number;
  compactions: number;
  /** The current journal file's size. */
  journalBytes: number;
}

/** A compaction once the journal passes this size. */
export const DEFAULT_COMPACT_AFTER_BYTES = 64 * 1024 * 1024;

const JOURNAL_MAGIC = Buffer.from('CHFSJRN1', 'latin1');
const SNAPSHOT_MAGIC = Buffer.from('CHFSSNP1', 'latin1');
/** Magic, generation (u32). */
const JOURNAL_HEADER_BYTES = JOURNAL_MAGIC.length + 4;
/** Magic, generation (u32), record count (u32). */
const SNAPSHOT_HEADER_BYTES = SNAPSHOT_MAGIC.length + 8;
/** Length (u32), CRC-32 (u32). */
const FRAME_HEADER_BYTES = 8;

const SNAPSHOT_FILE = 'snapshot';
const SNAPSHOT_TEMP_FILE = 'snapshot.tmp';
const JOURNAL_FILE = /^journal-(\d+)$/;
const journalFile = (generation: number) => `journal-${generation}`;

interface PendingAppend {
  frame: Buffer;
  resolve(): void;
  reject(error: unknown): void;
}

export class FirestoreJournal {
  private readonly counters: JournalStats = {
    appended: 0,
    syncs: 0,
    compactions: 0,
    journalBytes: 0,
  };
  private queue: PendingAppend[] = [];
  private draining: Promise<void> | undefined;
  private failure: AppError | undefined;
  private closed = false;
  private readonly compactAfterBytes: number;
  /** The size that starts the next compaction; raised after one fails, not to retry every sync. */
  private compactAt: number;

  private constructor(
    private readonly options: JournalOptions,
    private readonly state: JournalState,
    private generation: number,
    private handle: FileHandle,
    journalBytes: number,
  ) {
    this.counters.journalBytes = journalBytes;
    this.compactAfterBytes = options.compactAfterBytes ?? DEFAULT_COMPACT_AFTER_BYTES;
    this.compactAt = this.compactAfterBytes;
  }

  private get logger(): Logger | undefined {
    return this.options.logger;
  }

  /** Replays the folder's snapshot and journal into `state`, then opens the journal to append. */
  static async open(options: JournalOptions, state: JournalState): Promise<FirestoreJournal> {
    const { dir } = options;
    const logger = options.logger;
    const started = performance.now();
    await mkdir(dir, { recursive: true });
    await rm(path.join(dir, SNAPSHOT_TEMP_FILE), { force: true });

    const snapshot = await readSnapshot(dir);
    for (const record of snapshot.records) state.apply(record);
    const { generation } = snapshot;
    await removeJournalsBefore(dir, generation);

    const file = path.join(dir, journalFile(generation));
    const journal = await readJournal(file, generation);
    for (const record of journal.records) state.apply(record);

    const handle = await open(file, journal.validBytes === 0 ? 'w' : 'r+');
    try {
      if (journal.validBytes === 0) {
        await writeAll(handle, journalHeader(generation), 0);
        await handle.datasync();
        await syncDir(dir);
      } else if (journal.validBytes < journal.fileBytes) {
        logger?.warn('firestore journal: torn tail dropped', {
          file,
          keptBytes: journal.validBytes,
          droppedBytes: journal.fileBytes - journal.validBytes,
        });
        await handle.truncate(journal.validBytes);
        await handle.datasync();
      }
    } catch (error) {
      await handle.close();
      throw error;
    }
    logger?.info('firestore journal replayed', {
      dir,
      generation,
      snapshotRecords: snapshot.records.length,
      journalRecords: journal.records.length,
      ms: Math.round(performance.now() - started),
    });
    return new FirestoreJournal(
      options,
      state,
      generation,
      handle,
      Math.max(journal.validBytes, JOURNAL_HEADER_BYTES),
    );
  }

  /** Resolves once `record` is on disk (written and fdatasynced); rejects if it cannot be. */
  append(record: Uint8Array): Promise<void> {
    if (this.failure) return Promise.reject(this.failure);
    if (this.closed) return Promise.reject(journalFailed('the journal is closed'));
    return new Promise((resolve, reject) => {
      this.queue.push({ frame: frame(record), resolve, reject });
      this.startDraining();
    });
  }

  stats(): JournalStats {
    return { ...this.counters };
  }

  /**
   * Waits for every append already made, then, with `compact`, replaces the journal by a
   * snapshot (skipped when the journal holds no record), and closes the file.
   */
  async close({ compact }: { compact: boolean }): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    while (this.draining) await this.draining;
    try {
      if (compact && !this.failure && this.counters.journalBytes > JOURNAL_HEADER_BYTES) {
        await this.compact();
      }
    } finally {
      await this.handle.close();
    }
  }

  private startDraining(): void {
    if (this.draining) return;
    this.draining = (async () => {
      try {
        await this.drain();
      } finally {
        this.draining = undefined;
        // Appends made after the loop found the queue empty, before this ran.
        if (this.queue.length > 0) this.startDraining();
      }
    })();
  }

  /** Writes queued frames in groups, one fdatasync a group, until the queue is empty. */
  private async drain(): Promise<void> {
    while (this.queue.length > 0) {
      const group = this.queue;
      this.queue = [];
      if (this.failure) {
        for (const pending of group) pending.reject(this.failure);
        continue;
      }
      const bytes = Buffer.concat(group.map((pending) => pending.frame));
      try {
        await writeAll(this.handle, bytes, this.counters.journalBytes);
        await this.handle.datasync();
      } catch (error) {
        const failure = this.fail('cannot write the firestore journal', error);
        for (const pending of group) pending.reject(failure);
        continue;
      }
      this.counters.journalBytes += bytes.length;
      this.counters.appended += group.length;
      this.counters.syncs += 1;
      for (const pending of group) pending.resolve();
      if (this.counters.journalBytes >= this.compactAt) await this.compactOrRetryLater();
    }
  }

  private async compactOrRetryLater(): Promise<void> {
    try {
      await this.compact();
    } catch (error) {
      if (this.failure) return;
      this.compactAt = this.counters.journalBytes + this.compactAfterBytes;
      this.logger?.error('firestore journal: compaction failed, the journal keeps growing', {
        error,
        journalBytes: this.counters.journalBytes,
      });
    }
  }

  /**
   * Snapshots the state as it is now. Appends queued at this moment are already applied to the
   * state, so the snapshot covers them: they resolve once it is durable and are not written to
   * the next journal. A failure before the snapshot replaces the old one puts them back in the
   * queue, for the old journal; a failure after it leaves the journal unusable.
   */
  private async compact(): Promise<void> {
    const covered = this.queue;
    this.queue = [];
    const records = this.state.snapshot();
    const next = this.generation + 1;
    const { dir } = this.options;
    try {
      await writeSnapshot(dir, next, records);
    } catch (error) {
      this.queue = [...covered, ...this.queue];
      throw error;
    }
    try {
      const handle = await open(path.join(dir, journalFile(next)), 'w');
      await this.handle.close().catch(() => undefined);
      this.handle = handle;
      await writeAll(handle, journalHeader(next), 0);
      await handle.datasync();
      await syncDir(dir);
      await rm(path.join(dir, journalFile(this.generation)), { force: true });
    } catch (error) {
      const failure = this.fail('cannot start a new firestore journal after a snapshot', error);
      for (const pending of covered) pending.reject(failure);
      throw failure;
    }
    this.generation = next;
    this.counters.journalBytes = JOURNAL_HEADER_BYTES;
    this.counters.compactions += 1;
    this.compactAt = this.compactAfterBytes;
    for (const pending of covered) pending.resolve();
    this.logger?.info('firestore journal compacted', {
      generation: next,
      snapshotRecords: records.length,
    });
  }

  /** From now on every append fails: the file may end in a partial frame. */
  private fail(message: string, cause: unknown): AppError {
    this.failure = journalFailed(`${message}; writes are no longer durable`, cause);
    this.logger?.error(message, { error: cause, dir: this.options.dir });
    return this.failure;
  }
}

function journalFailed(message: string, cause?: unknown): AppError {
  return new AppError('FIRESTORE.JOURNAL_FAILED', 'internal', message, { cause });
}

function corrupt(file: string, why: string): AppError {
  return new AppError(
    'FIRESTORE.DATA_CORRUPT',
    'internal',
    `${file}: ${why}; move the folder away or delete it to start empty`,
  );
}

function frame(record: Uint8Array): Buffer {
  const header = Buffer.alloc(FRAME_HEADER_BYTES);
  header.writeUInt32LE(record.length, 0);
  header.writeUInt32LE(crc32(record), 4);
  return Buffer.concat([header, record]);
}

/** The complete frames from `offset`, and where the first incomplete or damaged one starts. */
function readFrames(bytes: Buffer, offset: number): { records: Buffer[]; end: number } {
  const records: Buffer[] = [];
  let at = offset;
  while (at + FRAME_HEADER_BYTES <= bytes.length) {
    const length = bytes.readUInt32LE(at);
    const start = at + FRAME_HEADER_BYTES;
    if (start + length > bytes.length) break;
    const record = bytes.subarray(start, start + length);
    if (crc32(record) !== bytes.readUInt32LE(at + 4)) break;
    records.push(record);
    at = start + length;
  }
  return { records, end: at };
}

function journalHeader(generation: number): Buffer {
  const header = Buffer.alloc(JOURNAL_HEADER_BYTES);
  JOURNAL_MAGIC.copy(header, 0);
  header.writeUInt32LE(generation, JOURNAL_MAGIC.length);
  return header;
}

async function readOptional(file: string): Promise<Buffer | undefined> {
  try {
    return await readFile(file);
  } catch (error) {
    if (isMissing(error)) return undefined;
    throw error;
  }
}

/** The snapshot's generation and records; generation 0 and none without a snapshot. */
async function readSnapshot(dir: string): Promise<{ generation: number; records: Buffer[] }> {
  const file = path.join(dir, SNAPSHOT_FILE);
  const bytes = await readOptional(file);
  if (!bytes) return { generation: 0, records: [] };
  if (
    bytes.length < SNAPSHOT_HEADER_BYTES ||
    !bytes.subarray(0, SNAPSHOT_MAGIC.length).equals(SNAPSHOT_MAGIC)
  ) {
    throw corrupt(file, 'not a firestore snapshot');
  }
  const generation = bytes.readUInt32LE(SNAPSHOT_MAGIC.length);
  const count = bytes.readUInt32LE(SNAPSHOT_MAGIC.length + 4);
  const { records, end } = readFrames(bytes, SNAPSHOT_HEADER_BYTES);
  if (end !== bytes.length || records.length !== count) {
    throw corrupt(file, `damaged snapshot (${records.length} of ${count} records readable)`);
  }
  return { generation, records };
}

/**
 * The journal's records and the length of its valid prefix (0 when the file is missing or
 * shorter than its header: created, then cut by a crash before its header was synced).
 */
async function readJournal(
  file: string,
  generation: number,
): Promise<{ records: Buffer[]; validBytes: number; fileBytes: number }> {
  const bytes = await readOptional(file);
  if (!bytes || bytes.length < JOURNAL_HEADER_BYTES) {
    return { records: [], validBytes: 0, fileBytes: bytes?.length ?? 0 };
  }
  if (!bytes.subarray(0, JOURNAL_MAGIC.length).equals(JOURNAL_MAGIC)) {
    throw corrupt(file, 'not a firestore journal');
  }
  if (bytes.readUInt32LE(JOURNAL_MAGIC.length) !== generation) {
    throw corrupt(file, 'its header names another generation');
  }
  const { records, end } = readFrames(bytes, JOURNAL_HEADER_BYTES);
  return { records, validBytes: end, fileBytes: bytes.length };
}

/**
 * Journals older than the snapshot are covered by it (a compaction stopped before removing
 * them). A newer one cannot come from a compaction: the folder was changed by hand.
 */
async function removeJournalsBefore(dir: string, generation: number): Promise<void> {
  for (const name of await readdir(dir)) {
    const match = JOURNAL_FILE.exec(name);
    if (!match) continue;
    const fileGeneration = Number(match[1]);
    if (fileGeneration > generation) {
      throw corrupt(path.join(dir, name), `newer than the snapshot (generation ${generation})`);
    }
    if (fileGeneration < generation) await rm(path.join(dir, name), { force: true });
  }
}

async function writeSnapshot(
  dir: string,
  generation: number,
  records: Uint8Array[],
): Promise<void> {
  const header = Buffer.alloc(SNAPSHOT_HEADER_BYTES);
  SNAPSHOT_MAGIC.copy(header, 0);
  header.writeUInt32LE(generation, SNAPSHOT_MAGIC.length);
  header.writeUInt32LE(records.length, SNAPSHOT_MAGIC.length + 4);
  const temp = path.join(dir, SNAPSHOT_TEMP_FILE);
  const handle = await open(temp, 'w');
  try {
    await writeAll(handle, Buffer.concat([header, ...records.map(frame)]), 0);
    await handle.sync();
  } finally {
    await handle.close();
  }
  await rename(temp, path.join(dir, SNAPSHOT_FILE));
  await syncDir(dir);
}

async function writeAll(handle: FileHandle, bytes: Buffer, position: number): Promise<void> {
  let written = 0;
  while (written < bytes.length) {
    const { bytesWritten } = await handle.write(
      bytes,
      written,
      bytes.length - written,
      position + written,
    );
    written += bytesWritten;
  }
}

/** Makes a folder's entries (a created or renamed file) durable. */
async function syncDir(dir: string): Promise<void> {
  const handle = await open(dir, 'r');
  try {
    await handle.sync();
  } catch (error) {
    // Some filesystems cannot fsync a directory; the rename is then as durable as they allow.
    if (errnoCode(error) !== 'EINVAL' && errnoCode(error) !== 'EISDIR') throw error;
  } finally {
    await handle.close();
  }
}
