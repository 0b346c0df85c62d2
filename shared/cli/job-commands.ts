import { INVALID_LINE_POLICIES } from '../engine/lines/lines.js';
import { OUTPUT_FORMATS, PRODUCT_NAMES } from '../engine/stream/products.js';
import { MAX_SNAPSHOT_DEPTH } from '../engine/stream/snapshots-table.js';
import { SUPPORTED_OUTPUT_COMPRESSIONS, SUPPORTED_PROCESS_TYPES } from '../pipeline/job-model.js';
import {
  URL_OPTION,
  URL_USAGE,
  clientFor,
  type JobStatusView,
  type PipelineClient,
} from './api-client.js';
import {
  println,
  type Command,
  parseOptions,
  integerOption,
  type CliStream,
  secondsOption,
  choiceOption,
  stringOption,
  type OptionValues,
  UsageError,
} from './command.js';
import { printJobSummary, followJob } from './follow-job.js';
import { joinMomentValue, momentsOption } from './moment-options.js';
import { barOption, productsOption } from './parse-command.js';
import { formatTable, count, duration } from './output.js';

const CANCEL_USAGE = `Usage: chimera cancel <jobId> [--url <url>]
  Asks the pipeline to cancel a job: no more files are published and it ends as cancelled.

${URL_USAGE}`;

/** `chimera cancel <jobId>`. */
export const cancelCommand: Command = {
  name: 'cancel',
  summary: 'cancel a running job',
  usage: CANCEL_USAGE,
  async run(argv, context) {
    const { values, positionals } = parseOptions(argv, URL_OPTION, ['jobId']);
    await clientFor(values, context).cancel(positionals[0]!);
    println(context.io.stdout, `Cancellation requested for job ${positionals[0]}`);
    return 0;
  },
};

const FAILURES_USAGE = `Usage: chimera failures <jobId> [--limit <n>] [--json] [--url <url>]
  Lists a job's failed files with the reason each failed (GET /api/pipeline/<jobId>/files?state=failed).

  --limit <n>       files to list, 1–1000 (default 1000)
  --json            print the API's answer as JSON
${URL_USAGE}`;

