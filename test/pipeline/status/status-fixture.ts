import type { FirestoreServer, FirestoreStateDocument } from '@firestore-emulator/server';
import type { Firestore } from '@google-cloud/firestore';
import { FirestoreTrigger } from '../../../shared/local/firestore-trigger/firestore-trigger.js';
import type { DeliveryQueue } from '../../../shared/local/pubsub/delivery-queue.js';
import type { CloudEvent } from '../../../shared/local/pubsub/http-delivery.js';
import { FirestoreFileStatusStore } from '../../../shared/pipeline/firestore/file-status-store.js';
import { loadConfig } from '../../../shared/platform/config.js';
import { deployedFunctions, type DocumentEventKind } from '../../../shared/platform/functions.js';
import {
  fileIdOf,
  type FileResult,
  type SourceObject,
  initialProgress,
  allStages,
  type JobRecord,
} from '../../../shared/pipeline/job-model.js';

/** The job-status function's trigger as deployed: which documents, which event kind. */
export const JOB_STATUS_TRIGGER = deployedFunctions(loadConfig({})).find(
  (f) => f.name === 'job-status',
)!.trigger as { document: string; event: DocumentEventKind };

/** A running job document with `files` planned and nothing counted yet. */
export function runningJob(jobId: string, files: number, createdAt: Date): JobRecord {
  return {
    jobId,
    dataflowJobId: `exec-${jobId}`,
    dataflowUrl: null,
    status: 'running',
    sourceType: 'betfair',
    sourceProject: 'chimera-local',
    sourceBucket: 'historic',
    sourceDataset: 'PRO/2022',
    selectedPaths: ['Apr/19'],
    processType: 'decompress_and_concatenate',
    compression: 'none',
    outputShards: 10,
    targetBucket: 'target',
    outputPrefix: 'out',
    invalidLines: 'quarantine',
    skipProcessed: false,
    maxConcurrency: 100,
    timeoutSeconds: 3600,
    plan: { files, bytesTotal: files * 1000, skipped: 0, pages: 1, pageSize: 250 },
    progress: initialProgress(createdAt),
    stages: allStages(),
    createdAt,
    startedAt: createdAt,
    completedAt: null,
    errorMessage: null,
    outputLocation: 'gs://target/out/',
    outputFiles: [],
  };
}

/** The source of a job's file number `index`. */
export function sourceOf(index: number): SourceObject {
  return {
    bucket: 'historic',
    name: `PRO/2022/Apr/19/31337/1.${200 + index}.bz2`,
    generation: '1',
  };
}

/** What file `index` produced when it succeeds: sizes that make every total checkable. */
export function resultOf(index: number): FileResult {
  return {
    output: `out/_parts/${index}`,
    bytesIn: 1000 + index,
    bytesOut: 5000 + index,
    lines: 10 + index,
    quarantinedLines: index % 3,
    durationMs: 5,
  };
}

/** Files whose index is a multiple of this fail; the others succeed. */
export const FAIL_EVERY = 5;

/**
 * Runs file `index` through the decompress function's own status store, as a work order of its
 * own: running, then done.
 */
export async function processFile(db: Firestore, jobId: string, index: number): Promise<void> {
  const store = new FirestoreFileStatusStore(db);
  const source = sourceOf(index);
  const fileId = fileIdOf(source);
  const order = { jobId, orderId: fileId };
  await store.begin(order, [{ fileId, index, source }], 3);
  await store.finish(order, [
    {
      fileId,
      sourceName: source.name,
      outcome:
        index % FAIL_EVERY === 0
          ? {
              state: 'failed',
              error: { code: 'BZ2.CORRUPT', message: `bzip2 block ${index} failed its CRC check` },
            }
          : { state: 'succeeded', result: resultOf(index) },
    },
  ]);
}

/** The totals a job of `files` files must end with. */
export function expectedTotals(files: number) {
  const indices = Array.from({ length: files }, (_, i) => i);
  const good = indices.filter((i) => i % FAIL_EVERY !== 0).map(resultOf);
  const sum = (pick: (r: FileResult) => number) => good.reduce((a, r) => a + pick(r), 0);
  return {
    succeeded: good.length,
    failed: files - good.length,
    cancelled: 0,
    bytesRead: sum((r) => r.bytesIn),
    bytesWritten: sum((r) => r.bytesOut),
    records: sum((r) => r.lines),
    quarantinedLines: sum((r) => r.quarantinedLines),
  };
}

/** Records when each update to one document commits in the emulator. */
export function countWrites(server: FirestoreServer, documentPath: string): { times: number[] } {
  const times: number[] = [];
  server.state.emitter.on(
    'update-document',
    ({ document }: { document: FirestoreStateDocument }) => {
      if (document.getPath().endsWith(`/documents/${documentPath}`)) times.push(Date.now());
    },
  );
  return { times };
}

/**
 * Hands every file status event the real local trigger builds straight to `deliver`, `copies`
 * times each (as an at-least-once trigger may), without HTTP in between.
 */
export function deliverDirectly(
  server: FirestoreServer,
  projectId: string,
  deliver: (event: CloudEvent) => Promise<void>,
  copies = 1,
) {
  const deliveries: Promise<void>[] = [];
  const failures: unknown[] = [];
  const queue = {
    enqueue: (job: { event: (attempt: number) => CloudEvent }) => {
      for (let copy = 0; copy < copies; copy += 1) {
        deliveries.push(deliver(job.event(1)).catch((error: unknown) => void failures.push(error)));
      }
      return String(deliveries.length);
    },
  } as unknown as DeliveryQueue;
  const trigger = new FirestoreTrigger({
    server,
    projectId,
    queue,
    triggers: [
      {
        name: 'job-status',
        document: JOB_STATUS_TRIGGER.document,
        eventType: JOB_STATUS_TRIGGER.event,
        url: 'http://unused/',
      },
    ],
  });
  trigger.start();
  return {
    failures,
    delivered: () => deliveries.length,
    /** Waits for every delivery so far, including those that started while waiting. */
    settled: async () => {
      for (let seen = -1; seen !== deliveries.length;) {
        seen = deliveries.length;
        await Promise.all(deliveries);
      }
    },
    stop: () => trigger.stop(),
  };
}
