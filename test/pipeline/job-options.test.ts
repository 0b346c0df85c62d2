import { describe, expect, it } from 'vitest';
import { jobOptionsDescription } from '../../shared/pipeline/job-options.js';
import { submitRequestSchema } from '../../shared/pipeline/submit.js';

const base = { sourceBucket: 'source', selectedPaths: [''], targetBucket: 'target' };
const accepted = (request: Record<string, unknown>) =>
  submitRequestSchema.safeParse({ ...base, ...request }).success;

describe('GET /api/pipeline/options', () => {
  const options = jobOptionsDescription();

  it('describes every field the submit request has', () => {
    expect(Object.keys(options.fields).sort()).toEqual(
      Object.keys(submitRequestSchema.shape).sort(),
    );
    expect(Object.keys(options.fields.filters?.properties ?? {})).toContain('marketTypes');
  });

  it('offers only values the submit request accepts, each with the fields of its process type', () => {
    for (const processType of options.processTypes) expect(accepted({ processType })).toBe(true);
    for (const compression of options.compressions) expect(accepted({ compression })).toBe(true);
    for (const invalidLines of options.invalidLines) expect(accepted({ invalidLines })).toBe(true);
    for (const [processType, fields] of Object.entries(options.fieldsByProcessType)) {
      expect(fields).toContain('products');
      expect(
        accepted({
          processType,
          ...options.defaults,
          products: options.products,
          format: options.formats.at(-1),
          ...(fields.includes('warehouse') ? { warehouse: { tablePrefix: 'day_' } } : {}),
        }),
      ).toBe(true);
    }
    expect(options.fieldsByProcessType.direct_to_bigquery).toContain('warehouse');
    expect(accepted({ warehouse: { tablePrefix: 'day_' } })).toBe(false);
  });

  it('leaves out values the schema names but the API refuses', () => {
    const named = (options.fields.processType?.enum ?? []) as string[];
    for (const type of named.filter((t) => !options.processTypes.includes(t))) {
      expect(accepted({ processType: type })).toBe(false);
    }
  });
});
