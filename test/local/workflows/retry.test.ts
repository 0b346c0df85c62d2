import { describe, expect, it } from 'vitest';
import type { WorkflowHttpResponse } from '../../../shared/local/workflows/runtime.js';
import { fakeEnvironment, runYaml } from './fake-environment.js';

/** An HTTP fake that answers the given status codes in turn, then 200. */
function answers(...codes: number[]) {
  let calls = 0;
  const environment = fakeEnvironment(() => {
    const code = codes[calls] ?? 200;
    calls += 1;
    const response: WorkflowHttpResponse = {
      code,
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ attempt: calls }),
    };
    return Promise.resolve(response);
  });
  return { environment, calls: () => calls };
}

const tryGet = (retry: string) => `
main:
  steps:
    - fetch:
        try:
          call: http.get
          args:
            url: https://example.test/data
          result: response
        retry: ${retry}
    - done:
        return: \${response.body.attempt}
`;

const customPolicy = `
          predicate: \${http.default_retry_predicate}
          max_retries: 4
          backoff:
            initial_delay: 2
            max_delay: 5
            multiplier: 2`;

describe('try/retry', () => {
  it.each([
    ['default retry on 503s', '${http.default_retry}', [503, 503, 429], 4, [1000, 1250, 1562.5]],
    ['default retry on 502 and 504', '${http.default_retry}', [502, 504], 3, [1000, 1250]],
    ['non-idempotent retry on 429', '${http.default_retry_non_idempotent}', [429], 2, [1000]],
    [
      'custom backoff capped at max_delay',
      customPolicy,
      [503, 503, 503, 503],
      5,
      [2000, 4000, 5000, 5000],
    ],
  ])('%s', async (_name, retry, codes, attempts, delays) => {
    const { environment, calls } = answers(...codes);
    await expect(runYaml(tryGet(retry), null, environment)).resolves.toBe(attempts);
    expect(calls()).toBe(attempts);
    expect(environment.sleeps).toEqual(delays);
  });

  it.each([
    ['non-idempotent policy', '${http.default_retry_non_idempotent}', 502],
    ['idempotent policy', '${http.default_retry}', 404],
  ])('does not retry what the %s excludes', async (_name, retry, code) => {
    const { environment, calls } = answers(code);
    await expect(runYaml(tryGet(retry), null, environment)).rejects.toMatchObject({
      payload: { code, tags: ['HttpError'] },
    });
    expect(calls()).toBe(1);
  });

  it('gives up after max_retries and raises the last error', async () => {
    const { environment, calls } = answers(503, 503, 503, 503, 503, 503, 503);
    await expect(runYaml(tryGet('${http.default_retry}'), null, environment)).rejects.toMatchObject(
      {
        payload: { code: 503 },
      },
    );
    expect(calls()).toBe(6);
    expect(environment.sleeps).toHaveLength(5);
  });

  it('retries when a subworkflow predicate says so, then except catches', async () => {
    const environment = fakeEnvironment();
    const result = await runYaml(
      `
main:
  steps:
    - init:
        assign:
          - attempts: 0
    - flaky:
        try:
          steps:
            - count:
                assign:
                  - attempts: \${attempts + 1}
            - fail:
                raise:
                  code: \${attempts}
                  tags: [Flaky]
        retry:
          predicate: \${only_flaky}
          max_retries: 2
          backoff:
            initial_delay: 1
            max_delay: 10
            multiplier: 3
        except:
          as: e
          steps:
            - caught:
                return:
                  attempts: \${attempts}
                  last: \${e.code}
only_flaky:
  params: [e]
  steps:
    - decide:
        return: \${"Flaky" in e.tags}
`,
      null,
      environment,
    );
    expect(result).toEqual({ attempts: 3, last: 3 });
    expect(environment.sleeps).toEqual([1000, 3000]);
  });

  it('except catches runtime errors and their tags', async () => {
    const result = await runYaml(`
main:
  steps:
    - risky:
        try:
          assign:
            - x: \${1 / 0}
        except:
          as: e
          steps:
            - handled:
                return: \${e.tags}
`);
    expect(result).toEqual(['ZeroDivisionError']);
  });

  it('an error raised inside except propagates', async () => {
    await expect(
      runYaml(`
main:
  steps:
    - risky:
        try:
          raise: first
        except:
          as: e
          steps:
            - rethrow:
                raise: \${"wrapped " + e}
`),
    ).rejects.toMatchObject({ payload: 'wrapped first' });
  });
});
