import type { CloudEvent } from '../delivery/cloud-event.js';
import type { FirestoreJsonDocument } from './document-json.js';

/** Firestore's Eventarc event kinds; `written` covers the other three. */
export const DOCUMENT_EVENT_KINDS = ['written', 'created', 'updated', 'deleted'] as const;
export type DocumentEventKind = (typeof DOCUMENT_EVENT_KINDS)[number];

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
