import { println } from '../cli-io.js';
import type { Command } from '../command.js';
import { URL_OPTION, URL_USAGE, clientFor } from '../jobs/api-options.js';
import { parseOptions } from '../parse-options.js';

const USAGE = `Usage: chimera cancel <jobId> [--url <url>]
  Asks the pipeline to cancel a job: no more files are published and it ends as cancelled.

${URL_USAGE}`;

/** `chimera cancel <jobId>`. */
export const cancelCommand: Command = {
  name: 'cancel',
  summary: 'cancel a running job',
  usage: USAGE,
  async run(argv, context) {
    const { values, positionals } = parseOptions(argv, URL_OPTION, ['jobId']);
    await clientFor(values, context).cancel(positionals[0]!);
    println(context.io.stdout, `Cancellation requested for job ${positionals[0]}`);
    return 0;
  },
};