/** `chimera failures <jobId>`. */
export const failuresCommand: Command = {
  name: 'failures',
  summary: "list a job's failed files and why they failed",
  usage: FAILURES_USAGE,
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

const HISTORY_USAGE = `Usage: chimera history [--limit <n>] [--status <s>] [--process <type>] [--json] [--url <url>]
  Lists the most recent jobs, newest first.

  --limit <n>       jobs to list, 1–100 (default 20)
  --status <s>      only jobs in this state (submitted, running, completed, failed, cancelled)
  --process <type>  only jobs of this process type
  --json            print the API's answer as JSON
${URL_USAGE}`;

/** `chimera history`. */
export const historyCommand: Command = {
  name: 'history',
  summary: 'list recent jobs',
  usage: HISTORY_USAGE,
  async run(argv, context) {
    const { values } = parseOptions(argv, {
      limit: { type: 'string' },
      status: { type: 'string' },
      process: { type: 'string' },
      json: { type: 'boolean' },
      ...URL_OPTION,
    });
    const limit = integerOption(values, 'limit', { min: 1, max: 100 }, 20);
    const jobs = await clientFor(values, context).history({
      limit,
      status: stringOption(values, 'status'),
      processType: stringOption(values, 'process'),
    });
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

const STATUS_USAGE = `Usage: chimera status <jobId> [--json] [--url <url>]
  Shows a job's status once: a readable summary, or with --json the API's answer.

  --json            print the status as JSON
${URL_USAGE}`;

/** `chimera status <jobId>`. */
export const statusCommand: Command = {
  name: 'status',
  summary: "show a job's status once (readable or --json)",
  usage: STATUS_USAGE,
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

/** `--interval`, shared with `submit --follow`. */
export const INTERVAL_OPTION = { interval: { type: 'string' } } as const;
export const INTERVAL_USAGE = `  --interval <s>    seconds between status polls (default 2)`;

const FOLLOW_USAGE = `Usage: chimera follow <jobId> [options]
  Follows a job with a progress bar (files done of planned, records, throughput), prints its
  new log lines as they appear, and ends with a summary when the job ends.

${INTERVAL_USAGE}
${URL_USAGE}

Exit codes: 0 completed, 1 failed or cancelled (or the API could not be reached), 2 bad command line.`;

/** `chimera follow <jobId>`. */
export const followCommand: Command = {
  name: 'follow',
  summary: 'follow a job with a progress bar until it ends',
  usage: FOLLOW_USAGE,
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

const SUBMIT_USAGE = `Usage: chimera submit --bucket <b> --paths <p1,p2> --target <t> [options]
  Submits a job to the pipeline API (POST /api/pipeline/submit) and prints its id.

  --bucket <b>          source bucket (sourceBucket)
  --dataset <d>         dataset folder in it, e.g. PRO/2022 (sourceDataset; default: bucket root)
  --paths <p,…>         comma-separated folders under the dataset, e.g. Apr/19,Apr/20
  --target <t>          bucket for the results (targetBucket)
  --prefix <p>          folder in the target; shards go to <p>/output/ (default: the bucket root)
  --shards <n>          output shards (default 10)
  --process <type>      ${SUPPORTED_PROCESS_TYPES.join(' | ')} (default decompress_and_concatenate)
  --compression <c>     ${SUPPORTED_OUTPUT_COMPRESSIONS.join(' | ')} (default none)
  --plugin <id>         source plugin (sourceType; default betfair)
  --create-bucket       create the target bucket when it does not exist
  --skip-processed      skip sources whose same generation was already processed
  --max-workers <n>     files decompressed at once (dataflowMaxWorkers; default AUTO)
  --invalid-lines <p>   lines that are not JSON (not market data, when parsing): ${INVALID_LINE_POLICIES.join(' | ')}
                        (default quarantine: kept out, written to _quarantine/ and counted)
  --follow              follow the job until it ends (exit code as \`chimera follow\`)

  With --process decompress_concatenate_parse or direct_to_bigquery (the API's defaults where
  left out):
  --products <list>     comma-separated: ${PRODUCT_NAMES.join(', ')} (default runners,markets)
  --at <moments>        snapshot moments: ISO times, offsets from the scheduled off (-600s,
                        -60s, -1m, +30s), off, close (default -60s,off,close)
  --depth <n>           snapshot ladder levels per side, 1 to ${MAX_SNAPSHOT_DEPTH} (default 3)
  --bar <interval>      bar interval: whole seconds or minutes, 60s, 5m (default 60s)
  --format <f>          ${OUTPUT_FORMATS.join(' or ')} (default ndjson)

  With --process direct_to_bigquery (locally: the DuckDB warehouse, see \`chimera query\`):
  --warehouse-dataset <d>   dataset the tables go to, created if absent (default chimera)
  --warehouse-location <l>  its location, e.g. EU or europe-west2 (default EU)
  --table-prefix <p>        tables are <dataset>.<p><product> (default none)
  --stream-table            also load the raw lines as <dataset>.<p>stream

  Filters, for every process type, read from each file's first market definition; a file that
  does not match is skipped and counted, with the reason in \`/files\`:
  --market-types <l>    comma-separated market types, e.g. WIN,PLACE
  --countries <l>       comma-separated country codes, e.g. GB,IE
  --event-types <l>     comma-separated event type ids, e.g. 7 (horse racing), 4339 (greyhounds)
  --venues <l>          comma-separated venues, e.g. Cheltenham,Ascot
  --from <day>          first day of the off (UTC), e.g. 2022-04-01
  --to <day>            last day of the off (UTC), inclusive
${INTERVAL_USAGE}
${URL_USAGE}`;

/** The options `chimera submit` accepts. */
export const SUBMIT_OPTIONS = {
  bucket: { type: 'string' },
  dataset: { type: 'string' },
  paths: { type: 'string' },
  target: { type: 'string' },
  prefix: { type: 'string' },
  shards: { type: 'string' },
  process: { type: 'string' },
  compression: { type: 'string' },
  plugin: { type: 'string' },
  'create-bucket': { type: 'boolean' },
  'skip-processed': { type: 'boolean' },
  'max-workers': { type: 'string' },
  'invalid-lines': { type: 'string' },
  products: { type: 'string' },
  at: { type: 'string' },
  depth: { type: 'string' },
  bar: { type: 'string' },
  format: { type: 'string' },
  'warehouse-dataset': { type: 'string' },
  'warehouse-location': { type: 'string' },
  'table-prefix': { type: 'string' },
  'stream-table': { type: 'boolean' },
  'market-types': { type: 'string' },
  countries: { type: 'string' },
  'event-types': { type: 'string' },
  venues: { type: 'string' },
  from: { type: 'string' },
  to: { type: 'string' },
  follow: { type: 'boolean' },
  ...INTERVAL_OPTION,
  ...URL_OPTION,
} as const;

/** `chimera submit`. */
export const submitCommand: Command = {
  name: 'submit',
  summary: 'submit a decompression job to the pipeline API',
  usage: SUBMIT_USAGE,
  async run(argv, context) {
    const { values } = parseOptions(joinMomentValue(argv), SUBMIT_OPTIONS);
    const body = submitBody(values);
    const intervalMs = secondsOption(values, 'interval', 2000);
    const client = clientFor(values, context);
    const submitted = await client.submit(body);
    const { stdout } = context.io;
    println(stdout, `Submitted job ${submitted.jobId} (${submitted.status})`);
    if (submitted.message) println(stdout, submitted.message);
    if (values.follow !== true) {
      println(stdout, `Follow it with: chimera follow ${submitted.jobId}`);
      return 0;
    }
    return followToEnd(client, submitted.jobId, stdout, intervalMs);
  },
};

/** The submit request in the predecessor's field names; the API fills in what is left out. */
export function submitBody(values: OptionValues): Record<string, unknown> {
  const paths = required(values, 'paths')
    .split(',')
    .map((path) => path.trim())
    .filter((path) => path !== '');
  if (paths.length === 0) throw new UsageError('--paths needs at least one path');
  return {
    sourceType: stringOption(values, 'plugin') ?? 'betfair',
    sourceBucket: required(values, 'bucket'),
    sourceDataset: stringOption(values, 'dataset') ?? '',
    selectedPaths: paths,
    targetBucket: required(values, 'target'),
    outputPrefix: stringOption(values, 'prefix') ?? '',
    outputShards: integerOption(values, 'shards', { min: 1, max: 1000 }, 10),
    processType: choiceOption(
      values,
      'process',
      SUPPORTED_PROCESS_TYPES,
      'decompress_and_concatenate',
    ),
    compression: choiceOption(values, 'compression', SUPPORTED_OUTPUT_COMPRESSIONS, 'none'),
    createNewBucket: values['create-bucket'] === true,
    skipProcessed: values['skip-processed'] === true,
    dataflowMaxWorkers:
      stringOption(values, 'max-workers') === undefined
        ? 'AUTO'
        : integerOption(values, 'max-workers', { min: 1, max: 10_000 }, 1),
    ...definedFields({
      invalidLines: given(values, 'invalid-lines', () =>
        choiceOption(values, 'invalid-lines', INVALID_LINE_POLICIES, 'quarantine'),
      ),
      ...parseFields(values),
      filters: filtersField(values),
      warehouse: warehouseField(values),
    }),
  };
}

/** The parse options given on the command line, in the request's field names. */
function parseFields(values: OptionValues): Record<string, unknown> {
  return {
    products: given(values, 'products', () => productsOption(values)),
    snapshotMoments: given(values, 'at', (text) => momentsOption(text).map((m) => m.label)),
    ladderDepth: given(values, 'depth', () =>
      integerOption(values, 'depth', { min: 1, max: MAX_SNAPSHOT_DEPTH }, 3),
    ),
    barSeconds: given(values, 'bar', (text) => barOption(text) / 1000),
    format: given(values, 'format', () => choiceOption(values, 'format', OUTPUT_FORMATS, 'ndjson')),
  };
}

/** The warehouse fields given on the command line, or undefined when none is. */
function warehouseField(values: OptionValues): Record<string, unknown> | undefined {
  const warehouse = definedFields({
    dataset: stringOption(values, 'warehouse-dataset'),
    location: stringOption(values, 'warehouse-location'),
    tablePrefix: stringOption(values, 'table-prefix'),
    stream: values['stream-table'] === true ? true : undefined,
  });
  return Object.keys(warehouse).length === 0 ? undefined : warehouse;
}

/** The filters given on the command line, or undefined when none is. */
function filtersField(values: OptionValues): Record<string, unknown> | undefined {
  const filters = definedFields({
    marketTypes: given(values, 'market-types', list),
    countries: given(values, 'countries', list),
    eventTypes: given(values, 'event-types', list),
    venues: given(values, 'venues', list),
    dateFrom: given(values, 'from', (text) => text),
    dateTo: given(values, 'to', (text) => text),
  });
  return Object.keys(filters).length === 0 ? undefined : filters;
}

/** An option's value through `convert`, or undefined when the option is not given. */
function given<T>(values: OptionValues, name: string, convert: (text: string) => T): T | undefined {
  const text = stringOption(values, name);
  return text === undefined ? undefined : convert(text);
}

function list(text: string): string[] {
  return text
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item !== '');
}

/** The fields whose value is not undefined: what is left out, the API fills in. */
function definedFields(fields: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(fields).filter(([, value]) => value !== undefined));
}

function required(values: OptionValues, name: string): string {
  const value = stringOption(values, name);
  if (value === undefined || value === '') throw new UsageError(`--${name} is required`);
  return value;
}
