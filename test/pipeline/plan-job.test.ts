import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createBetfairPlugin } from '../../shared/engine/plugins/betfair.js';
import type { JobRecord, PlannedFile } from '../../shared/pipeline/job-model.js';
import { paginate, planFiles, selectionPatterns } from '../../shared/pipeline/plan.js';
import type { JobStore } from '../../shared/pipeline/stores.js';
import { workflowArgument } from '../../shared/pipeline/submit.js';
import { pageMessages, workOrders } from '../../shared/pipeline/workflow-steps.js';
import { loadConfig } from '../../shared/platform/config.js';
import { MemoryObjectStore } from '../support/memory-object-store.js';

/** Cloud Workflows keeps all variables of an execution within 512 KB. */
const WORKFLOW_MEMORY = 512 * 1024;
const plugin = createBetfairPlugin({ decode: (source) => source });

async function storeWith(names: string[]): Promise<MemoryObjectStore> {
  const store = new MemoryObjectStore();
  await store.createBucket('historic');
  for (const name of names) await store.write('historic', name, Readable.from([Buffer.from('x')]));
  return store;
}

/** A realistic long Betfair object name for market `n`. */
const marketFile = (n: number) =>
  `PRO/2022/${['Jan', 'Feb', 'Mar'][n % 3]}/${(n % 28) + 1}/${31000000 + Math.floor(n / 7)}/1.${200000000 + n}.bz2`;

describe('planning', () => {
  it('lists each matching file once, in byte order of names, however the selection overlaps', async () => {
    const store = await storeWith([
      'PRO/2022/Jan/2/1/1.2.bz2',
      'PRO/2022/Jan/10/1/1.3.bz2',
      'PRO/2022/Jan/1/1/1.1.bz2',
      'PRO/2022/Jan/1/1/notes.txt',
      'PRO/2022/Feb/1/1/1.4.bz2',
    ]);
    const planned = await planFiles(store, plugin, {
      bucket: 'historic',
      patterns: selectionPatterns(plugin, ['Jan', 'Jan/1', 'Jan/10'], 'PRO/2022'),
      maxFiles: 100,
    });
    expect(planned.files.map((f) => [f.index, f.name])).toEqual([
      [0, 'PRO/2022/Jan/1/1/1.1.bz2'],
      [1, 'PRO/2022/Jan/10/1/1.3.bz2'],
      [2, 'PRO/2022/Jan/2/1/1.2.bz2'],
    ]);
  });

  it('plans a selection spanning two years below a folder that is not the vendor root', async () => {
    const store = await storeWith([
      'archive/PRO/2021/Dec/31/1/1.1.bz2',
      'archive/PRO/2022/Jan/1/1/1.2.bz2',
      'archive/PRO/2023/Jan/1/1/1.3.bz2',
      'PRO/2022/Jan/1/1/1.4.bz2',
    ]);
    const planned = await planFiles(store, plugin, {
      bucket: 'historic',
      patterns: selectionPatterns(plugin, ['2021', '2022'], 'archive/PRO'),
      maxFiles: 100,
    });
    expect(planned.files.map((f) => f.name)).toEqual([
      'archive/PRO/2021/Dec/31/1/1.1.bz2',
      'archive/PRO/2022/Jan/1/1/1.2.bz2',
    ]);
  });

  it.each([
    [['Mar'], 100, 'JOB.NO_FILES'],
    [['Jan'], 1, 'JOB.TOO_MANY_FILES'],
  ])('refuses %j (limit %i) with %s', async (paths, maxFiles, code) => {
    const store = await storeWith(['PRO/2022/Jan/1/1/1.1.bz2', 'PRO/2022/Jan/1/1/1.2.bz2']);
    await expect(
      planFiles(store, plugin, {
        bucket: 'historic',
        patterns: selectionPatterns(plugin, paths, 'PRO/2022'),
        maxFiles,
      }),
    ).rejects.toMatchObject({ code });
  });

  it('refuses a selection of a disabled source type before listing anything', () => {
    const disabled = createBetfairPlugin({ decode: (source) => source, enabled: false });
    expect(() => selectionPatterns(disabled, ['Jan'], 'PRO/2022')).toThrow(
      expect.objectContaining({ code: 'PLUGIN.DISABLED', kind: 'invalid' }),
    );
  });

  it('keeps a 100 000-file job within the workflow memory limit by paging the plan', async () => {
    const store = await storeWith(Array.from({ length: 100_000 }, (_, n) => marketFile(n)));
    const config = loadConfig({});
    const planned = await planFiles(store, plugin, {
      bucket: 'historic',
      patterns: selectionPatterns(plugin, ['Jan', 'Feb', 'Mar'], 'PRO/2022'),
      maxFiles: config.jobs.maxFiles,
    });
    expect(planned.files).toHaveLength(100_000);
    const pages = paginate(planned.files, config.jobs.pageSize);
    expect(pages).toHaveLength(400);

    const job = {
      jobId: '2024-01-19-abc12345',
      status: 'running',
      sourceBucket: 'historic',
      targetBucket: 'out',
      outputPrefix: 'output/',
      sourceType: 'betfair',
      processType: 'decompress_and_concatenate',
      compression: 'none',
      invalidLines: 'quarantine',
      maxConcurrency: 0,
      timeoutSeconds: 86400,
    } as JobRecord;
    const jobStore = {
      get: () => Promise.resolve(job),
      planPage: (_id: string, page: number) => Promise.resolve(pages[page]!),
    } as unknown as JobStore;
    const biggest = await pageMessages(
      {
        jobStore,
        statusStore: undefined as never,
        now: () => new Date(),
        filesPerMessage: config.decompressFilesPerMessage,
      },
      job.jobId,
      0,
    );
    const argument = workflowArgument(config, job, pages.length);
    const pageBytes = Buffer.byteLength(JSON.stringify(biggest));
    const argumentBytes = Buffer.byteLength(JSON.stringify(argument));
    // The page is held twice at most (the HTTP result and the publish body) beside the argument.
    expect(2 * pageBytes + argumentBytes).toBeLessThan(WORKFLOW_MEMORY / 2);
    expect(argumentBytes).toBeLessThan(1024);
    expect(pages.flat().map((f: PlannedFile) => f.index)).toEqual(planned.files.map((_, i) => i));
  });
});

