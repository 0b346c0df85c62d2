import express from 'express';
import { http } from '@google-cloud/functions-framework';
import type { Router } from 'express';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBetfairPlugin } from '../../../shared/engine/plugins/betfair.js';
import {
  createNdjsonGzipPlugin,
  createNdjsonPlugin,
} from '../../../shared/engine/plugins/ndjson.js';
import { createPluginRegistry } from '../../../shared/engine/plugins/plugins.js';
import { generateSampleData } from '../../../shared/local/generator/generate.js';
import { pluginRoutes } from '../../../shared/pipeline/api/plugin-routes.js';
import { errorResponder } from '../../../shared/platform/http.js';
import { createLogger } from '../../../shared/platform/logging.js';
import type { ObjectStore } from '../../../shared/platform/ports/object-store.js';
import { serveFunction, type ServedFunction } from '../../local/delivery/serve-function.js';
import { tempStore } from '../../support/temp-store.js';

const SOURCE = 'betfair-source';
const DAY = 'PRO/2022/Apr/19';
const plugins = createPluginRegistry([
  createBetfairPlugin({ decode: (source) => source }),
  createNdjsonGzipPlugin(),
  createNdjsonPlugin(false),
]);

let served = 0;

/** Serves the router the way the pipeline API function is served: through functions-framework. */
async function serveRouter(router: Router): Promise<ServedFunction> {
  const app = express();
  app.use(express.json());
  app.use(router);
  app.use(errorResponder(createLogger({ write: () => undefined })));
  const name = `plugin-routes-test-${(served += 1)}`;
  http(name, app);
  return serveFunction(name);
}

async function put(store: ObjectStore, bucket: string, name: string): Promise<void> {
  await store.write(bucket, name, Readable.from([Buffer.from('x')]));
}

