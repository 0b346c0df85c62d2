import path from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { fetchJson } from '../platform/http.js';
import type { Logger } from '../platform/logging.js';
import type { ObjectStore } from '../platform/ports/object-store.js';
import { generateSampleData } from './generator/generate.js';

export const SAMPLE_SOURCE_BUCKET = 'betfair-historic';
export const SAMPLE_TARGET_BUCKET = 'betfair-output';

interface JobStatusView {
  status: string;
  filesTotal: number;
  filesSucceeded: number;
  filesFailed: number;
  recordsProcessed: number;
  outputFiles: string[];
  errorMessage: string | null;
}

/**
 * On a first run (no sample bucket yet), fills a bucket with generated Betfair files, a few of
 * them malformed, and runs one job on them through the public API, so a new user sees the
 * pipeline work end to end and where its output lands.
 */
export async function runSampleJob(options: {
  url: string;
  store: ObjectStore;
  bucketsDir: string;
  logger: Logger;
  print: (text: string) => void;
}): Promise<void> {
  const { store, print } = options;
  if (await store.bucketExists(SAMPLE_SOURCE_BUCKET)) return;
  print(
    `Generating sample Betfair data in ${path.join(options.bucketsDir, SAMPLE_SOURCE_BUCKET)} …\n`,
  );
  await generateSampleData(store, SAMPLE_SOURCE_BUCKET, { mode: 'normal', seed: 1, meetings: 3 });
  await generateSampleData(store, SAMPLE_SOURCE_BUCKET, {
    mode: 'malformed',
    seed: 2,
    date: '2022-04-20',
  });
  const submitted = (await fetchJson(`${options.url}/api/pipeline/submit`, {
    body: {
      sourceBucket: SAMPLE_SOURCE_BUCKET,
      sourceDataset: 'PRO/2022',
      selectedPaths: ['Apr'],
      targetBucket: SAMPLE_TARGET_BUCKET,
      createNewBucket: true,
      outputShards: 4,
    },
  })) as { jobId: string };
  print(
    `Sample job ${submitted.jobId} submitted; follow it at ${options.url}/api/pipeline/${submitted.jobId}/status\n`,
  );
  const done = await follow(options.url, submitted.jobId);
  const where = path.join(options.bucketsDir, SAMPLE_TARGET_BUCKET);
  print(
    [
      `Sample job ${submitted.jobId} ${done.status}: ${done.filesSucceeded}/${done.filesTotal} files, ${done.recordsProcessed} records` +
        (done.errorMessage ? ` (${done.errorMessage})` : ''),
      ...done.outputFiles.map((name) => `  ${path.join(where, name)}`),
      '',
    ].join('\n'),
  );
}

async function follow(url: string, jobId: string): Promise<JobStatusView> {
  for (;;) {
    const status = (await fetchJson(`${url}/api/pipeline/${jobId}/status`)) as JobStatusView;
    if (!['submitted', 'running'].includes(status.status)) return status;
    await delay(1000);
  }
}
