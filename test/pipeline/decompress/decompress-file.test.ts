import { Readable } from 'node:stream';
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeBzip2 } from '../../../shared/engine/bz2/decode-bzip2.js';
import {
  createBzip2WorkerPool,
  type Bzip2WorkerPool,
} from '../../../shared/engine/bz2/worker-pool.js';
import { createSourcePlugins } from '../../../shared/engine/plugins/source-plugins.js';
import {
  generateSampleData,
  type GeneratedManifest,
  type ManifestEntry,
} from '../../../shared/local/generator/generate.js';
import { LOG_FILTERS } from '../../../cdktf/constructs/monitoring.js';
import {
  decompressFiles,
  decompressHandler,
  type DecompressDeps,
  parseDecompressMessage,
  type DecompressMessage,
  type DecompressMessageInput,
} from '../../../shared/pipeline/decompress.js';
import { FirestoreFileStatusStore } from '../../../shared/pipeline/firestore/file-status-store.js';
import { FirestoreJobStore } from '../../../shared/pipeline/firestore/job-store.js';
import { FirestoreMarketIndex } from '../../../shared/pipeline/firestore/market-index-store.js';
import { fileIdOf, type FileStatus } from '../../../shared/pipeline/job-model.js';
import { parseJobOptions } from '../../../shared/pipeline/parse-options.js';
import { AppError } from '../../../shared/platform/errors.js';
import { createLogger } from '../../../shared/platform/logging.js';
import type { ObjectStore } from '../../../shared/platform/ports/object-store.js';
import { runningJob } from '../status/status-fixture.js';
import { bzip2Dc } from '../../support/bzip2.js';
import { startEmulatorFixture, type EmulatorFixture } from '../../support/emulator.js';
import { referenceLines } from '../../support/reference-lines.js';
import { readAll, tempStore } from '../../support/temp-store.js';

const SOURCE = 'betfair-source';
const TARGET = 'betfair-target';
const FAILS_AS: Partial<Record<string, string>> = {
  'corrupt-bz2': 'BZ2.CORRUPT',
  'truncated-bz2': 'BZ2.TRUNCATED',
  'not-bz2': 'BZ2.NOT_BZIP2',
};

