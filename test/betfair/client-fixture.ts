import { afterEach } from 'vitest';
import { BetfairClient, type BetfairClientOptions } from '../../shared/betfair/client.js';
import { createLogger } from '../../shared/platform/logging.js';
import { startFakeBetfair, type FakeBetfair, type Handler } from './fake-betfair-server.js';

export const APP_KEY = 'appkey-Zq81xLw0Pq';
export const SESSION_TOKEN = 'ssoid-Hk29fVv7Rt+Xb/Ws3=';

/** A fake Betfair server, a client pointed at it, and the client's captured log lines. */
export interface Harness {
  server: FakeBetfair;
  client: BetfairClient;
  logs: string[];
}

const open: FakeBetfair[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((server) => server.close()));
});

/** Starts a fake server answering through `handler`; closed after each test. */
export async function harness(
  handler: Handler,
  options: Partial<BetfairClientOptions> = {},
): Promise<Harness> {
  const server = await startFakeBetfair(handler);
  open.push(server);
  const logs: string[] = [];
  const client = new BetfairClient({
    appKey: APP_KEY,
    sessionToken: SESSION_TOKEN,
    endpoint: `${server.url}/exchange/betting/json-rpc/v1`,
    identityEndpoint: `${server.url}/api`,
    timeoutMs: 2_000,
    retries: 3,
    retryMinTimeoutMs: 5,
    retryMaxTimeoutMs: 20,
    logger: createLogger({ minSeverity: 'DEBUG', write: (line) => logs.push(line) }),
    ...options,
  });
  return { server, client, logs };
}

/** The JSON-RPC body of a recorded request. */
export function rpcBody(json: unknown): {
  method: string;
  id: number;
  params: Record<string, unknown>;
} {
  return json as { method: string; id: number; params: Record<string, unknown> };
}
