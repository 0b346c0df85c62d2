import { z } from 'zod';
import {
  INVALID_LINE_POLICIES,
  OUTPUT_COMPRESSIONS,
  PROCESS_TYPES,
  SUPPORTED_OUTPUT_COMPRESSIONS,
  SUPPORTED_PROCESS_TYPES,
} from './job-model.js';

/** Accepts every value the predecessor knew, and refuses the ones not built yet by name. */
function supported<Known extends string, Ok extends Known>(
  known: readonly [Known, ...Known[]],
  ok: readonly Ok[],
  field: string,
) {
  return z
    .enum(known)
    .refine((value): value is Ok => (ok as readonly string[]).includes(value), {
      message: `${field} is not supported yet; supported: ${ok.join(', ')}`,
    })
    .transform((value) => value);
}

/**
 * `POST /api/pipeline/submit`, in the predecessor's field names. Dataflow-era fields are
 * accepted and mapped: `dataflowMaxWorkers` bounds the files decompressed at once,
 * `dataflowTimeoutHours` the workflow's run time; region and worker type are recorded only.
 */
export const submitRequestSchema = z.object({
  sourceType: z.string().min(1).default('betfair'),
  sourceProject: z.string().optional(),
  sourceBucket: z.string().min(3).max(222),
  sourceDataset: z.string().max(512).default(''),
  selectedPaths: z.array(z.string().max(1024)).min(1, 'select at least one path').max(10_000),
  processType: supported(PROCESS_TYPES, SUPPORTED_PROCESS_TYPES, 'processType').default(
    'decompress_and_concatenate',
  ),
  outputShards: z.coerce.number().int().min(1).max(1000).default(10),
  compression: supported(OUTPUT_COMPRESSIONS, SUPPORTED_OUTPUT_COMPRESSIONS, 'compression').default(
    'none',
  ),
  targetBucket: z.string().min(3).max(222),
  outputPrefix: z.string().max(512).default('output/'),
  createNewBucket: z.boolean().default(false),
  storageClass: z.enum(['STANDARD', 'NEARLINE', 'COLDLINE', 'ARCHIVE']).default('STANDARD'),
  location: z.string().default('EU'),
  retention: z.union([z.number(), z.string(), z.null()]).optional(),
  dataflowRegion: z.string().optional(),
  dataflowWorkerType: z.string().optional(),
  dataflowMaxWorkers: z
    .union([z.literal('AUTO'), z.coerce.number().int().min(1).max(10_000)])
    .default('AUTO'),
  dataflowTimeoutHours: z.coerce
    .number()
    .positive()
    .max(24 * 30)
    .default(24),
  invalidLines: z.enum(INVALID_LINE_POLICIES).default('quarantine'),
  skipProcessed: z.boolean().default(false),
});

export type SubmitRequest = z.output<typeof submitRequestSchema>;
export type SubmitRequestInput = z.input<typeof submitRequestSchema>;