describe('decompressFiles', () => {
  let fixture: EmulatorFixture;
  let store: ObjectStore;
  let pool: Bzip2WorkerPool;
  let deps: DecompressDeps;
  let manifest: GeneratedManifest;
  let job = 0;
  /** Every log line the decompress use case wrote, parsed. */
  const logged: { message: string; severity: string; [field: string]: unknown }[] = [];

  beforeAll(async () => {
    fixture = await startEmulatorFixture();
    ({ store } = await tempStore());
    pool = createBzip2WorkerPool(2);
    deps = depsWith(store);
    manifest = await generateSampleData(store, SOURCE, { mode: 'malformed', seed: 11 });
    await store.createBucket(TARGET);
  });
  afterAll(async () => {
    await pool.close();
    await fixture.close();
  });

  function depsWith(objectStore: ObjectStore): DecompressDeps {
    return {
      objectStore,
      statusStore: new FirestoreFileStatusStore(fixture.db),
      plugins: createSourcePlugins({
        decodeBz2: (source) => decodeBzip2(source, { workers: pool }),
      }),
      logger: createLogger({
        minSeverity: 'DEBUG',
        write: (line) => logged.push(JSON.parse(line) as (typeof logged)[number]),
      }),
      maxAttempts: 3,
      jobStore: new FirestoreJobStore(fixture.db),
      now: () => new Date(),
    };
  }

  async function messageFor(
    entry: ManifestEntry,
    jobId: string,
    index: number,
    extra: Partial<DecompressMessageInput> = {},
  ) {
    return orderFor([entry], jobId, index, extra);
  }

  /** One work order of `entries`, at plan positions from `first` on. */
  async function orderFor(
    entries: ManifestEntry[],
    jobId: string,
    first = 0,
    extra: Partial<DecompressMessageInput> = {},
  ) {
    const files = await Promise.all(
      entries.map(async (entry, i) => {
        const info = await store.stat(SOURCE, entry.objectName);
        const source = { bucket: SOURCE, name: entry.objectName, generation: info.generation };
        return { index: first + i, source };
      }),
    );
    return parseDecompressMessage({
      jobId,
      files,
      target: { bucket: TARGET, prefix: 'output' },
      plugin: 'betfair',
      ...extra,
    });
  }

  /** The state a one-file work order leaves its file in. */
  async function decompressFile(instance: DecompressDeps, message: DecompressMessage) {
    const [state, ...more] = await decompressFiles(instance, message);
    expect(more).toEqual([]);
    return state;
  }

  async function statusOf(jobId: string, entry: ManifestEntry): Promise<FileStatus> {
    const info = await store.stat(SOURCE, entry.objectName);
    const id = fileIdOf({ bucket: SOURCE, name: entry.objectName, generation: info.generation });
    const snap = await fixture.db.doc(`dataflow-jobs/${jobId}/files/${id}`).get();
    return snap.data() as FileStatus;
  }

  async function expectedOutput(entry: ManifestEntry): Promise<Buffer> {
    return referenceLines(bzip2Dc(await readAll(await store.read(SOURCE, entry.objectName))));
  }

  it('handles every kind of malformed input as a user expects, each file alone in one order', async () => {
    const jobId = `job-${job++}`;
    const states = await decompressFiles(deps, await orderFor(manifest.files, jobId));
    for (const [i, entry] of manifest.files.entries()) {
      const kind = entry.defect!.kind;
      const status = await statusOf(jobId, entry);
      const code = FAILS_AS[kind];
      if (code) {
        expect([kind, states[i], status.state, status.error?.code]).toEqual([
          kind,
          'failed',
          'failed',
          code,
        ]);
        expect(status.error?.message.length).toBeGreaterThan(10);
        continue;
      }
      expect([kind, status.state]).toEqual([kind, 'succeeded']);
      const part = await readAll(await store.read(TARGET, status.result!.output));
      expect(part.equals(await expectedOutput(entry)), kind).toBe(true);
      expect(status.result!.lines).toBe(entry.defect!.validLines);
      expect(status.result!.quarantinedLines).toBe(entry.defect!.invalidLineNumbers?.length ?? 0);
    }
  });

  it('quarantines invalid JSON lines with their line numbers', async () => {
    const jobId = `job-${job++}`;
    const entry = manifest.files.find((f) => f.defect?.kind === 'invalid-json-lines')!;
    await decompressFile(deps, await messageFor(entry, jobId, 0));
    const status = await statusOf(jobId, entry);
    const quarantined = (await readAll(await store.read(TARGET, status.result!.quarantine!)))
      .toString()
      .trim()
      .split('\n')
      .map((line) => (JSON.parse(line) as { line: number }).line);
    expect(quarantined).toEqual(entry.defect!.invalidLineNumbers);
  });

  /** The file's first market definition and its market id, read without the pipeline. */
  async function firstDefinition(entry: ManifestEntry) {
    const line = (await expectedOutput(entry))
      .toString()
      .split('\n')
      .find((text) => text.includes('marketDefinition'))!;
    const [change] = (
      JSON.parse(line) as { mc: { id: string; marketDefinition: Record<string, string> }[] }
    ).mc;
    return { marketId: change!.id, definition: change!.marketDefinition };
  }

  it('a parse job quarantines the lines the engine refuses, by line number, and keeps the rest', async () => {
    const entry = manifest.files.find((f) => f.defect?.kind === 'invalid-json-lines')!;
    const parse = parseJobOptions({ products: ['runners', 'markets'] });
    const run = async (invalidLines: 'quarantine' | 'pass') => {
      const jobId = `job-${job++}`;
      const extra = { processType: 'decompress_concatenate_parse' as const, parse, invalidLines };
      expect(await decompressFile(deps, await messageFor(entry, jobId, 0, extra))).toBe(
        'succeeded',
      );
      return (await statusOf(jobId, entry)).result!;
    };
    const quarantined = await run('quarantine');
    const invalid = entry.defect!.invalidLineNumbers!;
    expect(invalid.length).toBeGreaterThan(0);
    expect(quarantined.quarantinedLines).toBe(invalid.length);
    const entries = (await readAll(await store.read(TARGET, quarantined.quarantine!)))
      .toString()
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { source: string; line: number; reason: string });
    expect(entries.map((e) => e.line)).toEqual(invalid);
    expect(entries.every((e) => e.source === entry.objectName && /not JSON/.test(e.reason))).toBe(
      true,
    );
    const passed = await run('pass');
    expect(passed.quarantinedLines).toBe(0);
    expect(passed.quarantine).toBeUndefined();
    expect(passed.malformedLines).toBe(invalid.length);
    for (const product of ['runners', 'markets'] as const) {
      const kept = await readAll(await store.read(TARGET, quarantined.products![product]!.output));
      const all = await readAll(await store.read(TARGET, passed.products![product]!.output));
      expect(kept.length, product).toBeGreaterThan(0);
      expect(kept.equals(all), product).toBe(true);
    }
  });

  it("records where each file's market is in the markets index, unchanged by a redelivery", async () => {
    const jobId = `job-${job++}`;
    const entry = manifest.files.find((f) => f.defect?.kind === 'crlf-line-endings')!;
    const message = await messageFor(entry, jobId, 0);
    await decompressFile(deps, message);
    const index = new FirestoreMarketIndex(fixture.db);
    const { marketId, definition } = await firstDefinition(entry);
    const indexed = await index.find(marketId);
    expect(indexed).toEqual({
      marketId,
      bucket: SOURCE,
      object: entry.objectName,
      generation: message.files[0]!.source.generation,
      jobId,
      eventId: definition.eventId ?? null,
      eventName: definition.eventName ?? null,
      eventTypeId: definition.eventTypeId ?? null,
      venue: definition.venue ?? null,
      countryCode: definition.countryCode ?? null,
      marketType: definition.marketType ?? null,
      marketTime: definition.marketTime ?? null,
      date: definition.marketTime!.slice(0, 10),
    });
    await decompressFile(deps, message);
    expect(await index.find(marketId)).toEqual(indexed);
  });

  it('keeps, for a file the filters skip, the filter and the value that did not match', async () => {
    const jobId = `job-${job++}`;
    const entry = manifest.files.find((f) => f.defect?.kind === 'no-final-newline')!;
    const { marketId, definition } = await firstDefinition(entry);
    const filters = { countries: [definition.countryCode!], marketTypes: ['NO_SUCH_TYPE'] };
    const message = await messageFor(entry, jobId, 0, { filters });
    expect(await decompressFile(deps, message)).toBe('skipped');
    const status = await statusOf(jobId, entry);
    expect(status.skipReason).toBe(`marketType ${definition.marketType} not in [NO_SUCH_TYPE]`);
    expect((await new FirestoreMarketIndex(fixture.db).find(marketId))?.jobId).toBe(jobId);
  });

  it('delivered twice, even at once, yields one part and one terminal state', async () => {
    const jobId = `job-${job++}`;
    const entry = manifest.files.find((f) => f.defect?.kind === 'multi-stream-bz2')!;
    const message = await messageFor(entry, jobId, 3);
    const states = await Promise.all([
      decompressFile(deps, message),
      decompressFile(deps, message),
    ]);
    await decompressFile(deps, message);
    expect(states).toContain('succeeded');
    const status = await statusOf(jobId, entry);
    expect(status.state).toBe('succeeded');
    const parts = await store.list(TARGET, { prefix: `output/_parts/${jobId}/` });
    expect(parts.objects.map((o) => o.name)).toEqual([
      'output/_parts/job-2/00000003.ndjson'.replace('job-2', jobId),
    ]);
  });

  it('delivered twice to a job that ended meanwhile, leaves no part behind', async () => {
    const jobId = `job-${job++}`;
    await fixture.db.doc(`dataflow-jobs/${jobId}`).set({ status: 'completed' });
    const entry = manifest.files.find((f) => f.defect?.kind === 'multi-stream-bz2')!;
    const message = await messageFor(entry, jobId, 4);
    // Two instances: the first writes its part once both have begun, the second once the first
    // has finished the file, so the second rewrites a part its job no longer owns.
    let begun = 0;
    let bothBegun!: () => void;
    const beginGate = new Promise<void>((resolve) => (bothBegun = resolve));
    const counted = (instance: DecompressDeps): DecompressDeps => {
      const inner = instance.statusStore;
      return {
        ...instance,
        statusStore: {
          ...inner,
          begin: async (...args) => {
            const outcome = await inner.begin(...args);
            if (++begun === 2) bothBegun();
            return outcome;
          },
          finish: (...args) => inner.finish(...args),
        },
      };
    };
    const first = decompressFile(counted(depsWith(writesAfter(store, beginGate))), message);
    const second = decompressFile(counted(depsWith(writesAfter(store, first))), message);
    const states = await Promise.all([first, second]);
    expect(states).toEqual(['succeeded', 'succeeded']);
    expect((await statusOf(jobId, entry)).state).toBe('succeeded');
    const parts = await store.list(TARGET, { prefix: `output/_parts/${jobId}/` });
    expect(parts.objects).toEqual([]);
  });

  it('after a crash mid-file, redelivery finishes the file correctly and leaves no partial part', async () => {
    const jobId = `job-${job++}`;
    const entry = manifest.files.find((f) => f.defect?.kind === 'crlf-line-endings')!;
    const message = await messageFor(entry, jobId, 0);
    const crashing = depsWith(failingWrites(store, 1));
    await expect(decompressFile(crashing, message)).rejects.toMatchObject({
      code: 'STORAGE.UNAVAILABLE',
    });
    expect((await statusOf(jobId, entry)).state).toBe('running');
    expect((await store.list(TARGET, { prefix: `output/_parts/${jobId}/` })).objects).toEqual([]);

    expect(await decompressFile(deps, message)).toBe('succeeded');
    const status = await statusOf(jobId, entry);
    expect(status.attempts).toBe(2);
    const part = await readAll(await store.read(TARGET, status.result!.output));
    expect(part.equals(await expectedOutput(entry))).toBe(true);
  });

  it('after an outage mid-order, records the files before it; the redelivery does the rest', async () => {
    const jobId = `job-${job++}`;
    const kinds = ['crlf-line-endings', 'no-final-newline', 'multi-stream-bz2'];
    const entries = kinds.map((kind) => manifest.files.find((f) => f.defect?.kind === kind)!);
    const message = await orderFor(entries, jobId);
    const secondPartFails = depsWith(failingPart(store, `output/_parts/${jobId}/00000001.ndjson`));
    await expect(decompressFiles(secondPartFails, message)).rejects.toMatchObject({
      code: 'STORAGE.UNAVAILABLE',
    });
    const stored = await Promise.all(entries.map((entry) => statusOf(jobId, entry)));
    expect(stored.map((s) => [s.state, s.attempts])).toEqual([
      ['succeeded', 1],
      ['running', 1],
      ['running', 1],
    ]);
    expect(await decompressFiles(deps, message)).toEqual(['succeeded', 'succeeded', 'succeeded']);
    const again = await Promise.all(entries.map((entry) => statusOf(jobId, entry)));
    expect(again.map((s) => s.attempts)).toEqual([1, 2, 2]);
    for (const [i, entry] of entries.entries()) {
      const part = await readAll(await store.read(TARGET, again[i]!.result!.output));
      expect(part.equals(await expectedOutput(entry))).toBe(true);
    }
  });

  it('gives up after maxAttempts retryable failures instead of stalling the job', async () => {
    const jobId = `job-${job++}`;
    const entry = manifest.files.find((f) => f.defect?.kind === 'no-final-newline')!;
    const message = await messageFor(entry, jobId, 0);
    const broken = depsWith(failingWrites(store, Infinity));
    for (let i = 0; i < 3; i++) await expect(decompressFile(broken, message)).rejects.toThrow();
    expect(await decompressFile(broken, message)).toBe('failed');
    expect((await statusOf(jobId, entry)).error?.code).toBe('FILE.GAVE_UP');
  });

  it('logs a file that gave up as failed, once, in the line the failed-files metric counts', async () => {
    const counted = /jsonPayload\.message="([^"]+)"/.exec(LOG_FILTERS.failedFiles)?.[1];
    const jobId = `job-${job++}`;
    const entry = manifest.files.find((f) => f.defect?.kind === 'no-final-newline')!;
    const message = await messageFor(entry, jobId, 0);
    const broken = depsWith(failingWrites(store, Infinity));
    for (let i = 0; i < 3; i++) await expect(decompressFile(broken, message)).rejects.toThrow();
    const before = logged.length;
    expect(await decompressFile(broken, message)).toBe('failed');
    // A later redelivery of the same message finds the file already failed: not counted again.
    expect(await decompressFile(broken, message)).toBe('failed');
    const lines = logged.slice(before).filter((line) => line.jobId === jobId);
    expect(lines.map((line) => line.message)).toEqual([counted, 'file already handled']);
    expect(lines[0]).toMatchObject({ severity: 'WARNING', error: { code: 'FILE.GAVE_UP' } });
  });

  it('logs a file that failed on its own input in the line the failed-files metric counts', async () => {
    const counted = /jsonPayload\.message="([^"]+)"/.exec(LOG_FILTERS.failedFiles)?.[1];
    const jobId = `job-${job++}`;
    const entry = manifest.files.find((f) => f.defect?.kind === 'corrupt-bz2')!;
    const before = logged.length;
    expect(await decompressFile(deps, await messageFor(entry, jobId, 0))).toBe('failed');
    const failed = logged.slice(before).filter((line) => line.jobId === jobId);
    expect(failed.map((line) => line.message)).toEqual([counted]);
  });

  it('records the job failed when the workflow sends a job-failed notice through the topic', async () => {
    const jobId = `job-${job++}`;
    const jobs = new FirestoreJobStore(fixture.db);
    await jobs.create(runningJob(jobId, 3, new Date()), [[]]);
    const notice = {
      kind: 'job-failed',
      jobId,
      error: {
        code: 401,
        message: 'HTTP server responded with error code 401',
        tags: ['HttpError'],
      },
      reportError: { code: 401, message: 'HTTP server responded with error code 401' },
    };
    const event = {
      id: 'n-1',
      data: { message: { data: Buffer.from(JSON.stringify(notice)).toString('base64') } },
    };
    const handle = decompressHandler(deps);
    await handle(event);
    await handle(event);
    const recorded = await jobs.get(jobId);
    expect(recorded.status).toBe('failed');
    expect(recorded.errorMessage).toBe(
      "HTTP server responded with error code 401 (HTTP 401); reporting it to the job's callbacks " +
        'failed too: HTTP server responded with error code 401 (HTTP 401)',
    );
    const failures = (await jobs.logs(jobId, 10)).filter((l) => l.severity === 'ERROR');
    expect(failures).toHaveLength(1);
  });

  it.each([
    ['a missing object', { name: 'PRO/2022/Jan/1/1/1.999.bz2' }, 'OBJECT.NOT_FOUND'],
    ['a source that changed since planning', { generation: '1' }, 'OBJECT.GENERATION_MISMATCH'],
  ])('fails %s permanently with its reason', async (_label, change, code) => {
    const jobId = `job-${job++}`;
    const entry = manifest.files.find((f) => f.defect?.kind === 'empty-file')!;
    const base = await messageFor(entry, jobId, 0);
    const [file] = base.files;
    const message = { ...base, files: [{ ...file!, source: { ...file!.source, ...change } }] };
    expect(await decompressFile(deps, message)).toBe('failed');
    const status = (
      await fixture.db.collection(`dataflow-jobs/${jobId}/files`).get()
    ).docs[0]!.data() as FileStatus;
    expect(status.error?.code).toBe(code);
  });

  it('decompress_only mirrors the source path, gzip-compressed on request', async () => {
    const jobId = `job-${job++}`;
    const entry = manifest.files.find((f) => f.defect?.kind === 'multi-stream-bz2')!;
    const message = await messageFor(entry, jobId, 0, {
      processType: 'decompress_only',
      compression: 'gzip',
    });
    expect(await decompressFile(deps, message)).toBe('succeeded');
    const name = `output/${entry.objectName.replace(/\.bz2$/, '')}.gz`;
    const written = gunzipSync(await readAll(await store.read(TARGET, name)));
    expect(written.equals(await expectedOutput(entry))).toBe(true);
  });
});

