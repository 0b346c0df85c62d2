import path from 'node:path';
import type { Firestore } from '@google-cloud/firestore';
import { readFile } from 'node:fs/promises';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HttpPublisher } from '../../../shared/local/adapters/publisher.js';
import { runTokenHeaders } from '../../../shared/local/run-token.js';
import { generateSampleData } from '../../../shared/local/generator/generate.js';
import { startLocalRuntime, type LocalRuntime } from '../../../shared/local/runtime.js';
import type { FileStatus } from '../../../shared/pipeline/job-model.js';
import { loadConfig } from '../../../shared/platform/config.js';
import { createLogger } from '../../../shared/platform/logging.js';
import type { ObjectStore } from '../../../shared/platform/ports/object-store.js';
import { bzip2Dc } from '../../support/bzip2.js';
import { referenceLines } from '../../support/reference-lines.js';
import { runtimeFirestore, stopRuntime } from '../../support/runtime-firestore.js';
import {
  HISTORIC_SAMPLES_DIR,
  SAMPLES_MISSING,
  hasSamples,
  historicSampleFiles,
} from '../../support/sample-data.js';
import { readAll, tempStore } from '../../support/temp-store.js';

const SOURCE = 'historic-source';

/** Copies the real historic samples in as `real/…`; none when ../shared/data is absent. */
async function copyRealSamples(store: ObjectStore): Promise<string[]> {
  const files = historicSampleFiles().map((file) => path.relative(HISTORIC_SAMPLES_DIR, file));
  for (const file of files) {
    await store.write(
      SOURCE,
      `real/${file}`,
      Readable.from([await readFile(path.join(HISTORIC_SAMPLES_DIR, file))]),
    );
  }
  return files.map((file) => `real/${file}`);
}

describe('decompress function through the local runtime bus', () => {
  let runtime: LocalRuntime;
  let store: ObjectStore;
  let db: Firestore;

  beforeAll(async () => {
    const temp = await tempStore();
    store = temp.store;
    const config = loadConfig({
      PORT: '0',
      CHIMERA_DATA_DIR: temp.dataDir,
      BUS_MIN_BACKOFF_MS: '20',
    });
    runtime = await startLocalRuntime(config, { logger: createLogger({ minSeverity: 'ERROR' }) });
    db = runtimeFirestore(runtime, config.projectId);
  });
  afterAll(() => stopRuntime(runtime, db));

  it('decodes generated and real files in work orders delivered twice each: one exact part and one status per file', async () => {
    const generated = await generateSampleData(store, SOURCE, { mode: 'malformed', seed: 5 });
    const names = [...generated.files.map((f) => f.objectName), ...(await copyRealSamples(store))];
    // Without ../shared/data only the real files are left out; the generated ones still run.
    if (!hasSamples) console.warn(`real files ${SAMPLES_MISSING}; generated files only`);
    await store.createBucket('historic-target');
    const files = await Promise.all(
      names.map(async (name, index) => {
        const { generation } = await store.stat(SOURCE, name);
        return { index, source: { bucket: SOURCE, name, generation } };
      }),
    );
    // Work orders of three files, as the workflow groups small files.
    const messages = Array.from({ length: Math.ceil(files.length / 3) }, (_, i) => ({
      data: Buffer.from(
        JSON.stringify({
          jobId: 'e2e-job',
          files: files.slice(i * 3, i * 3 + 3),
          target: { bucket: 'historic-target', prefix: 'out' },
          plugin: 'betfair',
        }),
      ),
    }));
    const publisher = new HttpPublisher(
      runtime.url,
      'chimera-local',
      runTokenHeaders(runtime.runToken),
    );
    await publisher.publish('chimera-decompress', [...messages, ...messages]);
    await runtime.queue.drain();

    const statuses = (await db.collection('dataflow-jobs/e2e-job/files').get()).docs.map(
      (d) => d.data() as FileStatus,
    );
    expect(statuses).toHaveLength(names.length);
    for (const status of statuses.filter((s) => s.state === 'succeeded')) {
      const source = await readAll(await store.read(SOURCE, status.source.name));
      const part = await readAll(await store.read('historic-target', status.result!.output));
      expect(part.equals(referenceLines(bzip2Dc(source))), status.source.name).toBe(true);
    }
    expect(
      statuses
        .filter((s) => s.state === 'failed')
        .map((s) => s.error!.code)
        .sort(),
    ).toEqual(['BZ2.CORRUPT', 'BZ2.NOT_BZIP2', 'BZ2.TRUNCATED']);
    const parts = await store.list('historic-target', { prefix: 'out/_parts/e2e-job/' });
    expect(parts.objects).toHaveLength(names.length - 3);
    expect(runtime.queue.deadLetters()).toEqual([]);
  });

  it('acknowledges a message that can never be valid instead of retrying it forever', async () => {
    const publisher = new HttpPublisher(
      runtime.url,
      'chimera-local',
      runTokenHeaders(runtime.runToken),
    );
    await publisher.publish('chimera-decompress', [
      { data: Buffer.from('not json') },
      { data: Buffer.from(JSON.stringify({ jobId: 'x', index: -1 })) },
    ]);
    await runtime.queue.drain();
    expect(runtime.queue.deadLetters()).toEqual([]);
    expect(runtime.queue.stats()).toMatchObject({ pending: 0 });
  });
});
