import { z } from 'zod';
import { AppError } from '../../platform/errors.js';
import { parseEvent } from '../../platform/events.js';
import {
  FILE_STATES,
  JOBS_COLLECTION,
  ORDERS_SUBCOLLECTION,
  type RecordedOutcome,
} from '../job-model.js';

/** A plain value decoded from Firestore's REST `Value` JSON. */
export type DecodedValue =
  string | number | boolean | null | Date | DecodedValue[] | { [field: string]: DecodedValue };

const INTEGER = /^-?\d+$/;
const RFC3339 = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{1,9})?(Z|[+-]\d\d:\d\d)$/;

/** An RFC 3339 timestamp as proto3 JSON writes it, to millisecond precision. */
export const rfc3339 = z
  .string()
  .regex(RFC3339, 'not an RFC 3339 timestamp')
  .transform((text) => new Date(text));

// proto3 JSON writes NaN and the infinities of a double as strings.
const double = z.union([z.number(), z.enum(['NaN', 'Infinity', '-Infinity']).transform(Number)]);

/** The kinds of a Firestore REST `Value`: exactly one is present. */
const valueKinds = z.lazy(() =>
  z.strictObject({
    stringValue: z.string().optional(),
    integerValue: z.union([z.string().regex(INTEGER), z.number().int()]).optional(),
    doubleValue: double.optional(),
    booleanValue: z.boolean().optional(),
    nullValue: z.union([z.null(), z.literal('NULL_VALUE')]).optional(),
    timestampValue: rfc3339.optional(),
    bytesValue: z.string().optional(),
    referenceValue: z.string().optional(),
    geoPointValue: z.object({ latitude: z.number(), longitude: z.number() }).optional(),
    mapValue: z.object({ fields: restFields.optional() }).optional(),
    arrayValue: z.object({ values: z.array(restValue).optional() }).optional(),
  }),
);

/**
 * Firestore's REST/proto3 JSON `Value` (`{integerValue: "5"}`, `{mapValue: {fields: …}}`)
 * decoded to plain values: integers (strings in JSON) become numbers, timestamps Dates, maps
 * objects. Bytes, references and geo points keep their JSON form; nothing here reads them.
 * One object schema with every kind optional, not a union tried kind by kind: a status event
 * decodes a few dozen values, and a union's failed attempts cost more than the decoding.
 */
export const restValue: z.ZodType<DecodedValue> = valueKinds
  .refine((value) => Object.keys(value).length === 1, 'must hold exactly one value kind')
  .transform((value): DecodedValue => {
    if (value.mapValue) return value.mapValue.fields ?? {};
    if (value.arrayValue) return value.arrayValue.values ?? [];
    if (value.integerValue !== undefined) return Number(value.integerValue);
    if ('nullValue' in value) return null;
    const [only] = Object.values(value) as DecodedValue[];
    return only!;
  });

/** A document's or map's `fields`, decoded field by field. */
export const restFields: z.ZodType<Record<string, DecodedValue>> = z.lazy(() =>
  z.record(z.string(), restValue),
);

/** One committed write of `dataflow-jobs/{jobId}/orders/{orderId}` (an OrderNotice). */
export interface OrderChange {
  jobId: string;
  orderId: string;
  /** The files this commit recorded terminal; none for a deletion. */
  recorded: RecordedOutcome[];
  /** The commit time of the change (the document's `updateTime`), server clock. */
  changedAt: Date;
}

const documentJson = z.object({
  name: z.string(),
  // Decoded in `recordedIn`, only the field read.
  fields: z.record(z.string(), z.unknown()).optional(),
  updateTime: rfc3339,
});

const eventData = z.object({ value: documentJson.optional(), oldValue: documentJson.optional() });

const noticeFields = z.object({
  recorded: z.array(
    z.object({
      fileId: z.string().min(1),
      state: z.enum(FILE_STATES),
      source: z.string(),
      error: z.object({ code: z.string(), message: z.string() }).optional(),
    }),
  ),
});

const ORDER_DOCUMENT = new RegExp(
  `^projects/[^/]+/databases/[^/]+/documents/${JOBS_COLLECTION}/([^/]+)/${ORDERS_SUBCOLLECTION}/([^/]+)$`,
);

/**
 * Decodes the JSON data of a `google.cloud.firestore.document.v1.written` event for a work
 * order's notice. Anything else is a permanent EVENT.INVALID: no retry can fix it.
 */
export function parseOrderChange(data: unknown): OrderChange {
  const { value, oldValue } = parseEvent(eventData, data, 'Firestore event');
  const document = value ?? oldValue;
  if (!document) throw invalid('Firestore event has neither value nor oldValue');
  const path = ORDER_DOCUMENT.exec(document.name);
  if (!path) throw invalid(`Not a work order notice: ${document.name}`);
  return {
    jobId: path[1]!,
    orderId: path[2]!,
    recorded: value ? recordedIn(value.fields) : [],
    changedAt: document.updateTime,
  };
}

function recordedIn(fields: Record<string, unknown> | undefined): RecordedOutcome[] {
  const decoded = parseEvent(restFields, { recorded: fields?.recorded }, 'value');
  return parseEvent(noticeFields, decoded, 'value').recorded;
}

function invalid(message: string): AppError {
  return new AppError('EVENT.INVALID', 'invalid', message);
}
