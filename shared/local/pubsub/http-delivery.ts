import { randomUUID } from 'node:crypto';

/**
 * A CloudEvent in structured JSON mode (CloudEvents 1.0), as Eventarc posts it with
 * `content-type: application/cloudevents+json`. Extension attributes sit beside the
 * required ones, as the spec's JSON format puts them.
 */
export interface CloudEvent<T = unknown> {
  specversion: '1.0';
  id: string;
  source: string;
  type: string;
  time: string;
  datacontenttype: string;
  subject?: string;
  dataschema?: string;
  data: T;
  [extension: string]: unknown;
}

/** The content type of a structured-mode CloudEvent request. */
export const CLOUD_EVENT_CONTENT_TYPE = 'application/cloudevents+json';

/** A fresh, globally unique event id. */
export function newEventId(): string {
  return randomUUID();
}

/** How one delivery attempt ended; `error` says why it failed, for the dead-letter list. */
export type SendOutcome =
  { ok: true; status: number } | { ok: false; status?: number; error: string };

/** Sends one event to a subscriber within `timeoutMs`, or until `signal` aborts; never throws. */
export type SendEvent = (
  url: string,
  event: CloudEvent,
  timeoutMs: number,
  signal?: AbortSignal,
) => Promise<SendOutcome>;

/**
 * POSTs a structured CloudEvent, the way Eventarc pushes to a function, with `headers` added
 * (the runtime's per-run token). Any 2xx is an acknowledgement; another status, a connection
 * error, the deadline passing or `signal` aborting is a failure.
 */
export function cloudEventSender(headers: Record<string, string> = {}): SendEvent {
  return async (url, event, timeoutMs, signal) => {
    try {
      const response = await fetch(url, {
        method: 'POST',
        headers: { ...headers, 'content-type': CLOUD_EVENT_CONTENT_TYPE },
        body: JSON.stringify(event),
        signal: signal
          ? AbortSignal.any([signal, AbortSignal.timeout(timeoutMs)])
          : AbortSignal.timeout(timeoutMs),
      });
      // Reading the body frees the connection for the next delivery.
      await response.arrayBuffer();
      if (response.ok) return { ok: true, status: response.status };
      return { ok: false, status: response.status, error: `HTTP ${response.status}` };
    } catch (error) {
      return { ok: false, error: describeFailure(error, timeoutMs, signal) };
    }
  };
}

/** POSTs a CloudEvent with no extra headers. */
export const postCloudEvent: SendEvent = cloudEventSender();

function describeFailure(error: unknown, timeoutMs: number, signal?: AbortSignal): string {
  if (signal?.aborted) return 'abandoned: the runtime stopped before the subscriber answered';
  if (error instanceof Error && error.name === 'TimeoutError') {
    return `no acknowledgement within the ${timeoutMs} ms deadline`;
  }
  const cause = error instanceof Error ? (error.cause as { code?: string } | undefined) : undefined;
  const detail = error instanceof Error ? error.message : String(error);
  return cause?.code ? `connection failed: ${cause.code}` : `request failed: ${detail}`;
}
