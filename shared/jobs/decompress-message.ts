import { z } from 'zod';
import { parseInput } from '../http/validate.js';
import {
  INVALID_LINE_POLICIES,
  SUPPORTED_OUTPUT_COMPRESSIONS,
  SUPPORTED_PROCESS_TYPES,
} from './job-model.js';

const objectName = z.string().min(1).max(1024);

/** One file's work order, published once per file by the job's workflow. */
export const decompressMessageSchema = z.object({
  jobId: z.string().regex(/^[\w-]{1,64}$/, 'must be a job id'),
  index: z.number().int().min(0),
  source: z.object({
    bucket: z.string().min(3).max(222),
    name: objectName,
    generation: z.string().regex(/^\d+$/, 'must be a generation number'),
  }),
  target: z.object({ bucket: z.string().min(3).max(222), prefix: z.string().max(512) }),
  plugin: z.string().min(1),
  processType: z.enum(SUPPORTED_PROCESS_TYPES).default('decompress_and_concatenate'),
  compression: z.enum(SUPPORTED_OUTPUT_COMPRESSIONS).default('none'),
  invalidLines: z.enum(INVALID_LINE_POLICIES).default('quarantine'),
});

export type DecompressMessage = z.output<typeof decompressMessageSchema>;
export type DecompressMessageInput = z.input<typeof decompressMessageSchema>;

/** Validates a decoded message body; a bad one is DECOMPRESS.BAD_MESSAGE-worthy REQUEST.INVALID. */
export function parseDecompressMessage(body: unknown): DecompressMessage {
  return parseInput(decompressMessageSchema, body, 'decompress message');
}
