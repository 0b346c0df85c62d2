import { describe, expect, it } from 'vitest';
import { parseWorkflow } from '../../../shared/local/workflows/parse.js';

const wrap = (steps: string) => `main:\n  steps:\n${steps}`;

describe('parseWorkflow refuses what it cannot run', () => {
  it.each([
    [
      'an unknown step key',
      wrap(
        '    - a:\n        assign:\n          - x: 1\n    - b:\n        return: 1\n    - publish:\n        foo: 1\n',
      ),
      'unsupported construct "foo" in step main.steps[2].publish',
    ],
    [
      'an unknown call target',
      wrap('    - go:\n        call: googleapis.storage.v1.objects.get\n'),
      'unsupported construct "call googleapis.storage.v1.objects.get" in step main.steps[0].go',
    ],
    [
      'an unknown http argument',
      wrap(
        '    - go:\n        call: http.get\n        args:\n          url: x\n          private_service_name: s\n',
      ),
      'unsupported construct "http.get argument private_service_name" in step main.steps[0].go',
    ],
    [
      'an unknown function in an expression',
      wrap('    - go:\n        return: ${hash.compute_checksum("x")}\n'),
      'unsupported construct "function hash.compute_checksum()" in step main.steps[0].go',
    ],
    [
      'string interpolation',
      wrap('    - go:\n        return: "id-${x}"\n'),
      'unsupported construct "string interpolation "id-${x}"" in step main.steps[0].go',
    ],
    [
      'a nested unknown key',
      wrap(
        '    - outer:\n        steps:\n          - inner:\n              call: sys.log\n              extra: 1\n',
      ),
      'in step main.steps[0].outer.steps[0].inner',
    ],
    [
      'an unsupported exception policy',
      wrap(
        '    - fan:\n        parallel:\n          exception_policy: stopAll\n          branches: []\n',
      ),
      'unsupported construct "exception_policy "stopAll"" in step main.steps[0].fan.parallel',
    ],
    [
      'an unknown key in an http call’s auth',
      wrap(
        '    - go:\n        call: http.get\n        args:\n          url: x\n          auth:\n            type: OIDC\n            audiance: https://a.run.app\n',
      ),
      'unsupported construct "audiance" in step main.steps[0].go.auth',
    ],
    [
      'an auth type Workflows does not have',
      wrap(
        '    - go:\n        call: http.get\n        args:\n          url: x\n          auth:\n            type: Basic\n',
      ),
      'unsupported construct "auth type "Basic" (OIDC or OAuth2)"',
    ],
    [
      'an audience on an OAuth2 call',
      wrap(
        '    - go:\n        call: http.get\n        args:\n          url: x\n          auth:\n            type: OAuth2\n            audience: https://a.run.app\n',
      ),
      'unsupported construct "audience with auth type OAuth2"',
    ],
    [
      'an unknown retry policy',
      wrap('    - t:\n        try:\n          return: 1\n        retry: ${http.my_retry}\n'),
      'unsupported construct "retry policy ${http.my_retry}" in step main.steps[0].t.retry',
    ],
  ])('%s', (_name, yaml, message) => {
    expect(() => parseWorkflow(yaml)).toThrow(
      expect.objectContaining({
        code: 'WORKFLOW.UNSUPPORTED',
        kind: 'invalid',
        message: expect.stringContaining(message) as unknown,
      }),
    );
  });

  it.each([
    [
      'a jump to a missing step',
      wrap('    - a:\n        next: nowhere\n'),
      'unknown step "nowhere"',
    ],
    [
      'duplicate step names',
      wrap('    - a:\n        return: 1\n    - a:\n        return: 2\n'),
      'duplicate',
    ],
    ['bad expression syntax', wrap('    - a:\n        return: ${1 +}\n'), 'bad expression'],
    [
      'a missing subworkflow argument',
      'main:\n  steps:\n    - a:\n        call: sub\nsub:\n  params: [x]\n  steps:\n    - r:\n        return: ${x}\n',
      'sub requires argument x',
    ],
    ['no main', 'other:\n  steps:\n    - a:\n        return: 1\n', 'main'],
    [
      'an http call’s auth without a type',
      wrap(
        '    - go:\n        call: http.get\n        args:\n          url: x\n          auth: {}\n',
      ),
      'auth needs a type',
    ],
    ['YAML that does not parse', 'main: [\n', 'YAML'],
  ])('rejects %s as invalid', (_name, yaml, message) => {
    expect(() => parseWorkflow(yaml)).toThrow(
      expect.objectContaining({
        code: 'WORKFLOW.INVALID',
        message: expect.stringContaining(message) as unknown,
      }),
    );
  });

  it('accepts an OIDC call with an audience and an OAuth2 call with scopes', () => {
    const call = (auth: string) =>
      wrap(
        `    - go:\n        call: http.post\n        args:\n          url: x\n          auth:\n${auth}`,
      );
    expect(() =>
      parseWorkflow(call('            type: OIDC\n            audience: ${api}\n')),
    ).not.toThrow();
    expect(() =>
      parseWorkflow(call('            type: OAuth2\n            scopes: [a, b]\n')),
    ).not.toThrow();
  });
});
