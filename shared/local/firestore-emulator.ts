import net from 'node:net';
import path from 'node:path';
import { FirestoreServer, type FirestoreStateDocument } from '@firestore-emulator/server';
import type { Logger } from '../platform/logging.js';
import type { FirestoreJournal } from './firestore-journal.js';
import { persistFirestore } from './firestore-persistence.js';
import {
  enforceUpdateTimePreconditions,
  lookUpDocumentsInPlace,
} from './firestore-emulator-fixes.js';

/** An embedded Firestore emulator, reachable by the real client at `host`. */
export interface EmbeddedFirestore {
  server: FirestoreServer;
  /** `127.0.0.1:<port>`, the value for FIRESTORE_EMULATOR_HOST. */
  host: string;
  /** The journal keeping the documents, when started with a `dataDir`. */
  journal?: FirestoreJournal;
  /** The documents the journal holds (at start, those it replayed); none when in memory. */
  documents(): FirestoreStateDocument[];
  /** Stops serving; with a journal, waits for it and compacts it into a snapshot. */
  stop(): Promise<void>;
}

export interface FirestoreEmulatorOptions {
  /** 0 or absent picks a free port. */
  port?: number;
  /**
   * The system's data folder. With it, documents are journaled under `<dataDir>/firestore/`
   * and a commit is answered once on disk; they come back after a crash or restart. Without
   * it, state is in memory only.
   */
  dataDir?: string;
  /** The journal's size that starts a compaction (default 64 MiB). */
  compactJournalAfterBytes?: number;
  logger?: Logger;
}

/** The address the emulator listens on: this machine only. */
const LOOPBACK = '127.0.0.1';

/**
 * Starts the emulator in this process, listening on loopback only: its documents are readable
 * and writable by anyone who reaches the port.
 */
export async function startFirestoreEmulator(
  options: FirestoreEmulatorOptions = {},
): Promise<EmbeddedFirestore> {
  const chosen = options.port ? options.port : await freePort();
  lookUpDocumentsInPlace();
  const server = new FirestoreServer();
  bindToLoopback(server);
  const persisted =
    options.dataDir === undefined
      ? undefined
      : await persistFirestore(server, {
          dir: path.join(options.dataDir, 'firestore'),
          compactAfterBytes: options.compactJournalAfterBytes,
          logger: options.logger,
        });
  const journal = persisted?.journal;
  enforceUpdateTimePreconditions(server);
  try {
    await server.start(chosen);
  } catch (error) {
    await journal?.close({ compact: false });
    throw error;
  }
  return {
    server,
    host: `${LOOPBACK}:${chosen}`,
    journal,
    documents: () => persisted?.documents() ?? [],
    stop: async () => {
      server.stop();
      await journal?.close({ compact: true });
    },
  };
}

/** The part of @grpc/grpc-js's Server that FirestoreServer.start calls. */
interface GrpcServer {
  bindAsync(address: string, ...rest: unknown[]): void;
}

/**
 * FirestoreServer.start binds its gRPC server to `0.0.0.0:<port>`, every network interface,
 * and offers no option. Its gRPC server (the `server` field, private only to the type checker)
 * is given a bindAsync that binds the same port on loopback instead; a library version that
 * no longer has the field fails here rather than listening on the network.
 */
function bindToLoopback(emulator: FirestoreServer): void {
  const grpc = (emulator as unknown as { server?: GrpcServer }).server;
  if (typeof grpc?.bindAsync !== 'function') {
    throw new Error('@firestore-emulator/server changed: cannot bind its gRPC server to loopback');
  }
  const bindAsync = grpc.bindAsync.bind(grpc);
  grpc.bindAsync = (address, ...rest) =>
    bindAsync(address.replace(/^0\.0\.0\.0:/, `${LOOPBACK}:`), ...rest);
}

/** Asks the OS for a port nobody listens on. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      probe.close(() =>
        typeof address === 'object' && address
          ? resolve(address.port)
          : reject(new Error('no port')),
      );
    });
  });
}