describe('work orders', () => {
  const MiB = 1024 * 1024;
  const filesOf = (sizes: number[]): PlannedFile[] =>
    sizes.map((size, index) => ({ index, name: `PRO/${index}.bz2`, generation: '1', size }));
  const shape = (orders: PlannedFile[][]) => orders.map((order) => order.map((f) => f.index));

  it.each([
    [
      'small files, no limit: up to the files per message',
      [1, 1, 1, 1, 1],
      2,
      0,
      [[0, 1], [2, 3], [4]],
    ],
    ['one file per message', [1, 1, 1], 1, 0, [[0], [1], [2]]],
    ['a file over the byte limit goes alone', [1, 20 * MiB, 1, 1], 25, 0, [[0], [1], [2, 3]]],
    ['bytes add up to the limit, no further', [9 * MiB, 7 * MiB, 1 * MiB], 25, 0, [[0, 1], [2]]],
    ['a worker limit N keeps at least N orders', [1, 1, 1, 1, 1], 25, 2, [[0, 1], [2, 3], [4]]],
    ['a worker limit above the files: one file each', [1, 1, 1], 25, 4, [[0], [1], [2]]],
  ])('%s', (_label, sizes, perMessage, maxConcurrency, expected) => {
    const files = filesOf(sizes);
    const orders = workOrders(files, perMessage, maxConcurrency);
    expect(shape(orders)).toEqual(expected);
    expect(orders.flat()).toEqual(files);
  });
});
