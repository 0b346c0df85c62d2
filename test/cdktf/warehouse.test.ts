import { beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../shared/platform/config.js';
import {
  functionEnvironment,
  referenced,
  resources,
  resourceWhere,
  synthStack,
  TEST_ENV,
  type Synthesised,
} from './stack-fixture.js';

let json: Synthesised;

/** `serviceAccount:${google_x.id.email}` → `google_x.id`. */
const account = (member: unknown) => referenced(String(member).replace(/^serviceAccount:/, ''));

beforeAll(async () => {
  json = await synthStack();
}, 60_000);

/** Every BigQuery role the stack grants, wherever it grants it. */
function bigQueryGrants(synth: Synthesised) {
  return Object.entries(synth.resource).flatMap(([type, byId]) =>
    Object.values(byId)
      .filter((r) => String(r.role).startsWith('roles/bigquery.'))
      .map((r) => ({ type, role: r.role, member: r.member, dataset: r.dataset_id })),
  );
}

describe('the warehouse in the synthesised stack', () => {
  it('declares the dataset in the region, keeping its tables when the stack is destroyed', () => {
    const dataset = resourceWhere(
      json,
      'google_bigquery_dataset',
      'dataset_id',
      TEST_ENV.CHIMERA_WAREHOUSE_DATASET,
    );
    expect(dataset).toMatchObject({
      project: TEST_ENV.CHIMERA_PROJECT,
      location: TEST_ENV.CHIMERA_REGION,
      delete_contents_on_destroy: false,
    });
  });

  it('lets only the loading function load: job user on the project, data editor on the dataset', () => {
    const workflowFn = resourceWhere(
      json,
      'google_cloudfunctions2_function',
      'name',
      'pipeline-workflow',
    );
    const loader = referenced(
      (workflowFn.service_config as Record<string, unknown>).service_account_email,
    );
    const grants = bigQueryGrants(json);
    expect(grants.map((g) => [g.type, g.role]).sort()).toEqual([
      ['google_bigquery_dataset_iam_member', 'roles/bigquery.dataEditor'],
      ['google_project_iam_member', 'roles/bigquery.jobUser'],
    ]);
    for (const grant of grants) expect(account(grant.member)).toBe(loader);
    const onDataset = grants.find((g) => g.type === 'google_bigquery_dataset_iam_member');
    expect(referenced(onDataset?.dataset)).toMatch(/^google_bigquery_dataset\./);
  });

  it('tells the functions the dataset and its location, and names both in the outputs', () => {
    const env = functionEnvironment(json, 'pipeline-workflow');
    expect(loadConfig(env).warehouse).toEqual({
      dataset: TEST_ENV.CHIMERA_WAREHOUSE_DATASET,
      location: TEST_ENV.CHIMERA_REGION,
      datasets: [TEST_ENV.CHIMERA_WAREHOUSE_DATASET],
    });
    expect(json.output.warehouse_dataset?.value).toBe(
      `${TEST_ENV.CHIMERA_PROJECT}:\${google_bigquery_dataset.${Object.keys(resources(json, 'google_bigquery_dataset'))[0]}.dataset_id}`,
    );
    const workflowFn = resourceWhere(
      json,
      'google_cloudfunctions2_function',
      'name',
      'pipeline-workflow',
    );
    expect(account(json.output.warehouse_loader?.value)).toBe(
      referenced((workflowFn.service_config as Record<string, unknown>).service_account_email),
    );
  });

  it('declares each extra dataset like the first, grants the loader data editor on each, and lets jobs load into exactly those', async () => {
    const extra = await synthStack({ CHIMERA_WAREHOUSE_EXTRA_DATASETS: 'research, test_racing' });
    const datasets = Object.values(resources(extra, 'google_bigquery_dataset'));
    expect(datasets.map((d) => d.dataset_id).sort()).toEqual(['research', 'test_racing']);
    for (const dataset of datasets) expect(dataset.location).toBe(TEST_ENV.CHIMERA_REGION);
    const editors = bigQueryGrants(extra).filter((g) => g.role === 'roles/bigquery.dataEditor');
    expect(editors.map((g) => referenced(g.dataset)).sort()).toEqual(
      Object.keys(resources(extra, 'google_bigquery_dataset'))
        .map((id) => `google_bigquery_dataset.${id}`)
        .sort(),
    );
    const env = functionEnvironment(extra, 'pipeline-workflow');
    expect(loadConfig(env).warehouse.datasets).toEqual([
      TEST_ENV.CHIMERA_WAREHOUSE_DATASET,
      'research',
    ]);
  }, 60_000);
});
