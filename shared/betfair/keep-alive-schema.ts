import { z } from 'zod';

/** Outcomes of the identity service's keepAlive. */
export const KEEP_ALIVE_STATUSES = ['SUCCESS', 'FAIL'] as const;

/** The keepAlive answer: `token` is the session kept alive, `product` the app key. */
export const KeepAliveResponseSchema = z.looseObject({
  token: z.string(),
  product: z.string(),
  status: z.enum(KEEP_ALIVE_STATUSES),
  error: z.string(),
});
export type KeepAliveResponse = z.infer<typeof KeepAliveResponseSchema>;
