import { createReadStream, readFileSync } from 'node:fs';
import { relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeBzip2 } from '../../../shared/engine/bz2/decode-bzip2.js';
import {
  createBzip2WorkerPool,
  type Bzip2WorkerPool,
} from '../../../shared/engine/bz2/worker-pool.js';
import { BZIP2_MISSING, bzip2Dc, hasBzip2 } from '../../support/bzip2.js';
import {
  HISTORIC_SAMPLES_DIR,
  describeWithSamples,
  historicSampleFiles,
} from '../../support/sample-data.js';
import { collect } from './bz2-helpers.js';

const samples = historicSampleFiles();

describeWithSamples(`real Betfair files in ${HISTORIC_SAMPLES_DIR}`, () => {
  it('finds the samples', () => {
    expect(samples.length).toBeGreaterThan(0);
  });

  describe.skipIf(!hasBzip2)(`decoding${hasBzip2 ? '' : ` (${BZIP2_MISSING})`}`, () => {
    let pool: Bzip2WorkerPool;
    beforeAll(() => {
      pool = createBzip2WorkerPool(2);
    });
    afterAll(() => pool.close());

    it.each(samples.map((path) => [relative(HISTORIC_SAMPLES_DIR, path), path]))(
      '%s decodes to exactly what bzip2 -dc gives',
      async (_, path) => {
        const expected = bzip2Dc(readFileSync(path));
        for (const workers of [undefined, pool]) {
          const out = await collect(decodeBzip2(createReadStream(path), { workers }));
          expect(out.length).toBe(expected.length);
          expect(out.equals(expected)).toBe(true);
        }
      },
    );
  });
});
