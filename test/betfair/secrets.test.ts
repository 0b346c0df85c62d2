import { describe, expect, it } from 'vitest';
import { BetfairClient } from '../../shared/betfair/client.js';
import type { FetchLike } from '../../shared/betfair/transport.js';
import { createLogger } from '../../shared/platform/logging.js';
import { APP_KEY, SESSION_TOKEN, harness } from './client-fixture.js';
import { apingError, rpcError, startFakeBetfair, type Reply } from './fake-betfair-server.js';

const ECHO = `key=${APP_KEY} session=${SESSION_TOKEN}`;

/** Everything an error shows: its JSON, message, cause, stack and every own property. */
function exposure(error: unknown): string {
  const record = error as Error;
  const own = Object.getOwnPropertyNames(error).map((name) => {
    return String((error as Record<string, unknown>)[name]);
  });
  return [JSON.stringify(error), record.message, String(record.cause), record.stack, ...own].join(
    '\n',
  );
}

function expectNoSecrets(text: string): void {
  expect(text).not.toContain(APP_KEY);
  expect(text).not.toContain(SESSION_TOKEN);
}

describe('secrets never leak', () => {
  it.each<[string, Reply]>([
    ['an APINGException echoing them', apingError('INVALID_SESSION_INFORMATION', 1, ECHO)],
    ['a transient APINGException echoing them', apingError('SERVICE_BUSY', 1, ECHO)],
    ['a JSON-RPC error echoing them', rpcError(-32602, ECHO)],
    ['an HTML 500 page echoing them', { status: 500, text: `<pre>${ECHO}</pre>` }],
    ['a 401 JSON body echoing them', { status: 401, json: { detail: ECHO } }],
    ['a result of the wrong shape', { json: { jsonrpc: '2.0', result: [{ status: ECHO }] } }],
    ['a timeout', { delayMs: 300 }],
    ['a dropped connection', { hangUp: true }],
  ])('in %s', async (_name, reply) => {
    const { client, logs } = await harness(() => reply, { timeoutMs: 100, retries: 1 });
    const error = await client.listMarketBook(['1.2']).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(Error);
    expectNoSecrets(exposure(error));
    expectNoSecrets(logs.join('\n'));
  });

  it.each<[string, unknown]>([
    [
      'a FAIL naming the token and app key',
      { token: SESSION_TOKEN, product: APP_KEY, status: 'FAIL', error: ECHO },
    ],
    ['an unreadable answer', { token: SESSION_TOKEN, product: APP_KEY, status: 'MAYBE' }],
  ])('in keepAlive %s', async (_name, json) => {
    const { client, logs } = await harness(() => ({ json }), { retries: 1 });
    const error = await client.keepAlive().catch((caught: unknown) => caught);
    expectNoSecrets(exposure(error));
    expectNoSecrets(logs.join('\n'));
  });

  it('when Betfair cannot be reached at all', async () => {
    const server = await startFakeBetfair(() => ({}));
    await server.close();
    const logs: string[] = [];
    const client = new BetfairClient({
      appKey: APP_KEY,
      sessionToken: SESSION_TOKEN,
      endpoint: server.url,
      retries: 1,
      retryMinTimeoutMs: 1,
      logger: createLogger({ minSeverity: 'DEBUG', write: (line) => logs.push(line) }),
    });
    const error = await client.listMarketBook(['1.2']).catch((caught: unknown) => caught);
    expect(error).toMatchObject({ code: 'BETFAIR.TRANSIENT', betfairCode: 'NETWORK' });
    expect(String((error as Error).cause)).toMatch(/ECONNREFUSED/);
    expectNoSecrets(exposure(error));
    expectNoSecrets(logs.join('\n'));
  });

  it('when an injected fetch throws an error holding the request', async () => {
    const leaky: FetchLike = (url, init) => {
      const error = Object.assign(new Error(`refused ${ECHO}`), {
        request: { url, headers: init.headers },
        cause: new Error(`socket for ${APP_KEY}`),
      });
      return Promise.reject(error);
    };
    const client = new BetfairClient({
      appKey: APP_KEY,
      sessionToken: SESSION_TOKEN,
      fetch: leaky,
      retries: 0,
    });
    const error = await client.listMarketBook(['1.2']).catch((caught: unknown) => caught);
    expect(error).toMatchObject({ code: 'BETFAIR.TRANSIENT' });
    expectNoSecrets(exposure(error));
    expect(String((error as Error).cause)).toContain('[redacted]');
  });
});