async function post(api: ServedFunction, body: unknown): Promise<[number, unknown]> {
  const response = await fetch(`${api.url}api/plugins/validate`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return [response.status, await response.json()];
}

describe('plugin routes', () => {
  let api: ServedFunction;
  let capped: ServedFunction;
  let marketFiles: number;
  let archivedByYear: Record<string, number>;
  let store: ObjectStore;

  beforeAll(async () => {
    ({ store } = await tempStore());
    const manifest = await generateSampleData(store, SOURCE, {
      mode: 'normal',
      seed: 7,
      meetings: 1,
      racesPerMeeting: 2,
      updates: 5,
    });
    marketFiles = manifest.files.length;
    // Two race days either side of a new year, below `archive/` instead of the bucket top.
    const archived = await generateSampleData(store, SOURCE, {
      prefix: 'archive/',
      date: '2021-12-31',
      days: 2,
      seed: 8,
      meetings: 1,
      racesPerMeeting: 1,
      updates: 3,
    });
    archivedByYear = {};
    for (const year of ['2021', '2022']) {
      archivedByYear[year] = archived.files.filter((file) =>
        file.objectName.startsWith(`archive/PRO/${year}/`),
      ).length;
    }
    await put(store, SOURCE, 'my/own/layout/race-1.bz2');
    await put(store, SOURCE, 'my/own/layout/2022/race-2.bz2');
    // A file directly in the day folder, and one no pattern should count.
    await put(store, SOURCE, `${DAY}/summary.bz2`);
    await put(store, SOURCE, `${DAY}/notes.txt`);
    await store.createBucket('empty-source');
    api = await serveRouter(pluginRoutes({ plugins, objectStore: store, maxFilesPerJob: 1000 }));
    capped = await serveRouter(pluginRoutes({ plugins, objectStore: store, maxFilesPerJob: 3 }));
  });
  afterAll(async () => {
    await api.close();
    await capped.close();
  });

  it('lists every plugin in the predecessor shape', async () => {
    const response = await fetch(`${api.url}api/plugins`);
    expect(response.status).toBe(200);
    const description = expect.any(String) as unknown;
    expect(await response.json()).toEqual({
      plugins: [
        {
          id: 'betfair',
          name: 'Betfair Historical Data',
          extensions: ['.bz2'],
          compression: 'bz2',
          enabled: true,
          description,
        },
        {
          id: 'ndjson-gzip',
          name: 'Gzipped NDJSON',
          extensions: ['.gz', '.ndjson.gz', '.json.gz'],
          compression: 'gzip',
          enabled: true,
          description,
        },
        {
          id: 'ndjson',
          name: 'NDJSON',
          extensions: ['.ndjson', '.jsonl', '.json'],
          compression: 'none',
          enabled: false,
          description,
        },
      ],
    });
  });

  it('counts each pattern and the distinct files across overlapping patterns', async () => {
    const [status, body] = await post(api, {
      sourceType: 'betfair',
      sourceBucket: SOURCE,
      sourceDataset: 'PRO/2022/Apr',
      selectedPaths: ['19'],
    });
    expect(status).toBe(200);
    expect(body).toEqual({
      totalFiles: marketFiles + 1,
      patterns: [
        { pattern: `gs://${SOURCE}/${DAY}/*.bz2`, valid: true, fileCount: 1, truncated: false },
        {
          pattern: `gs://${SOURCE}/${DAY}/**/*.bz2`,
          valid: true,
          fileCount: marketFiles + 1,
          truncated: false,
        },
      ],
      allValid: true,
      folders: [
        { path: DAY, layout: { root: '', tier: 'PRO', year: 2022, month: 'Apr', day: 19 } },
      ],
    });
  });

  it('validates paths across two years of a dataset below the bucket top, with their layout', async () => {
    const [status, body] = await post(api, {
      sourceBucket: SOURCE,
      sourceDataset: 'archive/PRO',
      selectedPaths: ['2021', '2022'],
    });
    expect(status).toBe(200);
    expect(archivedByYear['2021']).toBeGreaterThan(0);
    expect(archivedByYear['2022']).toBeGreaterThan(0);
    expect(body).toMatchObject({
      totalFiles: archivedByYear['2021']! + archivedByYear['2022']!,
      allValid: true,
      folders: [
        { path: 'archive/PRO/2021', layout: { root: 'archive', tier: 'PRO', year: 2021 } },
        { path: 'archive/PRO/2022', layout: { root: 'archive', tier: 'PRO', year: 2022 } },
      ],
    });
    expect((body as { patterns: { fileCount: number }[] }).patterns[1]!.fileCount).toBe(
      archivedByYear['2021'],
    );
  });

  it('validates a dataset laid out in folders of its own, with no layout to report', async () => {
    const [status, body] = await post(api, {
      sourceBucket: SOURCE,
      sourceDataset: 'my/own/layout',
      selectedPaths: [''],
    });
    expect(status).toBe(200);
    expect(body).toMatchObject({
      totalFiles: 2,
      allValid: true,
      folders: [{ path: 'my/own/layout', layout: null }],
    });
  });

  it('counts an event folder once although both of its patterns match every file', async () => {
    const [status, body] = await post(api, {
      sourceBucket: SOURCE,
      selectedPaths: ['PRO/2022/Apr/19/31695369'],
    });
    expect(status).toBe(200);
    expect(body).toEqual({
      totalFiles: marketFiles,
      patterns: [
        {
          pattern: `gs://${SOURCE}/PRO/2022/Apr/19/31695369/*.bz2`,
          valid: true,
          fileCount: marketFiles,
          truncated: false,
        },
        {
          pattern: `gs://${SOURCE}/PRO/2022/Apr/19/31695369/**/*.bz2`,
          valid: true,
          fileCount: marketFiles,
          truncated: false,
        },
      ],
      allValid: true,
      folders: [
        {
          path: 'PRO/2022/Apr/19/31695369',
          layout: { root: '', tier: 'PRO', year: 2022, month: 'Apr', day: 19, eventId: '31695369' },
        },
      ],
    });
  });

  it('is not allValid when a selected folder has no files at all', async () => {
    const [status, body] = await post(api, {
      sourceBucket: SOURCE,
      selectedPaths: [`${DAY}/31695369`, 'PRO/2022/Apr/20'],
    });
    expect(status).toBe(200);
    expect(body).toMatchObject({ totalFiles: marketFiles, allValid: false });
    expect((body as { patterns: unknown[] }).patterns.slice(2)).toEqual([
      {
        pattern: `gs://${SOURCE}/PRO/2022/Apr/20/*.bz2`,
        valid: false,
        fileCount: 0,
        error: 'No files match',
        truncated: false,
      },
      {
        pattern: `gs://${SOURCE}/PRO/2022/Apr/20/**/*.bz2`,
        valid: false,
        fileCount: 0,
        error: 'No files match',
        truncated: false,
      },
    ]);
  });

  it('keeps allValid true when only the direct pattern of a folder matches nothing', async () => {
    await expect(
      post(api, { sourceBucket: SOURCE, selectedPaths: ['PRO/2022/Apr'] }),
    ).resolves.toEqual([
      200,
      {
        totalFiles: marketFiles + 1,
        patterns: [
          {
            pattern: `gs://${SOURCE}/PRO/2022/Apr/*.bz2`,
            valid: false,
            fileCount: 0,
            error: 'No files match',
            truncated: false,
          },
          {
            pattern: `gs://${SOURCE}/PRO/2022/Apr/**/*.bz2`,
            valid: true,
            fileCount: marketFiles + 1,
            truncated: false,
          },
        ],
        allValid: true,
        folders: [
          { path: 'PRO/2022/Apr', layout: { root: '', tier: 'PRO', year: 2022, month: 'Apr' } },
        ],
      },
    ]);
  });

  it('stops counting at maxFilesPerJob and says so', async () => {
    const [status, body] = await post(capped, { sourceBucket: SOURCE, selectedPaths: [DAY] });
    expect(status).toBe(200);
    expect(body).toEqual({
      // The capped `**` count holds 3 market files; the summary file comes from the direct one.
      totalFiles: 4,
      patterns: [
        { pattern: `gs://${SOURCE}/${DAY}/*.bz2`, valid: true, fileCount: 1, truncated: false },
        { pattern: `gs://${SOURCE}/${DAY}/**/*.bz2`, valid: true, fileCount: 3, truncated: true },
      ],
      allValid: true,
      folders: [{ path: DAY, layout: expect.objectContaining({ day: 19 }) as unknown }],
    });
  });

  it('does not call a count of exactly the cap truncated', async () => {
    const exact = await serveRouter(
      pluginRoutes({ plugins, objectStore: store, maxFilesPerJob: marketFiles + 1 }),
    );
    try {
      const [, body] = await post(exact, { sourceBucket: SOURCE, selectedPaths: [DAY] });
      expect(body).toMatchObject({
        totalFiles: marketFiles + 1,
        patterns: [
          { fileCount: 1, truncated: false },
          { fileCount: marketFiles + 1, truncated: false },
        ],
      });
    } finally {
      await exact.close();
    }
  });

  it.each([
    [
      'an unknown source type',
      { sourceType: 'racing-api', sourceBucket: SOURCE, selectedPaths: [DAY] },
      400,
      'Unknown source type "racing-api"; available: betfair, ndjson-gzip, ndjson',
    ],
    [
      'a disabled source type',
      { sourceType: 'ndjson', sourceBucket: SOURCE, selectedPaths: [DAY] },
      400,
      'Source type "ndjson" is disabled',
    ],
    [
      'a path leaving the dataset',
      { sourceBucket: SOURCE, sourceDataset: 'PRO/2022', selectedPaths: ['../2021'] },
      400,
      'Invalid selection: path "../2021": ".." would leave the dataset',
    ],
    [
      'a path with glob syntax',
      { sourceBucket: SOURCE, selectedPaths: ['PRO/*'] },
      400,
      'Invalid selection: path "PRO/*": contains the glob character "*"',
    ],
    [
      'an absolute path',
      { sourceBucket: SOURCE, selectedPaths: ['/PRO'] },
      400,
      'Invalid selection: path "/PRO": absolute paths are not allowed',
    ],
    [
      'a dataset leaving the bucket',
      { sourceBucket: SOURCE, sourceDataset: 'archive/../../x', selectedPaths: ['2021'] },
      400,
      'Invalid selection: dataset "archive/../../x": ".." would leave the bucket',
    ],
    [
      'several wrong paths, each listed',
      {
        sourceBucket: 'no-such-bucket',
        sourceDataset: 'archive/PRO',
        selectedPaths: ['2021', '2022/../..', 'C:\\2022', '2022/Apr/[1-9]'],
      },
      400,
      'Invalid selection: path "2022/../..": ".." would leave the dataset; ' +
        'path "C:\\\\2022": absolute paths are not allowed; ' +
        'path "2022/Apr/[1-9]": contains the glob character "["',
    ],
    [
      'no selected paths',
      { sourceBucket: SOURCE, selectedPaths: [] },
      400,
      'Invalid request body: selectedPaths: Too small: expected array to have >=1 items',
    ],
    [
      'a missing bucket field',
      { selectedPaths: [DAY] },
      400,
      'Invalid request body: sourceBucket: Invalid input: expected string, received undefined',
    ],
    [
      'a bucket name outside the naming rules',
      { sourceBucket: 'Bad_Bucket', selectedPaths: [DAY] },
      400,
      'Invalid bucket name "Bad_Bucket": use a-z, 0-9, "-", "_" and ".", starting and ending with a letter or digit',
    ],
    [
      'an unknown bucket',
      { sourceBucket: 'no-such-bucket', selectedPaths: [DAY] },
      404,
      'Bucket no-such-bucket not found',
    ],
  ])('rejects %s', async (_case, request, status, detail) => {
    const [actual, body] = await post(api, request);
    expect(actual).toBe(status);
    expect(body).toMatchObject({ detail });
  });

  it('reports an empty bucket pattern by pattern', async () => {
    const [status, body] = await post(api, { sourceBucket: 'empty-source', selectedPaths: [''] });
    expect(status).toBe(200);
    expect(body).toEqual({
      totalFiles: 0,
      patterns: [
        {
          pattern: 'gs://empty-source/*.bz2',
          valid: false,
          fileCount: 0,
          error: 'No files match',
          truncated: false,
        },
        {
          pattern: 'gs://empty-source/**/*.bz2',
          valid: false,
          fileCount: 0,
          error: 'No files match',
          truncated: false,
        },
      ],
      allValid: false,
      folders: [{ path: '', layout: null }],
    });
  });
});
