import net from 'node:net';
import { FirestoreServer } from '@firestore-emulator/server';

/** An embedded Firestore emulator, reachable by the real client at `host`. State is in memory. */
export interface EmbeddedFirestore {
  server: FirestoreServer;
  /** `127.0.0.1:<port>`, the value for FIRESTORE_EMULATOR_HOST. */
  host: string;
  stop(): Promise<void>;
}

/** The address the emulator listens on: this machine only. */
const LOOPBACK = '127.0.0.1';

/**
 * Starts the emulator in this process on `port` (0 picks a free one), listening on loopback
 * only: its documents are readable and writable by anyone who reaches the port.
 */
export async function startFirestoreEmulator(port = 0): Promise<EmbeddedFirestore> {
  const chosen = port === 0 ? await freePort() : port;
  const server = new FirestoreServer();
  bindToLoopback(server);
  await server.start(chosen);
  return {
    server,
    host: `${LOOPBACK}:${chosen}`,
    stop: () => Promise.resolve(server.stop()),
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
