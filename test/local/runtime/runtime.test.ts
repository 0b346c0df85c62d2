import os from 'node:os';
import path from 'node:path';
import type { Firestore } from '@google-cloud/firestore';
import { mkdtemp } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HttpWorkflowExecutions } from '../../../shared/local/adapters/executions.js';
import { HttpPublisher } from '../../../shared/local/adapters/publisher.js';
import { runTokenHeaders } from '../../../shared/local/run-token.js';
import { startLocalRuntime, type LocalRuntime } from '../../../shared/local/runtime.js';
import { loadConfig } from '../../../shared/platform/config.js';
import { isEventDriven, type FunctionSpec } from '../../../shared/platform/functions.js';
import { createLogger } from '../../../shared/platform/logging.js';
import { runtimeFirestore, stopRuntime } from '../../support/runtime-firestore.js';

const fixtures = path.join(import.meta.dirname, 'fixtures');
const functions: FunctionSpec[] = [
  { name: 'hello', trigger: { kind: 'http', routes: ['/hello-route'] } },
  { name: 'record-message', trigger: { kind: 'pubsub', topic: 'test-topic' } },
  {
    name: 'record-change',
    trigger: { kind: 'firestore', document: 'received/{messageId}', event: 'written' },
  },
  { name: 'tick', trigger: { kind: 'scheduled', schedule: '* * * * * *', timeZone: 'Etc/UTC' } },
];

async function eventually<T>(read: () => Promise<T>, done: (value: T) => boolean): Promise<T> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const value = await read();
    if (done(value) || Date.now() > deadline) return value;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe('embedded runtime, end to end', () => {
  let runtime: LocalRuntime;
  let db: Firestore;

  beforeAll(async () => {
    const dataDir = await mkdtemp(path.join(os.tmpdir(), 'chimera-runtime-'));
    const config = loadConfig({
      PORT: '0',
      CHIMERA_DATA_DIR: dataDir,
      BUS_MIN_BACKOFF_MS: '10',
      BUS_MAX_BACKOFF_MS: '20',
      BUS_MAX_ATTEMPTS: '2',
    });
    runtime = await startLocalRuntime(config, {
      logger: createLogger({ minSeverity: 'ERROR' }),
      functions,
      functionsDir: path.join(fixtures, 'functions'),
      workflowsDir: path.join(fixtures, 'workflows'),
    });
    db = runtimeFirestore(runtime, config.projectId);
  });
  afterAll(() => stopRuntime(runtime, db));

  it('serves HTTP functions on their routes and their cloud-style URL', async () => {
    const routed = await fetch(`${runtime.url}/hello-route/x`);
    const own = await fetch(`${runtime.url}/hello/y`);
    expect(await routed.json()).toEqual({ status: 'ok', path: '/hello-route/x' });
    expect(await own.json()).toEqual({ status: 'ok', path: '/y' });
  });

  it('serves each function from exactly one live host process, each event-driven one alone', () => {
    const served = runtime.hosts.flatMap((h) => h.functions).sort();
    expect(served).toEqual(functions.map((f) => f.name).sort());
    for (const { functions: names, host } of runtime.hosts) {
      expect(() => process.kill(host.pid!, 0)).not.toThrow();
      const eventDriven = names.filter((name) =>
        isEventDriven(functions.find((f) => f.name === name)!),
      );
      if (eventDriven.length > 0) expect(names).toEqual(eventDriven.slice(0, 1));
    }
  });

  it('runs a workflow that calls HTTP and publishes; the bus and the Firestore trigger carry it on', async () => {
    const executions = new HttpWorkflowExecutions(
      runtime.url,
      'chimera-local',
      'europe-west2',
      runTokenHeaders(runtime.runToken),
    );
    const started = await executions.start('fan-out', { baseUrl: runtime.url, texts: ['a', 'b'] });
    const finished = await eventually(
      () => executions.get(started.name),
      (e) => e.state !== 'ACTIVE',
    );
    expect(finished).toMatchObject({ state: 'SUCCEEDED', result: 'ok /ping' });

    const changes = await eventually(
      () => db.collection('changes').get(),
      (snap) => snap.size === 2,
    );
    expect(
      changes.docs
        .map((d) => d.data())
        .sort((x, y) => String(x.text).localeCompare(String(y.text))),
    ).toEqual([
      { text: 'a', created: true },
      { text: 'b', created: true },
    ]);
  });

  it('dead-letters a message its function always refuses, visibly', async () => {
    const publisher = new HttpPublisher(
      runtime.url,
      'chimera-local',
      runTokenHeaders(runtime.runToken),
    );
    const [id] = await publisher.publish('test-topic', [
      { data: Buffer.from('bad'), attributes: { fail: 'always' } },
    ]);
    const letters = await eventually(
      async () =>
        await (
          await fetch(`${runtime.url}/v1/local/deadletters`, {
            headers: runTokenHeaders(runtime.runToken),
          })
        ).json(),
      (body) => JSON.stringify(body).includes(id!),
    );
    expect(JSON.stringify(letters)).toContain(id!);
  });

  it('calls scheduled functions on their cron schedule with Cloud Scheduler headers', async () => {
    const ticks = await eventually(
      () => db.collection('ticks').doc('count').get(),
      (snap) => ((snap.get('n') as number | undefined) ?? 0) >= 1,
    );
    expect(ticks.data()).toMatchObject({ scheduler: 'true' });
  });
});
