import pLimit from 'p-limit';
import { pathToFileURL } from 'node:url';
import type { JobProgress } from '../../shared/pipeline/job-model.js';
import { jobStatusHandler, refresh, statusDeps } from '../../shared/pipeline/status/job-status.js';
import { createLogger } from '../../shared/platform/logging.js';
import {
  countWrites,
  deliverDirectly,
  expectedTotals,
  processFile,
  runningJob,
} from '../pipeline/status/status-fixture.js';
import { startEmulatorFixture } from '../support/emulator.js';

/**
 * Status aggregation under a burst: N files finish (each through the decompress function's
 * status store, `concurrency` at a time) while every file event the local trigger builds is
 * handed to the job-status handler twice, concurrently, against the embedded emulator.
 * Reports job-document writes against events handled, recounts, the busiest second (by the
 * server time each written count was taken at, and by commit time as the emulator saw it:
 * the emulator shares this process's event loop, so its commits bunch up when it stalls),
 * and whether the totals were exact before and after one more recount.
 * Run: npx tsx test/bench/status-aggregation.bench.ts [files] [concurrency]   (default 2000 64)
 */

const PROJECT = 'chimera-bench';

async function main(files: number, concurrency: number): Promise<void> {
  const fixture = await startEmulatorFixture(PROJECT);
  const { db, emulator } = fixture;
  const jobId = 'bench-job';
  await db
    .doc(`dataflow-jobs/${jobId}`)
    .set(runningJob(jobId, files, new Date(Date.now() - 60_000)));
  const writes = countWrites(emulator.server, `dataflow-jobs/${jobId}`);
  const deps = statusDeps(db, createLogger({ minSeverity: 'ERROR' }));
  let tallies = 0;
  const tally = deps.progressStore.tally.bind(deps.progressStore);
  deps.progressStore.tally = (id) => ((tallies += 1), tally(id));
  const recountTimes: number[] = [];
  const apply = deps.progressStore.apply.bind(deps.progressStore);
  deps.progressStore.apply = async (id, decide) => {
    const update = await apply(id, decide);
    if (update?.progress) recountTimes.push(update.progress.updatedAt.getTime());
    return update;
  };
  const handle = jobStatusHandler(deps);
  const delivery = deliverDirectly(emulator.server, PROJECT, (event) => handle(event), 2);

  const started = Date.now();
  const limit = pLimit(concurrency);
  await Promise.all(
    Array.from({ length: files }, (_, i) => limit(() => processFile(db, jobId, i))),
  );
  const filesWritten = (Date.now() - started) / 1000;
  await delivery.settled();
  const seconds = (Date.now() - started) / 1000;
  delivery.stop();

  const before = await progressOf(db, jobId);
  await refresh(statusDeps(db, createLogger({ minSeverity: 'ERROR' })), jobId);
  const after = await progressOf(db, jobId);
  const expected = expectedTotals(files);
  const report = {
    files,
    eventsHandled: delivery.delivered(),
    handlerFailures: delivery.failures.length,
    filesWrittenInSeconds: round(filesWritten),
    allEventsHandledInSeconds: round(seconds),
    jobDocumentWrites: writes.times.length,
    recounts: tallies,
    progressWrites: recountTimes.length,
    busiestSecondByCountTime: busiestSecond(recountTimes.sort((a, b) => a - b)),
    busiestSecondByCommitTime: busiestSecond(writes.times),
    exactBeforeRefresh: matches(before, expected),
    exactAfterRefresh: matches(after, expected),
  };
  console.table(report);
  await fixture.close();
}

async function progressOf(
  db: Awaited<ReturnType<typeof startEmulatorFixture>>['db'],
  jobId: string,
) {
  return (await db.doc(`dataflow-jobs/${jobId}`).get()).get('progress') as JobProgress;
}

function matches(progress: JobProgress, expected: ReturnType<typeof expectedTotals>): boolean {
  return Object.entries(expected).every(
    ([key, value]) => progress[key as keyof JobProgress] === value,
  );
}

/** Most writes that landed within any one-second window. */
function busiestSecond(times: number[]): number {
  let best = 0;
  for (let start = 0, end = 0; end < times.length; end += 1) {
    while (times[end]! - times[start]! >= 1000) start += 1;
    best = Math.max(best, end - start + 1);
  }
  return best;
}

function round(value: number): number {
  return Math.round(value * 100) / 100;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  await main(Number(process.argv[2] ?? 2000), Number(process.argv[3] ?? 64));
}
