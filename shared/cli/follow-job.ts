import { setTimeout as sleep } from 'node:timers/promises';
import { type JobStatusView, FINAL_STATUSES, type PipelineClient } from './api-client.js';
import { println, type CliStream } from './command.js';
import { count, duration, megabytes, createProgress, type Progress } from './output.js';

const REPORTS = /(^|\/)_(FAILURES\.csv|MANIFEST\.json|LOAD_ERRORS\.json)$/;
/** Shards named one by one; the rest are only counted. */
const SHARDS_LISTED = 5;
const INDENT = ' '.repeat(13);

/** A job's status in a few readable lines: counts, shards written, where the failures are. */
export function printJobSummary(stream: CliStream, status: JobStatusView): void {
  const where = locator(status.outputLocation);
  const lines = [
    `Job ${status.jobId}: ${status.status}`,
    `  files      ${status.filesSucceeded} succeeded, ${status.filesFailed} failed, ` +
      `${status.filesSkipped} skipped of ${status.filesTotal}`,
    `  records    ${count(status.recordsProcessed)} ` +
      `(${count(status.quarantinedLines)} lines quarantined), ` +
      `${megabytes(status.bytesRead)} read in ${duration(status.elapsedSeconds)}`,
    ...outputLines(status, where),
    ...failureLines(status, where),
    ...tableLines(status),
  ];
  if (status.errorMessage) lines.push(`  message    ${status.errorMessage}`);
  println(stream, lines.join('\n'));
}

function outputLines(status: JobStatusView, where: (name: string) => string): string[] {
  const shards = status.outputFiles.filter((name) => !REPORTS.test(name));
  const lines = [
    `  output     ${status.outputLocation ?? '-'} (${shards.length} shard(s) written)`,
    ...shards.slice(0, SHARDS_LISTED).map((name) => `${INDENT}${where(name)}`),
  ];
  if (shards.length > SHARDS_LISTED) lines.push(`${INDENT}… ${shards.length - SHARDS_LISTED} more`);
  return lines;
}

function failureLines(status: JobStatusView, where: (name: string) => string): string[] {
  if (status.filesFailed === 0) return [];
  const csv = status.outputFiles.find((name) => name.endsWith('_FAILURES.csv'));
  return [
    `  failures   ${status.filesFailed} file(s); ${csv ? where(csv) : '_FAILURES.csv not written yet'}`,
    `${INDENT}chimera failures ${status.jobId}`,
  ];
}

/** A direct_to_bigquery job's tables: rows loaded and in the table, or why not. */
function tableLines(status: JobStatusView): string[] {
  return (status.load?.tables ?? []).map(
    (t, i) =>
      `${i === 0 ? '  tables     ' : INDENT}${t.table} ${t.state}: ${count(t.rowsLoaded)} rows ` +
      `loaded, ${count(t.tableRows)} in the table${t.errors.length > 0 ? `; ${t.errors[0]}` : ''}`,
  );
}

/** Object names in the job's target bucket as gs:// URLs. */
function locator(outputLocation: string | null | undefined): (name: string) => string {
  const bucket = /^gs:\/\/([^/]+)\//.exec(outputLocation ?? '')?.[1];
  return (name) => (bucket ? `gs://${bucket}/${name}` : name);
}

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
