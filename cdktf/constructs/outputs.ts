import { TerraformOutput } from 'cdktf';
import { Construct } from 'constructs';
import type { Functions } from './functions.js';

/** What a user needs after `apply`: every function's URL, the API URL for the CLI, buckets. */
export class StackOutputs extends Construct {
  constructor(
    scope: Construct,
    id: string,
    functions: Functions,
    extra: {
      pipelineApiUrl: string;
      targetBucket: string;
      recorderBucket: string;
      deadLetters: string;
      /** The accounts a bucket owner elsewhere grants source access to (see the README). */
      sourceReaders: string[];
      /** `project:dataset` of the warehouse, and the account loading it. */
      warehouseDataset: string;
      warehouseLoader: string;
    },
  ) {
    super(scope, id);
    // Plain output names (`terraform output chimera_api_url`), not construct-path hashes.
    const output = (name: string, value: string, description: string) =>
      new TerraformOutput(this, name, { value, description }).overrideLogicalId(name);
    for (const [name, fn] of Object.entries(functions.byName)) {
      output(`${name.replace(/-/g, '_')}_url`, fn.url, `${name}: its HTTPS address`);
    }
    output('chimera_api_url', extra.pipelineApiUrl, 'CHIMERA_API_URL for the chimera CLI');
    output('feed_base_url', `${functions.get('feed').url}/api/feed`, 'The feed endpoints');
    output('target_bucket', `gs://${extra.targetBucket}`, 'Job output');
    output('recorder_bucket', `gs://${extra.recorderBucket}`, 'Recorded NDJSON');
    output('warehouse_dataset', extra.warehouseDataset, 'BigQuery dataset of direct_to_bigquery');
    output('warehouse_loader', extra.warehouseLoader, 'The account loading it (data editor)');
    output('dead_letter_subscription', extra.deadLetters, 'Dead-lettered decompress messages');
    new TerraformOutput(this, 'source_readers', {
      value: extra.sourceReaders,
      description: 'Members to grant read access on a source bucket (see the README)',
    }).overrideLogicalId('source_readers');
  }
}
