import type {
  FirestoreServer,
  FirestoreState,
  FirestoreStateDocument,
} from '@firestore-emulator/server';
import { AppError } from '../platform/errors.js';
import type { Logger } from '../platform/logging.js';
import { FirestoreJournal } from './firestore-journal.js';

/**
 * Keeps an embedded emulator's documents in a FirestoreJournal. Every write reaches the
 * emulator through its Commit RPC (BatchWrite, Write, CreateDocument, UpdateDocument and
 * DeleteDocument are unimplemented in @firestore-emulator/server 0.3.x), and its Commit applies
 * the request's writes to the in-memory state synchronously, one by one with one date, then
 * answers. So one journal record is one commit: the date, the CommitRequest's bytes and how
 * many of its writes reached state.writeV1Document (a commit that fails part way is not rolled
 * back; a check wrapped around writeV1Document may refuse a write before it arrives). The
 * answer is held back until the record is durable. Replay gives those writes to
 * state.writeV1Document again with the same date, stopping at the first that throws, as
 * Commit does: the state, server timestamps and create/update times come back the same.
 * A wrapper installed around writeV1Document before this one also runs at replay; one
 * installed after it does not, which is safe only if its effect is to refuse a write.
 */

/** The grpc-js handler entry FirestoreServer registered for Commit. */
interface GrpcUnaryHandler {
  func: (call: { request: unknown }, callback: UnaryCallback) => void;
  deserialize: (bytes: Buffer) => unknown;
  type: string;
}
type UnaryCallback = (error: unknown, value?: unknown, ...rest: unknown[]) => void;

/** The parts of the emulator's generated messages used here. */
interface CommitRequestMessage {
  writes: WriteMessage[];
  serializeBinary(): Uint8Array;
}
interface CommitRequestClass {
  fromObject(data: { writes: Record<string, never>[] }): CommitRequestMessage;
}
type WriteMessage = Parameters<FirestoreState['writeV1Document']>[1];
type DocumentMessage = ReturnType<FirestoreStateDocument['toV1Document']>;
type DocumentClass = new (data: Pick<DocumentMessage, 'name' | 'fields'>) => DocumentMessage;

const COMMIT_PATH = '/google.firestore.v1.Firestore/Commit';
/** gRPC status INTERNAL: not retried by the client, which would apply the writes twice. */
const GRPC_INTERNAL = 13;
/**
 * A record: the commit's date (float64 ms), how many of its writes reached the state (u32),
 * then the CommitRequest.
 */
const RECORD_HEADER_BYTES = 12;

/** A journaled emulator: its journal, and the documents it holds (replayed ones included). */
export interface PersistedFirestore {
  journal: FirestoreJournal;
  documents(): FirestoreStateDocument[];
}

export interface FirestorePersistenceOptions {
  /** The folder for the snapshot and journal. */
  dir: string;
  compactAfterBytes?: number;
  logger?: Logger;
}

/**
 * Replays `dir` into `server`'s state and journals every commit from now on. Call it before
 * the server starts. Fails if @firestore-emulator/server no longer has the shape relied on.
 */
