import domain from 'node:domain';
import { describe, expect, it } from 'vitest';
import { outsideRequestDomain } from '../../shared/platform/request-domain.js';

const active = () => (process as { domain?: unknown }).domain;

/** Runs `body` inside a fresh domain, as functions-framework runs each request. */
function inRequestDomain<T>(body: (requestDomain: domain.Domain) => Promise<T>): Promise<T> {
  const requestDomain = domain.create();
  return requestDomain.run(() => body(requestDomain));
}

describe('work started outside the request domain', () => {
  it('runs with no domain, down its whole promise chain, and leaves the request in its own', async () => {
    const seen = await inRequestDomain(async (requestDomain) => {
      const inner = await outsideRequestDomain(async () => {
        const atStart = active();
        await new Promise((resolve) => setTimeout(resolve, 5));
        return { atStart, afterAwait: active() };
      });
      return { ...inner, request: active() === requestDomain };
    });
    expect(seen).toEqual({ atStart: undefined, afterAwait: undefined, request: true });
  });

  it('hands a failure back to the awaiting request as a rejection', async () => {
    const outcome = inRequestDomain(() =>
      outsideRequestDomain(async () => {
        await Promise.resolve();
        throw new Error('the file is corrupt');
      }),
    );
    await expect(outcome).rejects.toThrow('the file is corrupt');
  });

  it('is plain work where no domain is active', async () => {
    await expect(outsideRequestDomain(() => Promise.resolve(7))).resolves.toBe(7);
  });
});
