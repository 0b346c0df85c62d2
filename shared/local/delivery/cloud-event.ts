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
