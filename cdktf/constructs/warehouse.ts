import { BigqueryDataset } from '@cdktf/provider-google/lib/bigquery-dataset/index.js';
import { BigqueryDatasetIamMember } from '@cdktf/provider-google/lib/bigquery-dataset-iam-member/index.js';
import { Construct } from 'constructs';
import type { Identities } from './iam.js';

/** The function whose load step loads direct_to_bigquery jobs' tables. */
export const WAREHOUSE_LOADER = 'pipeline-workflow';

/**
 * The BigQuery dataset direct_to_bigquery jobs load into, and the loader's rights on it: data
 * editor on this dataset only (create tables, load and replace rows). Running load and query
 * jobs needs roles/bigquery.jobUser on the project, granted with the loader's project roles.
 */
export class Warehouse extends Construct {
  readonly dataset: BigqueryDataset;

  constructor(
    scope: Construct,
    id: string,
    props: { project: string; dataset: string; location: string; identities: Identities },
  ) {
    super(scope, id);
    this.dataset = new BigqueryDataset(this, 'dataset', {
      project: props.project,
      datasetId: props.dataset,
      location: props.location,
      description:
        'CHIMERA: products of direct_to_bigquery jobs (runners, markets, snapshots, bars)',
      // Tables hold loaded data: destroying the stack must not drop them with the dataset.
      deleteContentsOnDestroy: false,
    });
    new BigqueryDatasetIamMember(this, 'loader', {
      project: props.project,
      datasetId: this.dataset.datasetId,
      role: 'roles/bigquery.dataEditor',
      member: props.identities.member(WAREHOUSE_LOADER),
    });
  }
}
