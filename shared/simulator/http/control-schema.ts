import { z } from 'zod';
import { APING_ERROR_CODES } from '../api/aping-error.js';

const errorCode = z.enum(APING_ERROR_CODES);
const ms = z.number().min(0).max(120_000);

/** Body of POST /simulator/control; every field is optional and only changes what it names. */
export const controlSchema = z.strictObject({
  /** A fixed delay in ms, or a [min, max] range drawn from for each request. */
  latencyMs: z.union([ms, z.tuple([ms, ms])]).optional(),
  /** The next `count` betting calls fail with `errorCode`. */
  failNext: z.object({ count: z.number().int().min(0), errorCode }).optional(),
  /** Each betting call fails with `errorCode` with this probability (0 switches it off). */
  failRate: z.object({ probability: z.number().min(0).max(1), errorCode }).optional(),
  /** Minutes without a keep-alive before a session dies; null for never. */
  sessionTimeoutMinutes: z.number().positive().nullable().optional(),
  /** End one session now, or every session with "ALL". */
  expireSession: z.string().min(1).optional(),
  /** Move simulated time (ISO or epoch ms, optional speed); null follows real time again. */
  clock: z
    .object({ time: z.union([z.string(), z.number()]), speed: z.number().min(0).optional() })
    .nullable()
    .optional(),
  resetStats: z.boolean().optional(),
});

export type ControlRequest = z.output<typeof controlSchema>;
