import { describe, expect, it } from 'vitest';
import { abortableSleep, fakeEnvironment, raisedBy, runYaml } from './fake-environment.js';

describe('steps', () => {
  it.each([
    [
      'assign to variables, fields, list items and map keys',
      `
main:
  steps:
    - init:
        assign:
          - m: {}
          - l: [1, 2, 3]
          - key: "dyn"
    - set:
        assign:
          - m.a: 1
          - m.b.c: 2
          - m["x y"]: 3
          - m[key]: 4
          - l[1]: \${l[0] + 10}
    - done:
        return:
          m: \${m}
          l: \${l}
`,
      { m: { a: 1, b: { c: 2 }, 'x y': 3, dyn: 4 }, l: [1, 11, 3] },
    ],
    [
      'assignment copies values',
      `
main:
  steps:
    - init:
        assign:
          - a: {k: 1}
          - b: \${a}
          - b.k: 2
    - done:
        return: \${[a.k, b.k]}
`,
      [1, 2],
    ],
    [
      'subworkflow with params and defaults',
      `
main:
  params: [args]
  steps:
    - call_it:
        call: greet
        args:
          name: \${args.name}
        result: greeting
    - done:
        return: \${greeting}
greet:
  params: [name, punctuation: "!"]
  steps:
    - build:
        return: \${"Hello " + name + punctuation}
`,
      'Hello Ada!',
    ],
    [
      'switch with next, steps, assign and return',
      `
main:
  params: [args]
  steps:
    - init:
        assign:
          - log: []
    - check:
        switch:
          - condition: \${args.n > 100}
            return: big
          - condition: \${args.n > 5}
            assign:
              - log: \${list.concat(log, "assign")}
            next: after
          - condition: true
            steps:
              - inner:
                  assign:
                    - log: \${list.concat(log, "steps")}
        next: after
    - skipped:
        assign:
          - log: \${list.concat(log, "skipped")}
    - after:
        return: \${log}
`,
      ['assign'],
    ],
    [
      'for in with index, continue and break',
      `
main:
  steps:
    - init:
        assign:
          - seen: []
    - loop:
        for:
          value: v
          index: i
          in: [a, b, c, d]
          steps:
            - skip_b:
                switch:
                  - condition: \${v == "b"}
                    next: continue
            - stop_at_d:
                switch:
                  - condition: \${v == "d"}
                    next: break
            - record:
                assign:
                  - seen: \${list.concat(seen, v + string(i))}
    - done:
        return: \${seen}
`,
      ['a0', 'c2'],
    ],
    [
      'for range is inclusive and loop variables stay inside',
      `
main:
  steps:
    - init:
        assign:
          - total: 0
    - loop:
        for:
          value: n
          range: [1, 4]
          steps:
            - add:
                assign:
                  - total: \${total + n}
                  - inner: 1
    - check:
        try:
          assign:
            - leaked: \${inner}
        except:
          as: e
          steps:
            - note:
                assign:
                  - leaked: \${e.tags[0]}
    - done:
        return: \${[total, leaked]}
`,
      [10, 'KeyError'],
    ],
    [
      'nested steps and next jumps backwards',
      `
main:
  steps:
    - init:
        assign:
          - n: 0
    - block:
        steps:
          - inc:
              assign:
                - n: \${n + 1}
          - again:
              switch:
                - condition: \${n < 3}
                  next: block
    - done:
        return: \${n}
`,
      3,
    ],
    [
      'next end stops the workflow with null',
      `
main:
  steps:
    - first:
        next: end
    - never:
        return: reached
`,
      null,
    ],
    [
      'a bare list of steps is main',
      `
- one:
    assign:
      - x: 2
- two:
    return: \${x * 21}
`,
      42,
    ],
    [
      'sys calls',
      `
main:
  steps:
    - before:
        call: sys.now
        result: t0
    - nap:
        call: sys.sleep
        args:
          seconds: 1.5
    - after:
        call: sys.now
        result: t1
    - env:
        call: sys.get_env
        args:
          name: GOOGLE_CLOUD_WORKFLOW_EXECUTION_ID
        result: id
    - note:
        call: sys.log
        args:
          text: hello
          severity: INFO
    - done:
        return: \${[t1 - t0, id]}
`,
      [1.5, 'x1'],
    ],
  ])('%s', async (_name, yaml, expected) => {
    await expect(runYaml(yaml, { name: 'Ada', n: 7 })).resolves.toEqual(expected);
  });

  it('publishes to Pub/Sub and returns the message ids', async () => {
    const environment = fakeEnvironment();
    const result = await runYaml(
      `
main:
  steps:
    - publish:
        call: googleapis.pubsub.v1.projects.topics.publish
        args:
          topic: projects/p1/topics/files
          body:
            messages:
              - data: '\${base64.encode(json.encode({"file": "a.bz2"}))}'
                attributes:
                  jobId: j1
        result: published
    - done:
        return: \${published}
`,
      null,
      environment,
    );
    expect(result).toEqual({ messageIds: ['m-1-0'] });
    const message = environment.published[0]?.messages[0];
    expect(environment.published[0]?.topic).toBe('projects/p1/topics/files');
    expect(JSON.parse(Buffer.from(message?.data ?? '', 'base64').toString())).toEqual({
      file: 'a.bz2',
    });
    expect(message?.attributes).toEqual({ jobId: 'j1' });
  });

  it.each([
    ['a string', 'raise: oops', 'oops'],
    ['a map', 'raise: {code: 7, tags: [Custom]}', { code: 7, tags: ['Custom'] }],
    ['an expression', 'raise: ${"n=" + string(1)}', 'n=1'],
  ])('raise %s', async (_name, raise, payload) => {
    await expect(raisedBy(`main:\n  steps:\n    - fail:\n        ${raise}\n`)).resolves.toEqual(
      payload,
    );
  });

  it('reports where an uncaught error left the workflow', async () => {
    const run = runYaml(`
main:
  steps:
    - outer:
        steps:
          - boom:
              raise: bad
`);
    await expect(run).rejects.toMatchObject({
      name: 'WorkflowError',
      payload: 'bad',
      stepPath: 'main.steps[0].outer.steps[0].boom',
    });
  });

  it('stops with a RecursionError when subworkflows recurse too deep', async () => {
    const payload = await raisedBy(`
main:
  steps:
    - go:
        call: loop
loop:
  steps:
    - again:
        call: loop
`);
    expect(payload).toMatchObject({ tags: ['RecursionError'] });
  });

  it('refuses writes to unshared variables from a parallel branch', async () => {
    const payload = await raisedBy(`
main:
  steps:
    - init:
        assign:
          - x: 0
    - fan:
        parallel:
          branches:
            - a:
                steps:
                  - write:
                      assign:
                        - x: 1
            - b:
                steps:
                  - read:
                      assign:
                        - y: \${x}
`);
    expect(payload).toMatchObject({ tags: ['TypeError'] });
  });

  it('stops at the next step once cancelled', async () => {
    const abort = new AbortController();
    const environment = fakeEnvironment();
    environment.sleep = abortableSleep;
    const run = runYaml(
      `
main:
  steps:
    - nap:
        call: sys.sleep
        args:
          seconds: 60
    - done:
        return: finished
`,
      null,
      environment,
      abort.signal,
    );
    setTimeout(() => abort.abort(), 10);
    await expect(run).rejects.toMatchObject({ name: 'CancelledError' });
  });
});