export async function persistFirestore(
  server: FirestoreServer,
  options: FirestorePersistenceOptions,
): Promise<PersistedFirestore> {
  const commit = commitHandler(server);
  const CommitRequest = commitRequestClass(commit);
  const { state } = server;
  const writeV1Document = state.writeV1Document.bind(state);
  /** Every document name ever written: the snapshot keeps those that exist. */
  const names = new Set<string>();
  /** The commit being applied: writes outside one would not be journaled. */
  let applying: { date?: Date; writes: number } | undefined;

  state.writeV1Document = (date, write) => {
    if (!applying) {
      const error = emulatorChanged('a write reached the state outside Commit');
      options.logger?.error(error.message);
      throw error;
    }
    applying.date = date;
    applying.writes += 1;
    if (write.has_delete) names.add(write.delete);
    else if (write.has_update) names.add(write.update.name);
    return writeV1Document(date, write);
  };

  const applyRecord = (record: Uint8Array) => {
    const bytes = Buffer.from(record.buffer, record.byteOffset, record.byteLength);
    const date = new Date(bytes.readDoubleLE(0));
    const writes = bytes.readUInt32LE(8);
    const request = commit.deserialize(bytes.subarray(RECORD_HEADER_BYTES)) as CommitRequestMessage;
    applying = { writes: 0 };
    try {
      for (const write of request.writes.slice(0, writes)) state.writeV1Document(date, write);
    } catch {
      // Commit stopped at this write and answered with its error: so does the replay.
    } finally {
      applying = undefined;
    }
  };

  const snapshotRecords = () => {
    const records: Uint8Array[] = [];
    for (const name of names) {
      const document = state.getDocument(name);
      if (!document.metadata.hasExist) {
        names.delete(name);
        continue;
      }
      const request = setRequest(CommitRequest, document);
      const { createdAt, updatedAt } = document.metadata;
      const body = request.serializeBinary();
      records.push(commitRecord(createdAt, body, 1));
      // A second set of the same fields moves the update time alone.
      if (updatedAt.getTime() !== createdAt.getTime()) {
        records.push(commitRecord(updatedAt, body, 1));
      }
    }
    return records;
  };

  const journal = await FirestoreJournal.open(options, {
    apply: applyRecord,
    snapshot: snapshotRecords,
  });

  // The bytes each request arrived as, so a record never serializes the request again.
  const received = new WeakMap<object, Uint8Array>();
  const deserialize = commit.deserialize;
  commit.deserialize = (bytes) => {
    const request = deserialize(bytes);
    if (typeof request === 'object' && request !== null) received.set(request, bytes);
    return request;
  };
  const handleCommit = commit.func;
  commit.func = (call, callback) => {
    const applied: { date?: Date; writes: number } = { writes: 0 };
    const answered = new Promise<Parameters<UnaryCallback>>((resolve) => {
      applying = applied;
      try {
        handleCommit(call, (...answer) => resolve(answer));
      } finally {
        applying = undefined;
      }
    });
    const durable =
      applied.date && applied.writes > 0
        ? journal.append(
            commitRecord(
              applied.date,
              received.get(call.request as object) ??
                (call.request as CommitRequestMessage).serializeBinary(),
              applied.writes,
            ),
          )
        : undefined;
    Promise.all([answered, durable]).then(
      ([answer]) => callback(...answer),
      (error: unknown) => {
        const message = error instanceof Error ? error.message : String(error);
        callback({ code: GRPC_INTERNAL, details: message, message, name: 'Error' }, null);
      },
    );
  };
  const documents = () =>
    [...names].map((name) => state.getDocument(name)).filter((d) => d.metadata.hasExist);
  return { journal, documents };
}

/**
 * A commit setting `document`'s fields, built with the emulator's own message classes (their
 * toObject/fromObject lose which member of a Value's oneof is set, so messages are reused).
 */
function setRequest(
  CommitRequest: CommitRequestClass,
  document: FirestoreStateDocument,
): CommitRequestMessage {
  const current = document.toV1Document();
  const Document = current.constructor as DocumentClass;
  const request = CommitRequest.fromObject({ writes: [{}] });
  request.writes[0]!.update = new Document({ name: current.name, fields: current.fields });
  return request;
}

/** A record of `writes` writes of the CommitRequest serialized as `body`, applied at `date`. */
function commitRecord(date: Date, body: Uint8Array, writes: number): Uint8Array {
  const record = Buffer.alloc(RECORD_HEADER_BYTES + body.length);
  record.writeDoubleLE(date.getTime(), 0);
  record.writeUInt32LE(writes, 8);
  record.set(body, RECORD_HEADER_BYTES);
  return record;
}

/**
 * FirestoreServer's gRPC server (the `server` field, private only to the type checker) keeps
 * its handlers in a Map by path; grpc-js looks a handler up there for every call, so replacing
 * the entry's `func` wraps Commit.
 */
export function commitHandler(emulator: FirestoreServer): GrpcUnaryHandler {
  const grpc = (emulator as unknown as { server?: { handlers?: unknown } }).server;
  const handlers = grpc?.handlers;
  const handler: unknown = handlers instanceof Map ? handlers.get(COMMIT_PATH) : undefined;
  if (
    typeof handler !== 'object' ||
    handler === null ||
    !('func' in handler) ||
    typeof handler.func !== 'function' ||
    !('deserialize' in handler) ||
    typeof handler.deserialize !== 'function' ||
    !('type' in handler) ||
    handler.type !== 'unary'
  ) {
    throw emulatorChanged('cannot find its Commit handler');
  }
  return handler as GrpcUnaryHandler;
}

/** The generated CommitRequest class, from an empty message its own deserializer makes. */
function commitRequestClass(commit: GrpcUnaryHandler): CommitRequestClass {
  const empty = commit.deserialize(Buffer.alloc(0));
  const constructor: unknown = (empty as { constructor?: unknown } | null)?.constructor;
  if (
    typeof (empty as Partial<CommitRequestMessage> | null)?.serializeBinary !== 'function' ||
    typeof (constructor as Partial<CommitRequestClass> | undefined)?.fromObject !== 'function'
  ) {
    throw emulatorChanged('its CommitRequest message has another shape');
  }
  return constructor as CommitRequestClass;
}

function emulatorChanged(what: string): AppError {
  return new AppError(
    'FIRESTORE.EMULATOR_CHANGED',
    'internal',
    `@firestore-emulator/server changed: ${what}, so its writes cannot be journaled`,
  );
}
