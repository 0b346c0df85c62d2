import { describe, expect, it } from 'vitest';
import { BetfairError } from '../../shared/betfair/errors.js';
import { APP_KEY, SESSION_TOKEN, harness } from './client-fixture.js';
import { itWithSamples, readApiSample } from '../support/sample-data.js';

describe('BetfairClient.keepAlive', () => {
  it('posts to {identityEndpoint}/keepAlive with the two headers and reads SUCCESS', async () => {
    const answer = { token: SESSION_TOKEN, product: APP_KEY, status: 'SUCCESS', error: '' };
    const { server, client } = await harness(() => ({ json: answer }));
    expect(await client.keepAlive()).toEqual(answer);
    const [request] = server.requests;
    expect(request).toMatchObject({ method: 'POST', path: '/api/keepAlive' });
    expect(request?.headers).toMatchObject({
      'x-application': APP_KEY,
      'x-authentication': SESSION_TOKEN,
      accept: 'application/json',
    });
  });

  it.each(['NO_SESSION', 'INPUT_VALIDATION_ERROR'])(
    'turns FAIL with %s into a session error, without retrying',
    async (reason) => {
      const answer = { token: '', product: APP_KEY, status: 'FAIL', error: reason };
      const { server, client } = await harness(() => ({ json: answer }));
      const error = await client.keepAlive().catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(BetfairError);
      expect(error).toMatchObject({
        code: 'BETFAIR.SESSION',
        needsNewSession: true,
        betfairCode: reason,
        operation: 'keepAlive',
      });
      expect(server.requests).toHaveLength(1);
    },
  );

  it('retries FAIL with INTERNAL_ERROR', async () => {
    const fail = { token: '', product: APP_KEY, status: 'FAIL', error: 'INTERNAL_ERROR' };
    const success = { token: SESSION_TOKEN, product: APP_KEY, status: 'SUCCESS', error: '' };
    const { server, client } = await harness((_request, index) => ({
      json: index === 0 ? fail : success,
    }));
    expect(await client.keepAlive()).toMatchObject({ status: 'SUCCESS' });
    expect(server.requests).toHaveLength(2);
  });

  itWithSamples('reads the real FAIL sample as a session error', async () => {
    const sample = readApiSample('keep_alive_fail.json');
    const { client } = await harness(() => ({ json: sample }));
    await expect(client.keepAlive()).rejects.toMatchObject({
      code: 'BETFAIR.SESSION',
      needsNewSession: true,
      betfairCode: 'INPUT_VALIDATION_ERROR',
    });
  });
});
