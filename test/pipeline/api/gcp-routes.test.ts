import express from 'express';
import { http } from '@google-cloud/functions-framework';
import { request as httpRequest } from 'node:http';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gcpRoutes, type GcpRoutesDeps } from '../../../shared/pipeline/api/gcp-routes.js';
import { errorResponder } from '../../../shared/platform/http.js';
import { createLogger } from '../../../shared/platform/logging.js';
import type { ObjectStore } from '../../../shared/platform/ports/object-store.js';
import { serveFunction, type ServedFunction } from '../../local/delivery/serve-function.js';
import { tempStore } from '../../support/temp-store.js';

const PROJECTS = [{ projectId: 'chimera-test', displayName: 'CHIMERA test' }];
const SOURCE = 'chimera-source';
const OBJECTS: [string, string][] = [
  ['README.md', 'hello'],
  ['ADVANCED/2016/Jan/1/29000001/1.120000001.bz2', 'a'],
  ['PRO/2022/Apr/19/31695369/1.197806837.bz2', 'bb'],
  ['PRO/2022/Apr/19/31695369/1.197806838.bz2', 'ccc'],
  ['PRO/2022/Apr/19/index.json', '{}'],
  ['PRO/2022/Apr/20/31695400/1.197806900.bz2', 'dddd'],
  ['archive/PRO/2021/Dec/31/31100000/1.190000000.bz2', 'e'],
];

let served = 0;

/** Serves the router the way the pipeline API function is served: through functions-framework. */
async function serveRouter(deps: GcpRoutesDeps): Promise<ServedFunction> {
  const app = express();
  app.use(express.json());
  app.use(gcpRoutes(deps));
  app.use(errorResponder(createLogger({ write: () => undefined })));
  const name = `gcp-routes-test-${(served += 1)}`;
  http(name, app);
  return serveFunction(name);
}

async function put(store: ObjectStore, bucket: string, name: string, text = 'x'): Promise<void> {
  await store.write(bucket, name, Readable.from([Buffer.from(text)]));
}

async function getJson(api: ServedFunction, path: string): Promise<[number, unknown]> {
  const response = await fetch(`${api.url}${path}`);
  return [response.status, await response.json()];
}

