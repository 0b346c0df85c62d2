import { z } from 'zod';
import { AppError } from '../platform/errors.js';

/** Where a direct_to_bigquery job loads its tables. */
export interface WarehouseOptions {
  dataset: string;
  location: string;
  tablePrefix: string;
}

const DATASET_RULE = 'letters, digits and underscores, 1 to 1024 of them';
const PREFIX_RULE = 'letters, digits and underscores, at most 64, starting with a letter or _';
const LOCATION_RULE = 'a BigQuery location such as EU, US or europe-west2';

/**
 * The `warehouse` field of a submit: `{dataset, location, tablePrefix, stream}`, each optional
 * (the dataset and location default to WAREHOUSE_DATASET and WAREHOUSE_LOCATION, the prefix to
 * none, stream to false). The tables are `<dataset>.<tablePrefix><product>`, and
 * `<dataset>.<tablePrefix>stream` with `stream`.
 */
export const warehouseRequestSchema = z
  .object({
    dataset: z
      .string({ error: `must be a dataset name: ${DATASET_RULE}` })
      .regex(/^\w{1,1024}$/, `must be a dataset name: ${DATASET_RULE}`)
      .optional(),
    location: z
      .string({ error: `must be ${LOCATION_RULE}` })
      .regex(/^[A-Za-z][A-Za-z0-9-]{1,62}$/, `must be ${LOCATION_RULE}`)
      .optional(),
    tablePrefix: z
      .string({ error: `must be a table name prefix: ${PREFIX_RULE}` })
      .regex(/^([A-Za-z_]\w{0,63})?$/, `must be a table name prefix: ${PREFIX_RULE}`)
      .optional(),
    /** Also load the raw lines as a `stream` table. */
    stream: z.boolean({ error: 'must be true or false' }).optional(),
  })
  .strict();

export type WarehouseRequest = z.output<typeof warehouseRequestSchema>;

/**
 * The job's warehouse options: the request's, with the deployment's defaults. A dataset the
 * deployment does not list is refused (400) before the job runs, rather than failing its load
 * at the end: the loader may write only to the datasets the stack declared and granted.
 */
export function warehouseOptions(
  request: WarehouseRequest | undefined,
  deployment: { dataset: string; location: string; datasets: readonly string[] },
): WarehouseOptions {
  const dataset = request?.dataset ?? deployment.dataset;
  const allowed = deployment.datasets;
  if (allowed.length > 0 && !allowed.includes(dataset)) {
    throw new AppError(
      'REQUEST.INVALID',
      'invalid',
      `warehouse.dataset: ${dataset} is not a dataset this deployment may load into; use one of ${allowed.join(', ')} (the stack declares more with CHIMERA_WAREHOUSE_EXTRA_DATASETS)`,
    );
  }
  return {
    dataset,
    location: request?.location ?? deployment.location,
    tablePrefix: request?.tablePrefix ?? '',
  };
}

/** How the load of one product went, as the job's status shows it. */
export interface TableLoad {
  product: string;
  /** `dataset.table`. */
  table: string;
  /** The deterministic id the load ran under. */
  loadId: string;
  state: 'loaded' | 'failed';
  /** Rows this job brought (the product's shard lines when loaded). */
  rowsLoaded: number;
  /** Rows in the table after the load. */
  tableRows: number;
  errors: string[];
}

/** The load stage's outcome: the dataset and each product's table. */
export interface LoadReport {
  dataset: string;
  location: string;
  tables: TableLoad[];
}
