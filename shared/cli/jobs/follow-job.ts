import { setTimeout as sleep } from 'node:timers/promises';
import { FINAL_STATUSES, type JobStatusView } from '../api/api-schemas.js';
import type { PipelineClient } from '../api/pipeline-client.js';
import type { CliStream } from '../cli-io.js';
import { count, duration } from '../output/format.js';
import { createProgress, type Progress } from '../output/progress.js';

/** How to follow a job. */
export interface FollowOptions {
  /** Time between status polls. */
  intervalMs: number;
}

/**
 * Polls a job until it reaches a final status, drawing files done of planned and printing each
 * new log line once. Returns the final status.
 */
export async function followJob(
  client: PipelineClient,
  jobId: string,
  stream: CliStream,
  options: FollowOptions,
): Promise<JobStatusView> {
  const progress = createProgress(stream, { intervalMs: options.intervalMs });
  const printed = new Set<string>();
  try {
    for (;;) {
      const status = await client.status(jobId);
      printNewLogs(await client.logs(jobId), printed, progress);
      showStatus(status, progress);
      if (FINAL_STATUSES.includes(status.status)) return status;
      await sleep(options.intervalMs);
    }
  } finally {
    progress.stop();
  }
}

// The API returns a bounded window of the newest lines, so lines are remembered, not counted.
function printNewLogs(logs: readonly string[], printed: Set<string>, progress: Progress): void {
  for (const line of logs) {
    if (printed.has(line)) continue;
    printed.add(line);
    progress.log(line);
  }
}

function showStatus(status: JobStatusView, progress: Progress): void {
  const done = status.filesSucceeded + status.filesFailed + status.filesCancelled;
  const failed = status.filesFailed > 0 ? ` | ${status.filesFailed} failed` : '';
  const eta =
    status.estimatedSecondsRemaining != null
      ? ` | ETA ${duration(status.estimatedSecondsRemaining)}`
      : '';
  const detail =
    `${status.status} | files ${done}/${status.filesTotal}${failed} | ` +
    `${count(status.recordsProcessed)} records | ` +
    `${count(Math.round(status.throughputRecordsPerSec))} rec/s${eta}`;
  progress.update(done, status.filesTotal, detail);
}
