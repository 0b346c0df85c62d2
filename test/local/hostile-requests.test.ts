import { readFile, readdir, readlink } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RUN_TOKEN_HEADER } from '../../shared/local/run-token.js';
import { startLocalRuntime, type LocalRuntime } from '../../shared/local/runtime.js';
import { loadConfig } from '../../shared/platform/config.js';
import { createLogger } from '../../shared/platform/logging.js';
import {
  memoryGrowth,
  rawRequest,
  rawSocket,
  sendLargeBody,
  type RawAnswer,
  type RawRequest,
} from '../support/raw-http.js';
import { tempStore } from '../support/temp-store.js';

const MB = 1024 * 1024;
const FRONTEND = 'https://dashboard.example';
const JSON_TYPE = { 'content-type': 'application/json' };

/** No HTML, no stack frame, no path of this machine: only `{detail, code}`, small. */
function expectCleanError(answer: RawAnswer, status: number, code: string): void {
  expect({ status: answer.status, text: answer.text }).toMatchObject({ status });
  expect(answer.headers['content-type']).toMatch(/^application\/json/);
  expect(answer.text.length).toBeLessThan(2500);
  expect(answer.text).not.toMatch(/<html|<pre|\bat .+:\d+:\d+|\/work\/|node_modules/i);
  expect(JSON.parse(answer.text)).toEqual({ detail: expect.any(String) as string, code });
}

