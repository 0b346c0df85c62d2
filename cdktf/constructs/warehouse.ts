import { BigqueryDataset } from '@cdktf/provider-google/lib/bigquery-dataset/index.js';
import { BigqueryDatasetIamMember } from '@cdktf/provider-google/lib/bigquery-dataset-iam-member/index.js';
import { Construct } from 'constructs';
import type { Identities } from './iam.js';

/** The function whose load step loads direct_to_bigquery jobs' tables. */
export const WAREHOUSE_LOADER = 'pipeline-workflow';

/**
 * The BigQuery datasets direct_to_bigquery jobs load into, the default first, and the loader's
 * rights on them: data editor on these datasets only (create tables, load and replace rows).
 * Running load and query jobs needs roles/bigquery.jobUser on the project, granted with the
 * loader's project roles.
 */
export class Warehouse extends Construct {
  readonly datasets: BigqueryDataset[];

  constructor(
    scope: Construct,
    id: string,
    props: { project: string; datasets: string[]; location: string; identities: Identities },
  ) {
    super(scope, id);
    this.datasets = props.datasets.map((datasetId, i) => {
      // The first keeps its original construct ids, so adding datasets never replaces it.
      const suffix = i === 0 ? '' : `-${datasetId}`;
      const dataset = new BigqueryDataset(this, `dataset${suffix}`, {
        project: props.project,
        datasetId,
        location: props.location,
        description:
          'CHIMERA: products of direct_to_bigquery jobs (runners, markets, snapshots, bars)',
        // Tables hold loaded data: destroying the stack must not drop them with the dataset.
        deleteContentsOnDestroy: false,
      });
      new BigqueryDatasetIamMember(this, `loader${suffix}`, {
        project: props.project,
        datasetId: dataset.datasetId,
        role: 'roles/bigquery.dataEditor',
        member: props.identities.member(WAREHOUSE_LOADER),
      });
      return dataset;
    });
  }
}
