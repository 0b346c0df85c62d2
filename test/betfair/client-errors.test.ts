import { describe, expect, it } from 'vitest';
import { BetfairError } from '../../shared/betfair/errors.js';
import { harness } from './client-fixture.js';
import { apingError, rpcError, rpcResult, type Reply } from './fake-betfair-server.js';
import { book } from './fake-exchange.js';

/** Answers `failures` in turn, then a book. */
function failThenSucceed(...failures: Reply[]): (request: unknown, index: number) => Reply {
  return (_request, index) => failures[index] ?? rpcResult([book('1.2')]);
}

async function failure(promise: Promise<unknown>): Promise<BetfairError> {
  const error = await promise.then(
    () => undefined,
    (reason: unknown) => reason,
  );
  expect(error).toBeInstanceOf(BetfairError);
  return error as BetfairError;
}

describe('BetfairClient retries', () => {
  it.each<[string, Reply]>([
    ['SERVICE_BUSY', apingError('SERVICE_BUSY')],
    ['TIMEOUT_ERROR', apingError('TIMEOUT_ERROR')],
    ['UNEXPECTED_ERROR', apingError('UNEXPECTED_ERROR')],
    ['TOO_MANY_REQUESTS', apingError('TOO_MANY_REQUESTS')],
    ['HTTP 503 page', { status: 503, text: '<html>Service Unavailable</html>' }],
    ['HTTP 500 JSON', { status: 500, json: { message: 'oops' } }],
    ['a dropped connection', { hangUp: true }],
    ['our own timeout', { delayMs: 500, json: { jsonrpc: '2.0', result: [], id: 1 } }],
  ])('retries after %s, then succeeds', async (_name, reply) => {
    const { server, client } = await harness(failThenSucceed(reply, reply), { timeoutMs: 150 });
    const books = await client.listMarketBook(['1.2']);
    expect(books.map((book) => book.marketId)).toEqual(['1.2']);
    expect(server.requests).toHaveLength(3);
  });

  it('gives up after the configured retries with a transient error', async () => {
    const { server, client } = await harness(() => apingError('SERVICE_BUSY'), { retries: 2 });
    const error = await failure(client.listMarketBook(['1.2']));
    expect(error).toMatchObject({
      code: 'BETFAIR.TRANSIENT',
      kind: 'unavailable',
      retryable: true,
    });
    expect(server.requests).toHaveLength(3);
  });
});

describe('BetfairClient errors', () => {
  it.each(['INVALID_SESSION_INFORMATION', 'NO_SESSION', 'INVALID_APP_KEY', 'NO_APP_KEY'])(
    'does not retry %s and says a new session is needed',
    async (errorCode) => {
      const { server, client } = await harness(() => apingError(errorCode));
      const error = await failure(client.listMarketBook(['1.2']));
      expect(error).toMatchObject({
        code: 'BETFAIR.SESSION',
        kind: 'invalid',
        needsNewSession: true,
        betfairCode: errorCode,
        operation: 'listMarketBook',
        requestUUID: 'prdang001-0101-000001',
      });
      expect(error.message).toMatch(/new session/);
      expect(server.requests).toHaveLength(1);
    },
  );

  it.each<[string, Reply, string, string]>([
    ['INVALID_INPUT_DATA', apingError('INVALID_INPUT_DATA'), 'BETFAIR.BAD_REQUEST', 'invalid'],
    ['-32602', rpcError(-32602, 'DSC-0018'), 'BETFAIR.BAD_REQUEST', 'invalid'],
    ['-32601', rpcError(-32601, 'DSC-0021'), 'BETFAIR.BAD_REQUEST', 'invalid'],
    ['-32700', rpcError(-32700, 'DSC-0008'), 'BETFAIR.BAD_REQUEST', 'invalid'],
    ['TOO_MUCH_DATA', apingError('TOO_MUCH_DATA'), 'BETFAIR.TOO_MUCH_DATA', 'internal'],
    ['REQUEST_SIZE', apingError('REQUEST_SIZE_EXCEEDS_LIMIT'), 'BETFAIR.TOO_MUCH_DATA', 'internal'],
    ['ACCESS_DENIED', apingError('ACCESS_DENIED'), 'BETFAIR.ACCESS_DENIED', 'invalid'],
    ['an unknown code', apingError('SOMETHING_NEW'), 'BETFAIR.API_ERROR', 'internal'],
    ['HTTP 400 page', { status: 400, text: 'Bad Request' }, 'BETFAIR.BAD_REQUEST', 'invalid'],
    ['HTTP 403 page', { status: 403, text: 'Forbidden' }, 'BETFAIR.SESSION', 'invalid'],
    ['a wrong shape', rpcResult([{ marketId: 1 }]), 'BETFAIR.BAD_RESPONSE', 'internal'],
  ])('maps %s without retrying', async (_name, reply, code, kind) => {
    const { server, client } = await harness(() => reply);
    const error = await failure(client.listMarketBook(['1.2']));
    expect(error).toMatchObject({ code, kind });
    expect(server.requests).toHaveLength(1);
  });

  it('reads an APINGException inside an array answer', async () => {
    const { client } = await harness(() => {
      const single = apingError('INVALID_SESSION_INFORMATION').json;
      return { json: [single] };
    });
    const error = await failure(client.listMarketBook(['1.2']));
    expect(error.code).toBe('BETFAIR.SESSION');
  });
});