describe('the local system against bad input and hostile callers', () => {
  let runtime: LocalRuntime;

  beforeAll(async () => {
    const { store, dataDir } = await tempStore();
    await store.createBucket('historic');
    const config = loadConfig({
      PORT: '0',
      CHIMERA_DATA_DIR: dataDir,
      FRONTEND_URL: FRONTEND,
      LOG_LEVEL: 'ERROR',
    });
    runtime = await startLocalRuntime(config, {
      logger: createLogger({ minSeverity: 'ERROR' }),
      exchange: 'configured',
    });
  });
  afterAll(() => runtime?.stop());

  const send = (request: RawRequest) => rawRequest(runtime.url, request);
  const post = (path: string, body: string, headers: Record<string, string> = JSON_TYPE) =>
    send({ method: 'POST', path, headers, body });
  const huge = (bytes: number) =>
    JSON.stringify({ projectId: 'chimera-local', bucketName: 'a'.repeat(bytes) });

  it.each<[string, () => Promise<RawAnswer>, number, string]>([
    [
      'invalid JSON to submit',
      () => post('/api/pipeline/submit', '{"sourceBucket":'),
      400,
      'REQUEST.BAD_JSON',
    ],
    [
      'invalid JSON to the recorder config',
      () => post('/api/config', 'not json'),
      400,
      'REQUEST.BAD_JSON',
    ],
    ['invalid JSON to the feed', () => post('/api/feed/books', '{'), 400, 'REQUEST.BAD_JSON'],
    [
      'invalid JSON on a cloud-style URL',
      () => post('/pipeline-api/api/pipeline/submit', '[1,'),
      400,
      'REQUEST.BAD_JSON',
    ],
    [
      'JSON that is not UTF-8',
      () => post('/api/config', '{}', { 'content-type': 'application/json; charset=latin1' }),
      415,
      'REQUEST.UNSUPPORTED_MEDIA_TYPE',
    ],
    [
      'bad percent-encoding in a bucket',
      () => send({ path: '/api/gcp/buckets/%E0%A4%A/browse' }),
      400,
      'REQUEST.BAD_URL',
    ],
    [
      'bad percent-encoding in a job id',
      () => send({ path: '/api/pipeline/%ZZ/status' }),
      400,
      'REQUEST.BAD_URL',
    ],
    [
      'bad percent-encoding in a market id',
      () => send({ path: '/api/feed/book/%' }),
      400,
      'REQUEST.BAD_URL',
    ],
    [
      'bad percent-encoding on a function URL',
      () => send({ path: '/recorder-api/api/%C0' }),
      400,
      'REQUEST.BAD_URL',
    ],
    ['a JSON array as the job', () => post('/api/pipeline/submit', '[]'), 400, 'REQUEST.INVALID'],
    ['null as the job', () => post('/api/pipeline/submit', 'null'), 400, 'REQUEST.INVALID'],
    [
      'a very deep JSON document',
      () => post('/api/pipeline/submit', `${'['.repeat(100_000)}${']'.repeat(100_000)}`),
      400,
      'REQUEST.INVALID',
    ],
    [
      'a 500 kB bucket name (echoed cut short)',
      () => post('/api/gcp/buckets/create', huge(500_000)),
      400,
      'BUCKET.INVALID_NAME',
    ],
    [
      'a 10 MB bucket name',
      () => post('/api/gcp/buckets/create', huge(10 * MB)),
      413,
      'REQUEST.TOO_LARGE',
    ],
    [
      'an unknown field name of 100 kB',
      () => post('/api/config', JSON.stringify({ ['k'.repeat(100_000)]: 1 })),
      400,
      'REQUEST.INVALID',
    ],
    [
      'a form body',
      () =>
        post('/api/pipeline/submit', 'a=1', {
          'content-type': 'application/x-www-form-urlencoded',
        }),
      415,
      'REQUEST.UNSUPPORTED_MEDIA_TYPE',
    ],
    [
      'a gzip body',
      () => post('/api/config', 'x', { ...JSON_TYPE, 'content-encoding': 'gzip' }),
      415,
      'REQUEST.UNSUPPORTED_MEDIA_TYPE',
    ],
    [
      'a path functions-framework keeps',
      () => send({ path: '/pipeline-api/favicon.ico' }),
      404,
      'REQUEST.NO_ROUTE',
    ],
    [
      'an unknown method on a route',
      () => send({ method: 'DELETE', path: '/api/pipeline/history' }),
      404,
      'REQUEST.NO_ROUTE',
    ],
    ['an unknown path', () => send({ path: '/nowhere' }), 404, 'REQUEST.NO_ROUTE'],
    [
      'an unknown runtime endpoint',
      () => send({ path: '/v1/nowhere', headers: { [RUN_TOKEN_HEADER]: runtime.runToken } }),
      404,
      'REQUEST.NO_ROUTE',
    ],
    [
      'bad JSON to a runtime endpoint',
      () =>
        post('/v1/local/deadletters:redrive', '{', {
          ...JSON_TYPE,
          [RUN_TOKEN_HEADER]: runtime.runToken,
        }),
      400,
      'REQUEST.BAD_JSON',
    ],
    [
      'a query that is not a number',
      () => send({ path: '/api/pipeline/history?limit=%ZZ' }),
      400,
      'REQUEST.INVALID',
    ],
  ])('answers %s with a small JSON error', async (_what, request, status, code) => {
    expectCleanError(await request(), status, code);
  });

  it('answers a request it cannot parse as HTTP with JSON too', async () => {
    const text = await rawSocket(runtime.url, 'NOT HTTP AT ALL\r\n\r\n');
    expect(text).toMatch(/^HTTP\/1\.1 400/);
    expect(JSON.parse(text.slice(text.indexOf('\r\n\r\n') + 4))).toMatchObject({
      code: 'REQUEST.INVALID',
    });
  });

  it.each([
    [32, false],
    [100, false],
    [100, true],
  ])('refuses a %i MB body (chunked: %s) with a JSON 413, memory flat', async (size, chunked) => {
    const { result, buffersMb, rssMb } = await memoryGrowth(() =>
      sendLargeBody(runtime.url, '/api/feed/books', size * MB, { chunked }),
    );
    expectCleanError(result as RawAnswer, 413, 'REQUEST.TOO_LARGE');
    // Socket buffers and late garbage collection on a loaded machine stay far below a body held whole.
    expect(buffersMb).toBeLessThan(16);
    expect(rssMb).toBeLessThan(48);
  });

  describe('a web page the user opens', () => {
    const config = () =>
      send({ path: '/api/config' }).then((a) => JSON.parse(a.text) as Record<string, unknown>);

    it('cannot change settings with a cross-site form POST', async () => {
      const answer = await post('/api/recorder/stop', 'x=1', {
        origin: 'https://evil.example',
        'content-type': 'application/x-www-form-urlencoded',
      });
      expectCleanError(answer, 403, 'REQUEST.FORBIDDEN');
    });

    it('cannot change settings with a text/plain POST, with or without its origin', async () => {
      const body = JSON.stringify({ poll_interval_seconds: 600 });
      const fromPage = await post('/api/config', body, {
        origin: 'https://evil.example',
        'content-type': 'text/plain',
      });
      const noOrigin = await post('/api/config', body, { 'content-type': 'text/plain' });
      expectCleanError(fromPage, 403, 'REQUEST.FORBIDDEN');
      expectCleanError(noOrigin, 415, 'REQUEST.UNSUPPORTED_MEDIA_TYPE');
      expect(await config()).toMatchObject({ poll_interval_seconds: 60 });
    });

    it('cannot start a job with a JSON POST from another origin (no preflight is granted)', async () => {
      const preflight = await send({
        method: 'OPTIONS',
        path: '/api/pipeline/submit',
        headers: { origin: 'https://evil.example', 'access-control-request-method': 'POST' },
      });
      expect(preflight.headers['access-control-allow-origin']).toBeUndefined();
      const answer = await post('/api/pipeline/submit', '{}', {
        ...JSON_TYPE,
        origin: 'https://evil.example',
      });
      expectCleanError(answer, 403, 'REQUEST.FORBIDDEN');
    });

    it('cannot reach it under another host name (DNS rebinding)', async () => {
      const port = new URL(runtime.url).port;
      const read = await send({ path: '/api/config', headers: { host: `evil.example:${port}` } });
      const write = await post('/api/recorder/stop', '{}', {
        ...JSON_TYPE,
        host: `evil.example:${port}`,
        origin: `http://evil.example:${port}`,
      });
      expectCleanError(read, 403, 'REQUEST.FORBIDDEN');
      expectCleanError(write, 403, 'REQUEST.FORBIDDEN');
    });

    it('may, from the configured frontend or the API’s own origin, with JSON', async () => {
      const preflight = await send({
        method: 'OPTIONS',
        path: '/api/config',
        headers: { origin: FRONTEND, 'access-control-request-method': 'POST' },
      });
      expect(preflight.status).toBe(204);
      expect(preflight.headers['access-control-allow-origin']).toBe(FRONTEND);
      const body = JSON.stringify({ poll_interval_seconds: 120 });
      const frontend = await post('/api/config', body, { ...JSON_TYPE, origin: FRONTEND });
      expect(frontend.status).toBe(200);
      expect(frontend.headers['access-control-allow-origin']).toBe(FRONTEND);
      const own = await post('/api/config', JSON.stringify({ poll_interval_seconds: 60 }), {
        ...JSON_TYPE,
        origin: runtime.url,
      });
      expect(own.status).toBe(200);
      expect(await config()).toMatchObject({ poll_interval_seconds: 60 });
    });
  });

  describe("the runtime's own endpoints and functions", () => {
    it.each([
      [
        'publish a forged decompress message',
        'POST',
        '/v1/projects/chimera-local/topics/chimera-decompress:publish',
      ],
      ['list the dead letters', 'GET', '/v1/local/deadletters'],
      [
        'start a workflow',
        'POST',
        '/v1/projects/chimera-local/locations/europe-west2/workflows/decompress-job/executions',
      ],
      ['push an event to the decompress function', 'POST', '/decompress'],
      ['push a Firestore event to the status function', 'POST', '/job-status'],
      ['trigger the scheduled poll', 'POST', '/recorder-poll'],
    ])('refuse a caller without the run token that tries to %s', async (_what, method, path) => {
      const body = method === 'POST' ? '{"messages":[{"data":"e30="}]}' : undefined;
      const without = await send({ method, path, headers: JSON_TYPE, body });
      const wrong = await send({
        method,
        path,
        headers: { ...JSON_TYPE, [RUN_TOKEN_HEADER]: 'guess' },
        body,
      });
      expectCleanError(without, 401, 'REQUEST.UNAUTHENTICATED');
      expectCleanError(wrong, 401, 'REQUEST.UNAUTHENTICATED');
    });

    it('answer the scheduler’s call to the poll: a POST with an empty text body and the token', async () => {
      const answer = await send({
        method: 'POST',
        path: '/recorder-poll',
        headers: {
          'content-type': 'text/plain;charset=UTF-8',
          [RUN_TOKEN_HEADER]: runtime.runToken,
        },
        body: '',
      });
      expect(answer.status).toBe(200);
      expect(JSON.parse(answer.text)).toMatchObject({ outcome: 'idle' });
    });

    it('answer the runtime with its token', async () => {
      const answer = await send({
        path: '/v1/local/deadletters',
        headers: { [RUN_TOKEN_HEADER]: runtime.runToken },
      });
      expect(answer.status).toBe(200);
      expect(JSON.parse(answer.text)).toEqual({ deadLetters: [] });
    });
  });

  it('listens on no address but loopback: gateway and Firestore emulator included', async () => {
    const listening = await listeningSockets();
    const ports = listening.map((socket) => socket.port);
    expect(ports).toContain(Number(new URL(runtime.url).port));
    expect(ports).toContain(Number(runtime.firestore.host.split(':')[1]));
    expect(listening.filter((socket) => !socket.loopback)).toEqual([]);
  });
});

