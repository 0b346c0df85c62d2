import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  startExchangeSimulator,
  type ExchangeSimulator,
} from '../../../shared/local/simulator/server.js';
import { authHeaders, postJson, rpc, rpcErrorCode } from './sim-client.js';

const BOOK = { marketIds: [] };

describe('app keys, sessions and keep-alive', () => {
  let sim: ExchangeSimulator;
  beforeAll(async () => {
    sim = await startExchangeSimulator({
      startTime: '2026-02-13T10:00:00Z',
      appKeys: ['key-a', 'key-b'],
      sessionTimeoutMinutes: 20,
    });
  });
  afterAll(() => sim.close());

  const keepAlive = async (headers: Record<string, string>) =>
    (await postJson(`${sim.identityUrl}/api/keepAlive`, '', headers)).body;

  it.each([
    ['no X-Application', { 'X-Authentication': 'x' }, 'NO_APP_KEY'],
    ['an unknown app key', { 'X-Application': 'nope', 'X-Authentication': 'x' }, 'INVALID_APP_KEY'],
    ['no X-Authentication', { 'X-Application': 'key-b' }, 'NO_SESSION'],
    [
      'an unknown session',
      { 'X-Application': 'key-b', 'X-Authentication': 'forged=' },
      'INVALID_SESSION_INFORMATION',
    ],
  ])('refuses a call with %s as %s', async (_, headers, code) => {
    expect(await rpcErrorCode(sim, 'listMarketBook', BOOK, headers)).toBe(code);
  });

  it('keeps a session alive and answers in Betfair’s keep-alive shape', async () => {
    expect(await keepAlive(authHeaders(sim))).toEqual({
      token: sim.sessionToken,
      product: 'key-a',
      status: 'SUCCESS',
      error: '',
    });
  });

  it.each([
    ['no token', { 'X-Application': 'key-a' }, 'INPUT_VALIDATION_ERROR'],
    ['an unknown token', { 'X-Application': 'key-a', 'X-Authentication': 'forged=' }, 'NO_SESSION'],
  ])('fails keep-alive with %s as %s', async (_, headers, error) => {
    expect(await keepAlive(headers)).toEqual({
      token: '',
      product: 'key-a',
      status: 'FAIL',
      error,
    });
  });

  it('lets a session die after 20 minutes without keep-alive, not while it is kept alive', async () => {
    const token = sim.issueSession();
    const headers = { 'X-Application': 'key-a', 'X-Authentication': token };
    const start = sim.state.clock.now();
    sim.setClock(start + 15 * 60_000);
    expect((await keepAlive(headers)) as object).toMatchObject({ status: 'SUCCESS' });
    sim.setClock(start + 30 * 60_000);
    expect((await rpc(sim, 'listMarketBook', BOOK, headers)).error).toBeUndefined();
    sim.setClock(start + 36 * 60_000);
    expect(await rpcErrorCode(sim, 'listMarketBook', BOOK, headers)).toBe(
      'INVALID_SESSION_INFORMATION',
    );
    expect((await keepAlive(headers)) as object).toMatchObject({
      status: 'FAIL',
      error: 'NO_SESSION',
    });
  });

  it('issues tokens and expires them through the control API', async () => {
    const { status, body } = await postJson(`${sim.url}/simulator/sessions`, {});
    expect(status).toBe(201);
    const token = (body as { token: string }).token;
    const headers = { 'X-Application': 'key-a', 'X-Authentication': token };
    expect((await rpc(sim, 'listMarketBook', BOOK, headers)).result).toEqual([]);
    await postJson(`${sim.url}/simulator/control`, { expireSession: token });
    expect(await rpcErrorCode(sim, 'listMarketBook', BOOK, headers)).toBe(
      'INVALID_SESSION_INFORMATION',
    );
  });
});

describe('JSON-RPC and REST envelopes', () => {
  let sim: ExchangeSimulator;
  beforeAll(async () => {
    sim = await startExchangeSimulator({ startTime: '2026-02-13T10:00:00Z' });
  });
  afterAll(() => sim.close());
  const jsonRpc = (body: unknown) =>
    postJson(`${sim.url}/exchange/betting/json-rpc/v1`, body, authHeaders(sim));
  const rest = (operation: string, body: unknown) =>
    postJson(`${sim.url}/exchange/betting/rest/v1.0/${operation}/`, body, authHeaders(sim));

  it.each([
    ['bad JSON', '{"jsonrpc":', -32700, null],
    [
      'an unknown method',
      { jsonrpc: '2.0', method: 'SportsAPING/v1.0/placeOrders', params: {}, id: 7 },
      -32601,
      7,
    ],
    [
      'a method without its prefix',
      { jsonrpc: '2.0', method: 'listMarketBook', params: {}, id: 8 },
      -32601,
      8,
    ],
    [
      'missing marketIds',
      { jsonrpc: '2.0', method: 'SportsAPING/v1.0/listMarketBook', params: {}, id: 9 },
      -32602,
      9,
    ],
    [
      'a bad projection',
      {
        jsonrpc: '2.0',
        method: 'SportsAPING/v1.0/listMarketBook',
        params: { marketIds: [], priceProjection: { priceData: ['EX_SOME'] } },
        id: 10,
      },
      -32602,
      10,
    ],
  ])('answers %s with the generic code', async (_, body, code, id) => {
    const { status, body: answer } = await jsonRpc(body);
    expect(status).toBe(200);
    expect(answer).toMatchObject({ jsonrpc: '2.0', error: { code }, id });
  });

  it('answers a batch in order, each call on its own', async () => {
    const { body } = await jsonRpc([
      { jsonrpc: '2.0', method: 'SportsAPING/v1.0/listEventTypes', params: { filter: {} }, id: 1 },
      {
        jsonrpc: '2.0',
        method: 'SportsAPING/v1.0/listMarketCatalogue',
        params: { filter: {}, maxResults: 5000 },
        id: 2,
      },
    ]);
    const [first, second] = body as {
      id: number;
      result?: unknown;
      error?: { code: number; message: string };
    }[];
    expect(first).toMatchObject({ id: 1, result: [{ eventType: { id: '7' } }] });
    expect(second).toMatchObject({ id: 2, error: { code: -32099, message: 'ANGX-0002' } });
  });

  it('answers REST with the bare result', async () => {
    const { status, body } = await rest('listMarketCatalogue', {
      filter: { eventTypeIds: ['7'] },
      maxResults: 3,
    });
    expect(status).toBe(200);
    expect(body).toHaveLength(3);
  });

  it('answers a REST failure with HTTP 400 and Betfair’s fault body', async () => {
    const ids = Array.from({ length: 251 }, (_, i) => `1.${300_000_000 + i}`);
    const { status, body } = await rest('listMarketBook', { marketIds: ids });
    expect(status).toBe(400);
    expect(body).toMatchObject({
      faultcode: 'Client',
      faultstring: 'ANGX-0011',
      detail: {
        APINGException: { errorCode: 'REQUEST_SIZE_EXCEEDS_LIMIT' },
        exceptionname: 'APINGException',
      },
    });
    const noKey = await postJson(`${sim.url}/exchange/betting/rest/v1.0/listMarketBook/`, {
      marketIds: [],
    });
    expect(noKey).toMatchObject({
      status: 400,
      body: { detail: { APINGException: { errorCode: 'NO_APP_KEY' } } },
    });
  });
});
