import { println } from '../cli-io.js';
import type { Command } from '../command.js';
import { URL_OPTION, URL_USAGE, clientFor } from '../jobs/api-options.js';
import { count, duration } from '../output/format.js';
import { formatTable } from '../output/table.js';
import { integerOption, parseOptions } from '../parse-options.js';

const USAGE = `Usage: chimera history [--limit <n>] [--json] [--url <url>]
  Lists the most recent jobs, newest first.

  --limit <n>       jobs to list, 1–100 (default 20)
  --json            print the API's answer as JSON
${URL_USAGE}`;

/** `chimera history`. */
export const historyCommand: Command = {
  name: 'history',
  summary: 'list recent jobs',
  usage: USAGE,
  async run(argv, context) {
    const { values } = parseOptions(argv, {
      limit: { type: 'string' },
      json: { type: 'boolean' },
      ...URL_OPTION,
    });
    const limit = integerOption(values, 'limit', { min: 1, max: 100 }, 20);
    const jobs = await clientFor(values, context).history(limit);
    const { stdout } = context.io;
    if (values.json === true) {
      println(stdout, JSON.stringify({ jobs }, null, 2));
    } else if (jobs.length === 0) {
      println(stdout, 'No jobs yet.');
    } else {
      const rows = jobs.map((job) => [
        job.jobId,
        job.status,
        job.createdAt ?? '',
        [job.sourceDataset, job.selectedPaths.join(',')].filter(Boolean).join(' '),
        job.processType ?? '',
        count(job.recordsProcessed),
        job.durationSeconds == null ? '' : duration(job.durationSeconds),
      ]);
      const header = ['JOB ID', 'STATUS', 'CREATED', 'SELECTION', 'PROCESS', 'RECORDS', 'TOOK'];
      println(stdout, formatTable(header, rows, 60));
    }
    return 0;
  },
};