async function postJson(
  api: ServedFunction,
  path: string,
  body: unknown,
): Promise<[number, unknown]> {
  const response = await fetch(`${api.url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return [response.status, await response.json()];
}

/** A GET sent exactly as written: fetch would resolve `..` segments before sending. */
function rawGet(api: ServedFunction, path: string): Promise<[number, unknown]> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(`${api.url}`, { path: `/${path}` }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => {
        resolve([
          res.statusCode ?? 0,
          JSON.parse(Buffer.concat(chunks).toString('utf8')) as unknown,
        ]);
      });
    });
    req.on('error', reject);
    req.end();
  });
}

describe('gcp routes', () => {
  let store: ObjectStore;
  let api: ServedFunction;
  let updated: Record<string, string>;

  beforeAll(async () => {
    ({ store } = await tempStore());
    await store.createBucket(SOURCE, { location: 'EU', storageClass: 'STANDARD' });
    await store.createBucket('check', { location: 'EUROPE-WEST2', storageClass: 'NEARLINE' });
    for (const [name, text] of OBJECTS) await put(store, SOURCE, name, text);
    await put(store, 'check', 'PRO/2022/Apr/19/31695369/1.1.bz2');
    updated = Object.fromEntries(
      await Promise.all(
        OBJECTS.map(async ([name]): Promise<[string, string]> => [
          name,
          (await store.stat(SOURCE, name)).updated.toISOString(),
        ]),
      ),
    );
    api = await serveRouter({ objectStore: store, projects: PROJECTS });
  });
  afterAll(() => api.close());

  describe('projects', () => {
    it('lists the configured projects', async () => {
      expect(await getJson(api, 'api/gcp/projects')).toEqual([
        200,
        { projects: [{ projectId: 'chimera-test', displayName: 'CHIMERA test' }] },
      ]);
    });

    it("lists a project's buckets", async () => {
      expect(await getJson(api, 'api/gcp/projects/chimera-test/buckets')).toEqual([
        200,
        {
          buckets: [
            { name: 'check', location: 'EUROPE-WEST2', storageClass: 'NEARLINE' },
            { name: SOURCE, location: 'EU', storageClass: 'STANDARD' },
          ],
        },
      ]);
    });

    it('answers 404 for a project it is not configured for', async () => {
      expect(await getJson(api, 'api/gcp/projects/other-project/buckets')).toEqual([
        404,
        { detail: 'Project other-project not found', code: 'PROJECT.NOT_FOUND' },
      ]);
    });
  });

  describe('browse', () => {
    const file = (name: string, size: number, path: string) => ({
      name,
      size,
      updated: updated[path === '' ? name : `${path}/${name}`],
    });

    const top = ['ADVANCED', 'PRO', 'archive'];
    const pro2022 = { root: '', tier: 'PRO', year: 2022 };
    it.each([
      ['the top', `${SOURCE}/browse`, '', top, [['README.md', 5]], null],
      ['the top, trailing slash', `${SOURCE}/browse/`, '', top, [['README.md', 5]], null],
      [
        'a month',
        `${SOURCE}/browse/PRO/2022/Apr`,
        'PRO/2022/Apr',
        ['19', '20'],
        [],
        { ...pro2022, month: 'Apr' },
      ],
      [
        'a day',
        `${SOURCE}/browse/PRO/2022/Apr/19`,
        'PRO/2022/Apr/19',
        ['31695369'],
        [['index.json', 2]],
        { ...pro2022, month: 'Apr', day: 19 },
      ],
      [
        'an event',
        `${SOURCE}/browse/PRO/2022/Apr/19/31695369`,
        'PRO/2022/Apr/19/31695369',
        [],
        [
          ['1.197806837.bz2', 2],
          ['1.197806838.bz2', 3],
        ],
        { ...pro2022, month: 'Apr', day: 19, eventId: '31695369' },
      ],
      [
        'a path with empty and . segments',
        `${SOURCE}/browse/PRO//./2022/`,
        'PRO/2022',
        ['Apr'],
        [],
        pro2022,
      ],
      [
        'a folder above the vendor layout',
        `${SOURCE}/browse/archive`,
        'archive',
        ['PRO'],
        [],
        null,
      ],
      [
        'a year of the vendor layout below a folder',
        `${SOURCE}/browse/archive/PRO/2021`,
        'archive/PRO/2021',
        ['Dec'],
        [],
        { root: 'archive', tier: 'PRO', year: 2021 },
      ],
      [
        'a path with nothing below it',
        `${SOURCE}/browse/BASIC`,
        'BASIC',
        [],
        [],
        { root: '', tier: 'BASIC' },
      ],
    ] as [string, string, string, string[], [string, number][], object | null][])(
      'lists one level at %s',
      async (_case, url, path, folders, files, layout) => {
        expect(await getJson(api, `api/gcp/buckets/${url}`)).toEqual([
          200,
          {
            path,
            folders,
            files: files.map(([name, size]) => file(name, size, path)),
            truncated: false,
            layout,
          },
        ]);
      },
    );

    it.each([
      [
        'a path climbing out',
        `${SOURCE}/browse/..`,
        400,
        'Invalid path "..": ".." would leave the bucket',
      ],
      [
        'a path climbing out midway',
        `${SOURCE}/browse/PRO/../../x`,
        400,
        'Invalid path "PRO/../../x": ".." would leave the bucket',
      ],
      [
        'an encoded climb',
        `${SOURCE}/browse/PRO/%2E%2E/x`,
        400,
        'Invalid path "PRO/../x": ".." would leave the bucket',
      ],
      [
        'a control character',
        `${SOURCE}/browse/PRO%0A`,
        400,
        'Invalid path "PRO\\n": contains a control character',
      ],
      ['an unknown bucket', 'no-such-bucket/browse', 404, 'Bucket no-such-bucket not found'],
      [
        'an invalid bucket name',
        'Bad_Bucket/browse/PRO',
        400,
        'Invalid bucket name "Bad_Bucket": use a-z, 0-9, "-", "_" and ".", starting and ending with a letter or digit',
      ],
    ])('rejects %s', async (_case, url, status, detail) => {
      const [actual, body] = await rawGet(api, `api/gcp/buckets/${url}`);
      expect(actual).toBe(status);
      expect(body).toMatchObject({ detail });
    });

    it('caps files and folders per response', async () => {
      const { store: many } = await tempStore();
      await many.createBucket('many-files');
      for (const name of ['a', 'b', 'c', 'd', 'e']) await put(many, 'many-files', `${name}.bz2`);
      for (const name of ['f', 'g', 'h']) await put(many, 'many-files', `${name}/x.bz2`);
      const small = await serveRouter({
        objectStore: many,
        projects: PROJECTS,
        browse: { maxEntries: 2 },
      });
      try {
        const [status, body] = await getJson(small, 'api/gcp/buckets/many-files/browse');
        expect(status).toBe(200);
        expect(body).toMatchObject({
          path: '',
          folders: ['f', 'g'],
          files: [{ name: 'a.bz2' }, { name: 'b.bz2' }],
          truncated: true,
        });
      } finally {
        await small.close();
      }
    });

    it('stops reading after maxScanned objects', async () => {
      const small = await serveRouter({
        objectStore: store,
        projects: PROJECTS,
        browse: { maxScanned: 2 },
      });
      try {
        // Name order: ADVANCED/..., PRO/2022/Apr/19/31695369/..., so PRO is found, README.md not.
        expect(await getJson(small, `api/gcp/buckets/${SOURCE}/browse`)).toEqual([
          200,
          { path: '', folders: ['ADVANCED', 'PRO'], files: [], truncated: true, layout: null },
        ]);
      } finally {
        await small.close();
      }
    });
  });

  describe('bucket name check', () => {
    it.each([
      ['a free name', 'fresh-bucket', { available: true, bucketName: 'fresh-bucket' }],
      ['a taken name', SOURCE, { available: false, bucketName: SOURCE }],
      // The literal `check` segment wins over a bucket named "check" being browsed.
      ['the name "browse"', 'browse', { available: true, bucketName: 'browse' }],
      ['the name "check"', 'check', { available: false, bucketName: 'check' }],
    ])('answers for %s', async (_case, name, expected) => {
      expect(await getJson(api, `api/gcp/buckets/check/${name}`)).toEqual([200, expected]);
    });

    it.each([
      ['ab', 'must be 3–63 characters'],
      ['Upper-Case', 'use a-z, 0-9, "-", "_" and ".", starting and ending with a letter or digit'],
      [
        '-leading-dash',
        'use a-z, 0-9, "-", "_" and ".", starting and ending with a letter or digit',
      ],
      ['192.168.1.1', 'must not look like an IP address'],
      ['goog-data', 'must not name Google'],
      ['my-google-data', 'must not name Google'],
      ['a..b.c', 'each dot-separated part must be 1–63 characters'],
    ])('rejects %s, naming the rule', async (name, rule) => {
      expect(await getJson(api, `api/gcp/buckets/check/${name}`)).toEqual([
        400,
        { detail: `Invalid bucket name "${name}": ${rule}`, code: 'BUCKET.INVALID_NAME' },
      ]);
    });

    it('still browses a bucket named "check" below its top', async () => {
      expect(await getJson(api, 'api/gcp/buckets/check/browse/PRO/2022')).toEqual([
        200,
        {
          path: 'PRO/2022',
          folders: ['Apr'],
          files: [],
          truncated: false,
          layout: { root: '', tier: 'PRO', year: 2022 },
        },
      ]);
    });

    it('browses a bucket whose name starts with "check"', async () => {
      await store.createBucket('check-data');
      await put(store, 'check-data', 'x.bz2', 'xyz');
      const [status, body] = await getJson(api, 'api/gcp/buckets/check-data/browse');
      expect(status).toBe(200);
      expect(body).toMatchObject({ path: '', folders: [], files: [{ name: 'x.bz2', size: 3 }] });
    });
  });

  describe('bucket creation', () => {
    let fresh: ObjectStore;
    let creator: ServedFunction;

    beforeAll(async () => {
      ({ store: fresh } = await tempStore());
      await fresh.createBucket('taken-bucket');
      creator = await serveRouter({ objectStore: fresh, projects: PROJECTS });
    });
    afterAll(() => creator.close());

    it.each([
      [
        'with the defaults',
        { projectId: 'chimera-test', bucketName: 'new-default' },
        { name: 'new-default', location: 'EU', storageClass: 'STANDARD' },
      ],
      [
        'with a region, class and no retention',
        {
          projectId: 'chimera-test',
          bucketName: 'new-archive',
          location: 'europe-west2',
          storageClass: 'ARCHIVE',
          retention: null,
        },
        { name: 'new-archive', location: 'EUROPE-WEST2', storageClass: 'ARCHIVE' },
      ],
    ])('creates a bucket %s', async (_case, body, stored) => {
      expect(await postJson(creator, 'api/gcp/buckets/create', body)).toEqual([
        200,
        { created: true, bucketName: stored.name, location: stored.location },
      ]);
      expect(await fresh.listBuckets()).toContainEqual(stored);
    });

    it.each([
      [
        'a taken name',
        { projectId: 'chimera-test', bucketName: 'taken-bucket' },
        409,
        'Bucket taken-bucket exists',
      ],
      [
        'an invalid name',
        { projectId: 'chimera-test', bucketName: 'no' },
        400,
        'Invalid bucket name "no": must be 3–63 characters',
      ],
      [
        'an unknown project',
        { projectId: 'other-project', bucketName: 'new-bucket' },
        404,
        'Project other-project not found',
      ],
      [
        'an unknown storage class',
        { projectId: 'chimera-test', bucketName: 'new-bucket', storageClass: 'HOT' },
        400,
        'Invalid request body: storageClass: Invalid option: expected one of "STANDARD"|"NEARLINE"|"COLDLINE"|"ARCHIVE"',
      ],
      [
        'a malformed location',
        { projectId: 'chimera-test', bucketName: 'new-bucket', location: 'eu west' },
        400,
        'Invalid request body: location: must be a location such as EU or europe-west2',
      ],
      [
        'a retention policy',
        { projectId: 'chimera-test', bucketName: 'new-bucket', retention: 30 },
        400,
        'retention: bucket retention policies are not supported yet; send null or leave it out',
      ],
      [
        'a retention that is not whole days',
        { projectId: 'chimera-test', bucketName: 'new-bucket', retention: 1.5 },
        400,
        'Invalid request body: retention: Invalid input: expected int, received number',
      ],
      [
        'a missing bucket name',
        { projectId: 'chimera-test' },
        400,
        'Invalid request body: bucketName: Invalid input: expected string, received undefined',
      ],
    ])('rejects %s', async (_case, body, status, detail) => {
      const [actual, answer] = await postJson(creator, 'api/gcp/buckets/create', body);
      expect(actual).toBe(status);
      expect(answer).toMatchObject({ detail });
      expect((await fresh.listBuckets()).map((bucket) => bucket.name)).not.toContain('new-bucket');
    });
  });
});
