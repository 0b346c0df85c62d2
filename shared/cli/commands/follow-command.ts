import type { JobStatusView } from '../api/api-schemas.js';
import type { PipelineClient } from '../api/pipeline-client.js';
import type { CliStream } from '../cli-io.js';
import type { Command } from '../command.js';
import { URL_OPTION, URL_USAGE, clientFor } from '../jobs/api-options.js';
import { followJob } from '../jobs/follow-job.js';
import { printJobSummary } from '../jobs/job-summary.js';
import { parseOptions, secondsOption } from '../parse-options.js';

/** `--interval`, shared with `submit --follow`. */
export const INTERVAL_OPTION = { interval: { type: 'string' } } as const;
export const INTERVAL_USAGE = `  --interval <s>    seconds between status polls (default 2)`;

const USAGE = `Usage: chimera follow <jobId> [options]
  Follows a job with a progress bar (files done of planned, records, throughput), prints its
  new log lines as they appear, and ends with a summary when the job ends.

${INTERVAL_USAGE}
${URL_USAGE}

Exit codes: 0 completed, 1 failed or cancelled (or the API could not be reached), 2 bad command line.`;

/** `chimera follow <jobId>`. */
export const followCommand: Command = {
  name: 'follow',
  summary: 'follow a job with a progress bar until it ends',
  usage: USAGE,
  async run(argv, context) {
    const { values, positionals } = parseOptions(argv, { ...INTERVAL_OPTION, ...URL_OPTION }, [
      'jobId',
    ]);
    const intervalMs = secondsOption(values, 'interval', 2000);
    return followToEnd(clientFor(values, context), positionals[0]!, context.io.stdout, intervalMs);
  },
};

/** Follows the job, prints its summary and returns 0 when it completed, 1 otherwise. */
export async function followToEnd(
  client: PipelineClient,
  jobId: string,
  stream: CliStream,
  intervalMs: number,
): Promise<number> {
  const status: JobStatusView = await followJob(client, jobId, stream, { intervalMs });
  printJobSummary(stream, status);
  return status.status === 'completed' ? 0 : 1;
}
