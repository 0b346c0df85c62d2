import { beforeEach, describe, expect, it } from 'vitest';
import { createLogger } from '../../shared/platform/logging.js';
import { AppError } from '../../shared/platform/errors.js';
import { allStages, type JobRecord } from '../../shared/pipeline/job-model.js';
import { parseJobOptions } from '../../shared/pipeline/parse-options.js';
import type { JobStore, StatusChange } from '../../shared/pipeline/stores.js';
import { loadIdOf, loadJobTables, type LoadDeps } from '../../shared/pipeline/warehouse-load.js';
import type { Warehouse, WarehouseLoad } from '../../shared/platform/ports/warehouse.js';
import { runningJob } from './status/status-fixture.js';
import { MemoryObjectStore } from '../support/memory-object-store.js';
import { readAll } from '../support/temp-store.js';

const JOB_ID = '2026-11-30-0badcafe';

/** A finalized direct_to_bigquery job, waiting in its load stage. */
function awaitingLoad(): JobRecord {
  return {
    ...runningJob(JOB_ID, 3, new Date('2026-11-30T10:00:00Z')),
    processType: 'direct_to_bigquery',
    outputShards: 2,
    parse: parseJobOptions({ products: ['runners', 'bars'], format: 'csv' }),
    warehouse: { dataset: 'racing', location: 'EU', tablePrefix: 'x_' },
    stages: { ...allStages('completed'), load: 'in_progress' },
    outputFiles: ['out/output/runners-00000-of-00002.csv'],
  };
}

/** Just enough of the jobs port: one job, changed as the Firestore store changes it. */
class OneJobStore implements Partial<JobStore> {
  constructor(public job: JobRecord) {}
  get = () => Promise.resolve(this.job);
  log = () => Promise.resolve();
  changeStatus(_id: string, change: StatusChange) {
    const { stages, ...fields } = change;
    this.job = { ...this.job, ...fields, stages: { ...this.job.stages, ...stages } };
    return Promise.resolve({ job: this.job, changed: true });
  }
}

/** A warehouse whose loads answer from `outcome`, remembering what it was asked. */
function fakeWarehouse(outcome: (load: WarehouseLoad) => string[] | Error): Warehouse & {
  loads: WarehouseLoad[];
} {
  const loads: WarehouseLoad[] = [];
  return {
    loads,
    ensureDataset: () => Promise.resolve(),
    load(load) {
      loads.push(load);
      const result = outcome(load);
      if (result instanceof Error) return Promise.reject(result);
      const rows = result.length > 0 ? 0 : 7;
      return Promise.resolve({ rowsLoaded: rows, tableRows: rows, errors: result });
    },
  };
}

describe('the load step of a direct_to_bigquery job', () => {
  let jobs: OneJobStore;
  let store: MemoryObjectStore;
  const deps = (warehouse: Warehouse): LoadDeps => ({
    jobStore: jobs as unknown as JobStore,
    objectStore: store,
    warehouse,
    logger: createLogger({ minSeverity: 'ERROR', write: () => undefined }),
    now: () => new Date('2026-11-30T10:05:00Z'),
  });
  const loadErrors = async () =>
    JSON.parse(
      (await readAll(await store.read('target', 'out/output/_LOAD_ERRORS.json'))).toString(),
    ) as { tables: { product: string; state: string; errors: string[] }[] };

  beforeEach(async () => {
    jobs = new OneJobStore(awaitingLoad());
    store = new MemoryObjectStore();
    await store.createBucket('target');
  });

  it('loads each product from its shards under a load id per job and product', async () => {
    const warehouse = fakeWarehouse(() => []);
    const job = await loadJobTables(deps(warehouse), JOB_ID);
    expect(warehouse.loads.map((l) => [l.loadId, l.table.table, l.format, l.sources])).toEqual([
      [
        loadIdOf(JOB_ID, 'runners'),
        'x_runners',
        'csv',
        ['out/output/runners-00000-of-00002.csv', 'out/output/runners-00001-of-00002.csv'],
      ],
      [
        loadIdOf(JOB_ID, 'bars'),
        'x_bars',
        'csv',
        ['out/output/bars-00000-of-00002.csv', 'out/output/bars-00001-of-00002.csv'],
      ],
    ]);
    expect(job).toMatchObject({ status: 'completed', stages: { load: 'completed' } });
    expect(job.outputFiles).toEqual([
      'out/output/runners-00000-of-00002.csv',
      'out/output/_LOAD_ERRORS.json',
    ]);
    expect(job.load?.tables.map((t) => [t.table, t.state, t.rowsLoaded])).toEqual([
      ['racing.x_runners', 'loaded', 7],
      ['racing.x_bars', 'loaded', 7],
    ]);
  });

  it('ends the job failed naming the products that failed, their errors in _LOAD_ERRORS.json', async () => {
    const warehouse = fakeWarehouse((load) =>
      load.table.table === 'x_bars' ? ['row 3: "many" is not a FLOAT64'] : [],
    );
    const job = await loadJobTables(deps(warehouse), JOB_ID);
    expect(job).toMatchObject({ status: 'failed', stages: { load: 'failed' } });
    expect(job.errorMessage).toBe('Loading into racing failed for bars; see _LOAD_ERRORS.json');
    expect((await loadErrors()).tables).toEqual([
      expect.objectContaining({ product: 'runners', state: 'loaded', errors: [] }),
      expect.objectContaining({
        product: 'bars',
        state: 'failed',
        errors: ['row 3: "many" is not a FLOAT64'],
      }),
    ]);
  });

  it('records a refusal as that product’s error, but throws an outage for the workflow to retry', async () => {
    const refused = fakeWarehouse(
      () => new AppError('WAREHOUSE.FAILED', 'invalid', 'BigQuery answered 403: Access Denied'),
    );
    const job = await loadJobTables(deps(refused), JOB_ID);
    expect(job.load?.tables.map((t) => t.errors)).toEqual([
      ['BigQuery answered 403: Access Denied'],
      ['BigQuery answered 403: Access Denied'],
    ]);

    jobs = new OneJobStore(awaitingLoad());
    const down = fakeWarehouse(
      () => new AppError('WAREHOUSE.UNAVAILABLE', 'unavailable', 'BigQuery: socket hang up'),
    );
    await expect(loadJobTables(deps(down), JOB_ID)).rejects.toMatchObject({
      code: 'WAREHOUSE.UNAVAILABLE',
    });
    expect(jobs.job).toMatchObject({ status: 'running', stages: { load: 'in_progress' } });
  });

  it('answers an ended job as it is, and refuses one not yet finalized', async () => {
    const warehouse = fakeWarehouse(() => []);
    const done = await loadJobTables(deps(warehouse), JOB_ID);
    expect(await loadJobTables(deps(warehouse), JOB_ID)).toEqual(done);
    expect(warehouse.loads).toHaveLength(2);

    jobs = new OneJobStore({ ...awaitingLoad(), stages: { ...allStages(), load: 'waiting' } });
    await expect(loadJobTables(deps(warehouse), JOB_ID)).rejects.toMatchObject({
      code: 'JOB.NOT_COMPLETE',
    });
  });
});