/** This process's listening TCP sockets, from /proc: its socket inodes matched to the tables. */
async function listeningSockets(): Promise<{ address: string; port: number; loopback: boolean }[]> {
  const inodes = new Set<string>();
  for (const fd of await readdir('/proc/self/fd')) {
    const target = await readlink(`/proc/self/fd/${fd}`).catch(() => '');
    const inode = /^socket:\[(\d+)\]$/.exec(target)?.[1];
    if (inode) inodes.add(inode);
  }
  const sockets: { address: string; port: number; loopback: boolean }[] = [];
  for (const table of ['/proc/self/net/tcp', '/proc/self/net/tcp6']) {
    const rows = (await readFile(table, 'utf8').catch(() => '')).trim().split('\n').slice(1);
    for (const row of rows) {
      const fields = row.trim().split(/\s+/);
      // sl, local address, remote address, state, queues, timer, retransmits, uid, timeout, inode
      const [, local = '', , state, , , , , , inode = ''] = fields;
      if (state !== '0A' || !inodes.has(inode)) continue;
      const [hex = '', port = '0'] = local.split(':');
      const loopback = hex === '0100007F' || hex === '00000000000000000000000001000000';
      sockets.push({ address: hex, port: parseInt(port, 16), loopback });
    }
  }
  return sockets;
}
