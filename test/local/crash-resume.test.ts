import os from 'node:os';
import path from 'node:path';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, readdir } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LocalObjectStore } from '../../shared/local/adapters/object-store.js';
import { freePort } from '../../shared/local/firestore-emulator.js';
import { PROJECT_ROOT } from '../../shared/local/gateway.js';
import { generateSampleData } from '../../shared/local/generator/generate.js';
import { walkNames } from '../../shared/platform/files.js';
import { expectedConcatenation } from '../support/job-input.js';
import { readAll } from '../support/temp-store.js';

// Spawns the whole system twice on one data folder, killing the first mid-job: generous
// limits, as it must pass on a busy two-core machine.
const START_LIMIT_MS = 90_000;
const JOB_LIMIT_MS = 240_000;

const SOURCE = 'crash-source';
const TARGET = 'crash-results';

interface Running {
  pid: number;
  url: string;
  closed: Promise<unknown>;
  output: () => string;
}

async function until<T>(
  probe: () => Promise<T | undefined>,
  limitMs: number,
  what: string,
): Promise<T> {
  const deadline = Date.now() + limitMs;
  for (;;) {
    const value = await probe().catch(() => undefined);
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`gave up waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

/** `npm start` on `dataDir`, in its own process group, once /health answers. */
async function npmStart(dataDir: string): Promise<Running> {
  const port = await freePort();
  const child = spawn('npm', ['start'], {
    cwd: PROJECT_ROOT,
    env: {
      ...process.env,
      PORT: String(port),
      CHIMERA_DATA_DIR: dataDir,
      CHIMERA_SAMPLE_JOB: 'false',
      JOB_POLL_SECONDS: '1',
      LOG_LEVEL: 'INFO',
    },
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const url = `http://127.0.0.1:${port}`;
  const closed = once(child, 'close');
  await until(
    () => fetch(`${url}/health`).then((r) => (r.ok ? true : undefined)),
    START_LIMIT_MS,
    `the system to start:\n${output}`,
  );
  return { pid: child.pid!, url, closed, output: () => output };
}

async function call<T>(
  base: string,
  route: string,
  body?: unknown,
): Promise<{ code: number; body: T }> {
  const response = await fetch(`${base}${route}`, {
    method: body === undefined ? 'GET' : 'POST',
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { code: response.status, body: (await response.json()) as T };
}

async function api<T>(base: string, route: string): Promise<T> {
  return (await call<T>(base, route)).body;
}

interface Status {
  status: string;
  filesSucceeded: number;
  filesTotal: number;
  outputFiles: string[];
}

describe('a crash in the middle of a job, and a restart', () => {
  let dataDir: string;
  let store: LocalObjectStore;
  let files: Awaited<ReturnType<typeof generateSampleData>>['files'];
  let jobId: string;
  let atKill: Status;
  let final: Status;
  let second: Running | undefined;

  beforeAll(
    async () => {
      dataDir = await mkdtemp(path.join(os.tmpdir(), 'chimera-crash-'));
      store = new LocalObjectStore({ dataDir });
      await store.createBucket(SOURCE);
      ({ files } = await generateSampleData(store, SOURCE, {
        mode: 'high-volume',
        files: 80,
        seed: 21,
      }));

      const first = await npmStart(dataDir);
      const configured = await call(first.url, '/api/config', { poll_interval_seconds: 300 });
      expect(configured.code, JSON.stringify(configured.body)).toBe(200);
      const submitted = await call<{ jobId: string }>(first.url, '/api/pipeline/submit', {
        sourceBucket: SOURCE,
        sourceDataset: 'PRO/2022',
        selectedPaths: [''],
        targetBucket: TARGET,
        createNewBucket: true,
        outputShards: 3,
        dataflowMaxWorkers: 4,
      });
      expect(submitted.code, JSON.stringify(submitted.body)).toBe(201);
      jobId = submitted.body.jobId;
      atKill = await until(
        async () => {
          const status = await api<Status>(first.url, `/api/pipeline/${jobId}/status`);
          return status.filesSucceeded >= 8 ? status : undefined;
        },
        JOB_LIMIT_MS,
        'files to succeed before the kill',
      );
      process.kill(-first.pid, 'SIGKILL');
      await first.closed;

      second = await npmStart(dataDir);
      final = await until(
        async () => {
          const status = await api<Status>(second!.url, `/api/pipeline/${jobId}/status`);
          return ['completed', 'failed', 'cancelled'].includes(status.status) ? status : undefined;
        },
        JOB_LIMIT_MS,
        'the resumed job to end',
      );
    },
    START_LIMIT_MS * 2 + JOB_LIMIT_MS * 2,
  );

  afterAll(async () => {
    if (!second) return;
    process.kill(-second.pid, 'SIGTERM');
    await second.closed;
  }, 60_000);

  it('was killed in the middle: some files done, not all', () => {
    expect(atKill.status).toBe('running');
    expect(atKill.filesSucceeded).toBeLessThan(files.length);
  });

  it('completes on its own after the restart, with shards equal to a clean run’s', async () => {
    expect(final.status, second?.output()).toBe('completed');
    expect(final.filesSucceeded).toBe(files.length);
    const shards = final.outputFiles.filter((name) => /output-\d+-of-\d+\.ndjson$/.test(name));
    expect(shards).toHaveLength(3);
    const joined = Buffer.concat(
      await Promise.all(shards.map(async (name) => readAll(await store.read(TARGET, name)))),
    );
    expect(joined.equals(await expectedConcatenation(store, SOURCE, files))).toBe(true);
  });

  it('leaves no parts and no temp files behind', async () => {
    const names: string[] = [];
    for await (const name of walkNames(path.join(dataDir, 'buckets', TARGET), { prefix: '' })) {
      names.push(name);
    }
    expect(names.filter((name) => name.includes('_parts/'))).toEqual([]);
    const temp = await readdir(path.join(dataDir, '.tmp')).catch(() => []);
    expect(temp).toEqual([]);
  });

  it('keeps job history, file statuses, the processed index and recorder config', async () => {
    const base = second!.url;
    const history = await api<{ jobs: { jobId: string }[] }>(base, '/api/pipeline/history');
    expect(history.jobs.map((job) => job.jobId)).toContain(jobId);
    const listed = await api<{ files: unknown[]; total?: number }>(
      base,
      `/api/pipeline/${jobId}/files?limit=1000`,
    );
    expect(listed.files).toHaveLength(files.length);
    const again = await call<{ detail: string }>(base, '/api/pipeline/submit', {
      sourceBucket: SOURCE,
      sourceDataset: 'PRO/2022',
      selectedPaths: [''],
      targetBucket: TARGET,
      outputShards: 3,
      skipProcessed: true,
    });
    expect(again.code).toBe(400);
    expect(again.body.detail).toMatch(/already processed/);
    const config = await api<{ poll_interval_seconds?: number; config?: unknown }>(
      base,
      '/api/config',
    );
    expect(JSON.stringify(config)).toContain('"poll_interval_seconds":300');
  });
});
