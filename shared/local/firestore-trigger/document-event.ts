import type { FirestoreStateDocument } from '@firestore-emulator/server';
import type { DocumentEventKind } from '../../platform/functions.js';
import type { CloudEvent } from '../pubsub/http-delivery.js';

/** A Firestore value in the REST/proto3 JSON form (`{stringValue: "x"}`, `{integerValue: "5"}`). */
export type FirestoreJsonValue =
  | { stringValue: string }
  | { integerValue: string }
  | { doubleValue: number }
  | { booleanValue: boolean }
  | { nullValue: null }
  | { timestampValue: string }
  | { bytesValue: string }
  | { referenceValue: string }
  | { geoPointValue: { latitude: number; longitude: number } }
  | { arrayValue: { values: FirestoreJsonValue[] } }
  | { mapValue: { fields: Record<string, FirestoreJsonValue> } };

/** A document as Firestore's REST API and JSON-encoded Eventarc events show it. */
export interface FirestoreJsonDocument {
  name: string;
  fields: Record<string, FirestoreJsonValue>;
  createTime: string;
  updateTime: string;
}

/** The emulator's protobuf `toObject()` form: snake_case keys, one set per value. */
type ProtoValue = Record<string, unknown>;
interface ProtoTimestamp {
  seconds: number;
  nanos: number;
}

/** Snapshots an existing emulator document as JSON; call it only while the document exists. */
export function toJsonDocument(document: FirestoreStateDocument): FirestoreJsonDocument {
  const proto = document.toV1DocumentObject() as {
    name: string;
    fields: Record<string, ProtoValue>;
    create_time: ProtoTimestamp;
    update_time: ProtoTimestamp;
  };
  return {
    name: proto.name,
    fields: convertFields(proto.fields),
    createTime: toRfc3339(proto.create_time),
    updateTime: toRfc3339(proto.update_time),
  };
}

function convertFields(fields: Record<string, ProtoValue>): Record<string, FirestoreJsonValue> {
  return Object.fromEntries(
    Object.entries(fields).map(([key, value]) => [key, toJsonValue(value)]),
  );
}

function toJsonValue(value: ProtoValue): FirestoreJsonValue {
  if ('string_value' in value) return { stringValue: value.string_value as string };
  if ('integer_value' in value) return { integerValue: String(value.integer_value) };
  if ('double_value' in value) return { doubleValue: value.double_value as number };
  if ('boolean_value' in value) return { booleanValue: value.boolean_value as boolean };
  if ('null_value' in value) return { nullValue: null };
  if ('timestamp_value' in value) {
    return { timestampValue: toRfc3339(value.timestamp_value as ProtoTimestamp) };
  }
  if ('bytes_value' in value) {
    return { bytesValue: Buffer.from(value.bytes_value as Uint8Array).toString('base64') };
  }
  if ('reference_value' in value) return { referenceValue: value.reference_value as string };
  if ('geo_point_value' in value) {
    const { latitude, longitude } = value.geo_point_value as {
      latitude: number;
      longitude: number;
    };
    return { geoPointValue: { latitude, longitude } };
  }
  if ('array_value' in value) {
    const { values } = value.array_value as { values: ProtoValue[] };
    return { arrayValue: { values: values.map(toJsonValue) } };
  }
  if ('map_value' in value) {
    const { fields } = value.map_value as { fields: Record<string, ProtoValue> };
    return { mapValue: { fields: convertFields(fields) } };
  }
  throw new Error(`unsupported Firestore value: ${JSON.stringify(value)}`);
}

/** RFC 3339 in UTC with 0, 3, 6 or 9 fraction digits, as proto3 JSON writes timestamps. */
export function toRfc3339({ seconds, nanos }: ProtoTimestamp): string {
  const whole = new Date(seconds * 1000).toISOString().slice(0, 19);
  if (!nanos) return `${whole}Z`;
  const digits = String(nanos).padStart(9, '0');
  const fraction = digits.endsWith('000000')
    ? digits.slice(0, 3)
    : digits.endsWith('000')
      ? digits.slice(0, 6)
      : digits;
  return `${whole}.${fraction}Z`;
}

/** `DocumentEventData` as delivered with `application/json` data content type. */
export interface DocumentEventData {
  value?: FirestoreJsonDocument;
  oldValue?: FirestoreJsonDocument;
  updateMask?: { fieldPaths: string[] };
}

/** One committed change to one document; `before`/`after` are absent when it did not exist. */
export interface DocumentChange {
  id: string;
  /** Relative to the database's documents: `dataflow-jobs/j1/files/f1`. */
  documentPath: string;
  before?: FirestoreJsonDocument;
  after?: FirestoreJsonDocument;
  time: string;
}

/** The database that events come from. */
export interface DatabaseRef {
  projectId: string;
  database: string;
  location: string;
}

/** Whether a change created, updated or deleted its document. */
export function kindOf(change: DocumentChange): Exclude<DocumentEventKind, 'written'> {
  if (!change.before) return 'created';
  return change.after ? 'updated' : 'deleted';
}

/** The CloudEvent Eventarc delivers for a document change, with its extension attributes. */
export function documentEvent(
  kind: DocumentEventKind,
  database: DatabaseRef,
  change: DocumentChange,
): CloudEvent<DocumentEventData> {
  return {
    specversion: '1.0',
    id: change.id,
    source: `//firestore.googleapis.com/projects/${database.projectId}/databases/${database.database}`,
    type: `google.cloud.firestore.document.v1.${kind}`,
    subject: `documents/${change.documentPath}`,
    time: change.time,
    datacontenttype: 'application/json',
    location: database.location,
    project: database.projectId,
    database: database.database,
    namespace: '(default)',
    document: change.documentPath,
    data: eventData(change),
  };
}

function eventData({ before, after }: DocumentChange): DocumentEventData {
  return {
    ...(after ? { value: after } : {}),
    ...(before ? { oldValue: before } : {}),
    ...(before && after ? { updateMask: { fieldPaths: changedFields(before, after) } } : {}),
  };
}

/** Top-level fields added, removed or changed; the emulator does not report finer masks. */
function changedFields(before: FirestoreJsonDocument, after: FirestoreJsonDocument): string[] {
  const keys = new Set([...Object.keys(before.fields), ...Object.keys(after.fields)]);
  return [...keys]
    .filter((key) => JSON.stringify(before.fields[key]) !== JSON.stringify(after.fields[key]))
    .sort();
}
