import {
  generateSampleData,
  type ManifestEntry,
  type GenerateOptionsInput,
} from '../../shared/local/generator/generate.js';
import type { ObjectStore } from '../../shared/platform/ports/object-store.js';
import { bzip2Dc } from './bzip2.js';
import { referenceLines } from './reference-lines.js';
import { readAll } from './temp-store.js';

/** The bucket the generated Betfair files are written to. */
export const SOURCE_BUCKET = 'betfair-historic';

/**
 * A submit body over the generated April of PRO/2022 in SOURCE_BUCKET into `targetBucket`
 * (created), with `extra` fields on top.
 */
export function aprilJob(
  targetBucket: string,
  extra: Record<string, unknown> = {},
): Record<string, unknown> {
  return {
    sourceBucket: SOURCE_BUCKET,
    sourceDataset: 'PRO/2022',
    selectedPaths: ['Apr'],
    targetBucket,
    createNewBucket: true,
    ...extra,
  };
}

/** Defects a job cannot decode: those files fail, every other input ends up in the shards. */
export const FAILING_DEFECTS = ['corrupt-bz2', 'truncated-bz2', 'not-bz2'];

/** True for an input the job is expected to fail. */
export const failsInJob = (file: ManifestEntry): boolean =>
  FAILING_DEFECTS.includes(file.defect?.kind ?? '');

/** A job's input: normal days generated with `normal`, plus one malformed day (2022-04-20). */
export async function generateJobInput(
  store: ObjectStore,
  bucket: string,
  normal: GenerateOptionsInput,
  malformedSeed: number,
): Promise<ManifestEntry[]> {
  const normalDays = await generateSampleData(store, bucket, { mode: 'normal', ...normal });
  const malformed = await generateSampleData(store, bucket, {
    mode: 'malformed',
    seed: malformedSeed,
    date: '2022-04-20',
  });
  return [...normalDays.files, ...malformed.files];
}

/** What a job's shards hold together: the good inputs, decompressed by the reference rules, in path order. */
export async function expectedConcatenation(
  store: ObjectStore,
  bucket: string,
  files: ManifestEntry[],
): Promise<Buffer> {
  const good = files
    .filter((f) => !failsInJob(f))
    .sort((a, b) => (a.objectName < b.objectName ? -1 : 1));
  return Buffer.concat(
    await Promise.all(
      good.map(async (f) =>
        referenceLines(bzip2Dc(await readAll(await store.read(bucket, f.objectName)))),
      ),
    ),
  );
}
