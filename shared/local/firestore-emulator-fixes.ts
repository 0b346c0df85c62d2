// Where @firestore-emulator/server differs from Firestore in ways the system depends on, the
// embedded emulator is corrected here; each fix fails loudly if the library changed shape.

import { status as GrpcStatus } from '@grpc/grpc-js';
import {
  FirestoreStateCollection,
  FirestoreStateDocument,
  type FirestoreServer,
} from '@firestore-emulator/server';
import { commitHandler } from './firestore-persistence.js';

/** The parts of a v1 Write that an update-time precondition involves. */
interface PreconditionedWrite {
  has_update?: boolean;
  update?: { name: string };
  has_delete?: boolean;
  delete?: string;
  has_current_document?: boolean;
  current_document?: {
    has_update_time?: boolean;
    update_time?: { seconds: number | bigint; nanos: number };
  };
}

interface StoredDocuments {
  getDocument(path: string): { metadata: { hasExist: boolean; updatedAt?: Date } };
}

/**
 * @firestore-emulator/server honours `exists` preconditions but ignores `update_time` ones
 * (`update(…, { lastUpdateTime })`), which Firestore refuses with FAILED_PRECONDITION when the
 * document changed since. The file-status store relies on them to finish a file in one commit,
 * so the embedded emulator checks every write of a commit before any is applied, as Firestore
 * does, and answers the commit with FAILED_PRECONDITION naming the document. Install it after
 * persistFirestore: it only refuses, so replaying the journal never needs it.
 */
export function enforceUpdateTimePreconditions(server: FirestoreServer): void {
  const commit = commitHandler(server);
  const documents = server.state as unknown as StoredDocuments;
  const handleCommit = commit.func;
  commit.func = (call, callback) => {
    const { writes } = call.request as { writes: PreconditionedWrite[] };
    const stale = writes.find((write) => !updateTimeHolds(documents, write));
    if (stale) {
      callback({
        code: GrpcStatus.FAILED_PRECONDITION,
        details: `${nameOf(stale) ?? 'a document'} changed since the update time this write expects`,
      });
      return;
    }
    handleCommit(call, callback);
  };
}

function nameOf(write: PreconditionedWrite): string | undefined {
  return write.has_update ? write.update?.name : write.has_delete ? write.delete : undefined;
}

function updateTimeHolds(documents: StoredDocuments, write: PreconditionedWrite): boolean {
  const expected = write.has_current_document
    ? write.current_document?.has_update_time
      ? write.current_document.update_time
      : undefined
    : undefined;
  if (!expected) return true;
  const name = nameOf(write);
  if (name === undefined) return false;
  const stored = documents.getDocument(name).metadata;
  const wanted = Number(expected.seconds) * 1000 + Math.floor(expected.nanos / 1e6);
  return stored.hasExist && stored.updatedAt?.getTime() === wanted;
}

/** The fields of the library's collection that its document lookup uses. */
interface CollectionInternals {
  emitter: unknown;
  database: unknown;
  documents: Record<string, FirestoreStateDocument>;
}

type DocumentConstructor = new (
  emitter: unknown,
  database: unknown,
  parent: unknown,
  name: string,
  fields: object,
  collections: object,
) => FirestoreStateDocument;

let lookupFixed = false;

/**
 * The library finds (or adds) a collection's document through immer's `produce` over the
 * collection's whole record of documents, so adding one copies all the others: a job's 1 000
 * file documents cost a million copies, and replaying a journal grows quadratically. Documents
 * are looked up and added in place instead, once per process for every emulator; the record
 * keeps the same documents. An id such as `constructor` is also no longer mistaken for one.
 */
export function lookUpDocumentsInPlace(): void {
  if (lookupFixed) return;
  const prototype = FirestoreStateCollection.prototype as unknown as {
    getDocument(this: CollectionInternals, name: string): FirestoreStateDocument;
  };
  if (typeof prototype.getDocument !== 'function') {
    throw new Error("@firestore-emulator/server changed: cannot find a collection's getDocument");
  }
  const Document = FirestoreStateDocument as unknown as DocumentConstructor;
  prototype.getDocument = function (name) {
    if (Object.hasOwn(this.documents, name)) return this.documents[name]!;
    const document = new Document(this.emitter, this.database, this, name, {}, {});
    if (Object.isFrozen(this.documents)) this.documents = { ...this.documents };
    this.documents[name] = document;
    return document;
  };
  lookupFixed = true;
}
