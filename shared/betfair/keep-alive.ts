import { betfairError, fromHttpStatus, fromKeepAliveFailure } from './betfair-errors.js';
import { postForJson, type PostSettings } from './http-post.js';
import { KeepAliveResponseSchema, type KeepAliveResponse } from './keep-alive-schema.js';

/** Where and as whom the session is kept alive. */
export interface KeepAliveSettings extends PostSettings {
  identityEndpoint: string;
  appKey: string;
  sessionToken: string;
}

/**
 * Extends the session with the identity service. Resolves with the SUCCESS answer; a FAIL
 * (NO_SESSION, INPUT_VALIDATION_ERROR…) throws BETFAIR.SESSION, INTERNAL_ERROR BETFAIR.TRANSIENT.
 */
export async function keepAlive(settings: KeepAliveSettings): Promise<KeepAliveResponse> {
  const operation = 'keepAlive';
  const response = await postForJson(settings, {
    url: `${settings.identityEndpoint.replace(/\/+$/, '')}/keepAlive`,
    headers: {
      'X-Application': settings.appKey,
      'X-Authentication': settings.sessionToken,
      Accept: 'application/json',
    },
    operation,
  });
  const parsed = KeepAliveResponseSchema.safeParse(response.json);
  if (!parsed.success) {
    if (!response.ok) throw fromHttpStatus(response.status, operation);
    throw betfairError('BETFAIR.BAD_RESPONSE', 'keepAlive answered in an unexpected shape', {
      operation,
    });
  }
  if (parsed.data.status === 'FAIL') throw fromKeepAliveFailure(parsed.data.error);
  return parsed.data;
}
