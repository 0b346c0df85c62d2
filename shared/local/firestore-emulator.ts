import net from 'node:net';
import { FirestoreServer } from '@firestore-emulator/server';

/** An embedded Firestore emulator, reachable by the real client at `host`. State is in memory. */
export interface EmbeddedFirestore {
  server: FirestoreServer;
  /** `127.0.0.1:<port>`, the value for FIRESTORE_EMULATOR_HOST. */
  host: string;
  stop(): Promise<void>;
}

/** Starts the emulator in this process on `port` (0 picks a free one). */
export async function startFirestoreEmulator(port = 0): Promise<EmbeddedFirestore> {
  const chosen = port === 0 ? await freePort() : port;
  const server = new FirestoreServer();
  await server.start(chosen);
  return {
    server,
    host: `127.0.0.1:${chosen}`,
    stop: () => Promise.resolve(server.stop()),
  };
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