/** A store whose first `failures` writes die halfway through, as a crashed instance would. */
function writesAfter(inner: ObjectStore, gate: Promise<unknown>): ObjectStore {
  return new Proxy(inner, {
    get(target, property, receiver) {
      if (property !== 'write') return Reflect.get(target, property, receiver) as unknown;
      return async (bucket: string, name: string, source: Readable, options?: object) => {
        await gate;
        return target.write(bucket, name, source, options);
      };
    },
  });
}

function failingWrites(inner: ObjectStore, failures: number): ObjectStore {
  let left = failures;
  return new Proxy(inner, {
    get(target, property, receiver) {
      if (property !== 'write') return Reflect.get(target, property, receiver) as unknown;
      return (bucket: string, name: string, source: Readable, options?: object) => {
        if (left-- <= 0) return target.write(bucket, name, source, options);
        return target.write(bucket, name, dieHalfway(source), options);
      };
    },
  });
}

/** A store whose writes of `name` die halfway through, as during an outage. */
function failingPart(inner: ObjectStore, name: string): ObjectStore {
  return new Proxy(inner, {
    get(target, property, receiver) {
      if (property !== 'write') return Reflect.get(target, property, receiver) as unknown;
      return (bucket: string, written: string, source: Readable, options?: object) =>
        target.write(bucket, written, written === name ? dieHalfway(source) : source, options);
    },
  });
}

function dieHalfway(source: Readable): Readable {
  return Readable.from(
    (async function* () {
      let seen = 0;
      for await (const chunk of source) {
        seen += (chunk as Buffer).length;
        yield chunk as Buffer;
        if (seen > 0) throw new AppError('STORAGE.UNAVAILABLE', 'unavailable', 'connection reset');
      }
      throw new AppError('STORAGE.UNAVAILABLE', 'unavailable', 'connection reset');
    })(),
  );
}
