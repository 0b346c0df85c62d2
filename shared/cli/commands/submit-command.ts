import { SUPPORTED_OUTPUT_COMPRESSIONS, SUPPORTED_PROCESS_TYPES } from '../../jobs/job-model.js';
import { println } from '../cli-io.js';
import type { Command } from '../command.js';
import { URL_OPTION, URL_USAGE, clientFor } from '../jobs/api-options.js';
import {
  choiceOption,
  integerOption,
  parseOptions,
  secondsOption,
  stringOption,
  type OptionValues,
} from '../parse-options.js';
import { UsageError } from '../usage-error.js';
import { INTERVAL_OPTION, INTERVAL_USAGE, followToEnd } from './follow-command.js';

const USAGE = `Usage: chimera submit --bucket <b> --paths <p1,p2> --target <t> [options]
  Submits a job to the pipeline API (POST /api/pipeline/submit) and prints its id.

  --bucket <b>          source bucket (sourceBucket)
  --dataset <d>         dataset folder in it, e.g. PRO/2022 (sourceDataset; default: bucket root)
  --paths <p,…>         comma-separated folders under the dataset, e.g. Apr/19,Apr/20
  --target <t>          bucket for the results (targetBucket)
  --prefix <p>          output folder in the target (default output/)
  --shards <n>          output shards (default 10)
  --process <type>      ${SUPPORTED_PROCESS_TYPES.join(' | ')} (default decompress_and_concatenate)
  --compression <c>     ${SUPPORTED_OUTPUT_COMPRESSIONS.join(' | ')} (default none)
  --plugin <id>         source plugin (sourceType; default betfair)
  --create-bucket       create the target bucket when it does not exist
  --skip-processed      skip sources whose same generation was already processed
  --max-workers <n>     files decompressed at once (dataflowMaxWorkers; default AUTO)
  --follow              follow the job until it ends (exit code as \`chimera follow\`)
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
  follow: { type: 'boolean' },
  ...INTERVAL_OPTION,
  ...URL_OPTION,
} as const;

/** `chimera submit`. */
export const submitCommand: Command = {
  name: 'submit',
  summary: 'submit a decompression job to the pipeline API',
  usage: USAGE,
  async run(argv, context) {
    const { values } = parseOptions(argv, SUBMIT_OPTIONS);
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
    outputPrefix: stringOption(values, 'prefix') ?? 'output/',
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
  };
}

function required(values: OptionValues, name: string): string {
  const value = stringOption(values, name);
  if (value === undefined || value === '') throw new UsageError(`--${name} is required`);
  return value;
}
