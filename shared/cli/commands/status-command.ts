import { println } from '../cli-io.js';
import type { Command } from '../command.js';
import { URL_OPTION, URL_USAGE, clientFor } from '../jobs/api-options.js';
import { printJobSummary } from '../jobs/job-summary.js';
import { parseOptions } from '../parse-options.js';

const USAGE = `Usage: chimera status <jobId> [--json] [--url <url>]
  Shows a job's status once: a readable summary, or with --json the API's answer.

  --json            print the status as JSON
${URL_USAGE}`;

/** `chimera status <jobId>`. */
export const statusCommand: Command = {
  name: 'status',
  summary: "show a job's status once (readable or --json)",
  usage: USAGE,
  async run(argv, context) {
    const { values, positionals } = parseOptions(
      argv,
      { json: { type: 'boolean' }, ...URL_OPTION },
      ['jobId'],
    );
    const status = await clientFor(values, context).status(positionals[0]!);
    if (values.json === true) println(context.io.stdout, JSON.stringify(status, null, 2));
    else printJobSummary(context.io.stdout, status);
    return 0;
  },
};
