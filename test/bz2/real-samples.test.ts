import { createReadStream, readFileSync } from 'node:fs';
import { relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createBzip2WorkerPool,
  decodeBzip2,
  type Bzip2WorkerPool,
} from '../../shared/bz2/index.js';
import { bzip2Decompress, collect, hasBzip2, SAMPLES_DIR, sampleFiles } from './bz2-helpers.js';

const samples = sampleFiles();

describe.skipIf(!hasBzip2 || samples.length === 0)(
  `real Betfair files in ${SAMPLES_DIR} (skipped without them or /usr/bin/bzip2)`,
  () => {
    let pool: Bzip2WorkerPool;
    beforeAll(() => {
      pool = createBzip2WorkerPool(2);
    });
    afterAll(() => pool.close());

    it.each(samples.map((path) => [relative(SAMPLES_DIR, path), path]))(
      '%s decodes to exactly what bzip2 -dc gives',
      async (_, path) => {
        const expected = bzip2Decompress(readFileSync(path));
        for (const workers of [undefined, pool]) {
          const out = await collect(decodeBzip2(createReadStream(path), { workers }));
          expect(out.length).toBe(expected.length);
          expect(out.equals(expected)).toBe(true);
        }
      },
    );
  },
);
