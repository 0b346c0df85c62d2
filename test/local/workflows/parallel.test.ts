import { describe, expect, it } from 'vitest';
import { abortableSleep, fakeEnvironment, raisedBy, runYaml } from './fake-environment.js';

/** An environment whose HTTP calls take a few ms and record how many overlap. */
function overlapTracking() {
  let active = 0;
  let peak = 0;
  const environment = fakeEnvironment(async () => {
    active += 1;
    peak = Math.max(peak, active);
    await new Promise((resolve) => setTimeout(resolve, 5));
    active -= 1;
    return { code: 200, headers: {}, body: {} };
  });
  return { environment, peak: () => peak };
}

const parallelFor = (limit: string) => `
main:
  steps:
    - init:
        assign:
          - total: 0
          - done: []
    - fan:
        parallel:
          shared: [total, done]
          ${limit}
          for:
            value: n
            in: [1, 2, 3, 4, 5, 6]
            steps:
              - work:
                  call: http.get
                  args:
                    url: \${"https://example.test/" + string(n)}
              - add:
                  assign:
                    - total: \${total + n}
                    - done: \${list.concat(done, n)}
    - result:
        return: {total: \${total}, count: \${len(done)}}
`;

describe('parallel', () => {
  it.each([
    ['concurrency_limit: 2', 2],
    ['concurrency_limit: 1', 1],
    ['', 6],
  ])('parallel for with shared variables and %s', async (limit, peak) => {
    const tracking = overlapTracking();
    const yaml = parallelFor(limit).replace(
      'return: {total: ${total}, count: ${len(done)}}',
      'return: ${[total, len(done)]}',
    );
    await expect(runYaml(yaml, null, tracking.environment)).resolves.toEqual([21, 6]);
    expect(tracking.peak()).toBe(peak);
  });

  it('runs branches with local variables and shared results', async () => {
    const result = await runYaml(`
main:
  steps:
    - init:
        assign:
          - results: {}
          - base: 10
    - fan:
        parallel:
          shared: [results]
          branches:
            - left:
                steps:
                  - local:
                      assign:
                        - mine: \${base + 1}
                        - results.left: \${mine}
            - right:
                steps:
                  - local:
                      assign:
                        - mine: \${base + 2}
                        - results.right: \${mine}
    - done:
        return: \${results}
`);
    expect(result).toEqual({ left: 11, right: 12 });
  });

  it('raises the first unhandled branch error and cancels the others', async () => {
    const environment = fakeEnvironment();
    environment.sleep = abortableSleep;
    const started = Date.now();
    const payload = await raisedBy(
      `
main:
  steps:
    - init:
        assign:
          - finished: false
    - fan:
        parallel:
          shared: [finished]
          branches:
            - failing:
                steps:
                  - boom:
                      raise: broken
            - slow:
                steps:
                  - nap:
                      call: sys.sleep
                      args:
                        seconds: 30
                  - mark:
                      assign:
                        - finished: true
`,
      null,
      environment,
    );
    expect(payload).toBe('broken');
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  it('with continueAll runs everything and raises an UnhandledBranchError', async () => {
    const payload = await raisedBy(`
main:
  steps:
    - fan:
        parallel:
          exception_policy: continueAll
          for:
            value: n
            range: [1, 3]
            steps:
              - check:
                  switch:
                    - condition: \${n != 2}
                      raise: \${"bad " + string(n)}
`);
    expect(payload).toMatchObject({
      tags: ['UnhandledBranchError'],
      branches: [
        { id: '0', error: 'bad 1' },
        { id: '2', error: 'bad 3' },
      ],
    });
  });
});
