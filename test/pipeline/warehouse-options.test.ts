import { describe, expect, it } from 'vitest';
import { warehouseOptions } from '../../shared/pipeline/warehouse-options.js';
import { AppError } from '../../shared/platform/errors.js';

const deployment = { dataset: 'chimera', location: 'EU', datasets: ['chimera', 'research'] };

describe('the warehouse a direct_to_bigquery job loads into', () => {
  it('takes the request’s dataset, location and prefix over the deployment’s defaults', () => {
    expect(warehouseOptions(undefined, deployment)).toEqual({
      dataset: 'chimera',
      location: 'EU',
      tablePrefix: '',
    });
    expect(
      warehouseOptions({ dataset: 'research', location: 'US', tablePrefix: 'x_' }, deployment),
    ).toEqual({ dataset: 'research', location: 'US', tablePrefix: 'x_' });
  });

  it('refuses, before the job runs, a dataset the deployment may not load into, naming those it may', () => {
    const refused = () => warehouseOptions({ dataset: 'elsewhere' }, deployment);
    expect(refused).toThrow(AppError);
    expect(refused).toThrow(/warehouse\.dataset: elsewhere .* use one of chimera, research/);
    try {
      refused();
    } catch (error) {
      expect((error as AppError).code).toBe('REQUEST.INVALID');
    }
  });

  it('takes any dataset where the deployment lists none (locally, DuckDB makes it)', () => {
    const local = { ...deployment, datasets: [] };
    expect(warehouseOptions({ dataset: 'mine' }, local).dataset).toBe('mine');
  });
});
