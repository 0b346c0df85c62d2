import { CLOUD_EVENT_CONTENT_TYPE, type CloudEvent } from './cloud-event.js';

/** How one delivery attempt ended; `error` says why it failed, for the dead-letter list. */
export type SendOutcome =
  { ok: true; status: number } | { ok: false; status?: number; error: string };

/** Sends one event to a subscriber within `timeoutMs`; never throws. */
export type SendEvent = (url: string, event: CloudEvent, timeoutMs: number) => Promise<SendOutcome>;

/**
 * POSTs a structured CloudEvent, the way Eventarc pushes to a function. Any 2xx is an
 * acknowledgement; another status, a connection error or the deadline passing is a failure.
 */
export const postCloudEvent: SendEvent = async (url, event, timeoutMs) => {
  try {
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': CLOUD_EVENT_CONTENT_TYPE },
      body: JSON.stringify(event),
      signal: AbortSignal.timeout(timeoutMs),
    });
    // Reading the body frees the connection for the next delivery.
    await response.arrayBuffer();
    if (response.ok) return { ok: true, status: response.status };
    return { ok: false, status: response.status, error: `HTTP ${response.status}` };
  } catch (error) {
    return { ok: false, error: describeFailure(error, timeoutMs) };
  }
};

function describeFailure(error: unknown, timeoutMs: number): string {
  if (error instanceof Error && error.name === 'TimeoutError') {
    return `no acknowledgement within the ${timeoutMs} ms deadline`;
  }
  const cause = error instanceof Error ? (error.cause as { code?: string } | undefined) : undefined;
  const detail = error instanceof Error ? error.message : String(error);
  return cause?.code ? `connection failed: ${cause.code}` : `request failed: ${detail}`;
}
