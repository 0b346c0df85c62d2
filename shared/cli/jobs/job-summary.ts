import type { JobStatusView } from '../api/api-schemas.js';
import { println, type CliStream } from '../cli-io.js';
import { count, duration, megabytes } from '../output/format.js';

const REPORTS = /(^|\/)_(FAILURES\.csv|MANIFEST\.json)$/;
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

/** Object names in the job's target bucket as gs:// URLs. */
function locator(outputLocation: string | null | undefined): (name: string) => string {
  const bucket = /^gs:\/\/([^/]+)\//.exec(outputLocation ?? '')?.[1];
  return (name) => (bucket ? `gs://${bucket}/${name}` : name);
}
