import { println } from '../cli-io.js';
import type { Command } from '../command.js';
import { URL_OPTION, URL_USAGE, clientFor } from '../jobs/api-options.js';
import { formatTable } from '../output/table.js';
import { integerOption, parseOptions } from '../parse-options.js';

const USAGE = `Usage: chimera failures <jobId> [--limit <n>] [--json] [--url <url>]
  Lists a job's failed files with the reason each failed (GET /api/pipeline/<jobId>/files?state=failed).

  --limit <n>       files to list, 1–1000 (default 1000)
  --json            print the API's answer as JSON
${URL_USAGE}`;

/** `chimera failures <jobId>`. */
export const failuresCommand: Command = {
  name: 'failures',
  summary: "list a job's failed files and why they failed",
  usage: USAGE,
  async run(argv, context) {
    const { values, positionals } = parseOptions(
      argv,
      { limit: { type: 'string' }, json: { type: 'boolean' }, ...URL_OPTION },
      ['jobId'],
    );
    const limit = integerOption(values, 'limit', { min: 1, max: 1000 }, 1000);
    const files = await clientFor(values, context).failedFiles(positionals[0]!, limit);
    const { stdout } = context.io;
    if (values.json === true) {
      println(stdout, JSON.stringify({ files }, null, 2));
    } else if (files.length === 0) {
      println(stdout, `No failed files in job ${positionals[0]}.`);
    } else {
      const rows = files.map((f) => [f.source, f.error?.code ?? '', f.error?.message ?? '']);
      println(stdout, formatTable(['FILE', 'CODE', 'ERROR'], rows));
    }
    return 0;
  },
};
