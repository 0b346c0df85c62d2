import path from 'node:path';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LocalWorkflowExecutions } from '../../../shared/local/workflows/local-executions.js';
import type { Execution } from '../../../shared/platform/ports/executions.js';
import { abortableSleep, fakeEnvironment } from './fake-environment.js';

const WORKFLOWS: Record<string, string> = {
  echo: `
main:
  params: [args]
  steps:
    - id:
        call: sys.get_env
        args:
          name: GOOGLE_CLOUD_WORKFLOW_EXECUTION_ID
        result: id
    - done:
        return:
          input: \${args}
          workflow: \${sys.get_env("GOOGLE_CLOUD_WORKFLOW_ID")}
          id: \${id}
`,
  fail: `
main:
  steps:
    - boom:
        raise:
          code: 42
          message: no good
`,
  slow: `
main:
  steps:
    - nap:
        call: sys.sleep
        args:
          seconds: 60
`,
  broken: `
main:
  steps:
    - x:
        call: experimental.executions.map
`,
};

/** Polls until the execution leaves ACTIVE. */
async function settled(executions: LocalWorkflowExecutions, name: string): Promise<Execution> {
  for (;;) {
    const execution = await executions.get(name);
    if (execution.state !== 'ACTIVE') return execution;
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
}

describe('LocalWorkflowExecutions', () => {
  let dir: string;
  let executions: LocalWorkflowExecutions;

  beforeEach(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'workflows-'));
    for (const [name, yaml] of Object.entries(WORKFLOWS)) {
      await writeFile(path.join(dir, `${name}.yaml`), yaml);
    }
    const environment = fakeEnvironment();
    environment.sleep = abortableSleep;
    executions = new LocalWorkflowExecutions({
      workflowsDir: dir,
      projectId: 'p1',
      location: 'europe-west2',
      environment,
    });
  });
  afterEach(async () => {
    await executions.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('runs an execution to SUCCEEDED with its result', async () => {
    const started = await executions.start('echo', { jobId: 'j1' });
    expect(started.state).toBe('ACTIVE');
    expect(started.name).toMatch(
      /^projects\/p1\/locations\/europe-west2\/workflows\/echo\/executions\/[0-9a-f-]{36}$/,
    );
    const done = await settled(executions, started.name);
    const id = started.name.split('/').at(-1);
    expect(done).toMatchObject({
      state: 'SUCCEEDED',
      argument: { jobId: 'j1' },
      result: { input: { jobId: 'j1' }, workflow: 'echo', id },
    });
    expect(done.endTime?.getTime()).toBeGreaterThanOrEqual(done.startTime.getTime());
  });

  it('reports a raised error as a JSON payload', async () => {
    const started = await executions.start('fail', null);
    const done = await settled(executions, started.name);
    expect(done.state).toBe('FAILED');
    expect(JSON.parse(done.error?.payload ?? '')).toEqual({ code: 42, message: 'no good' });
    expect(done.error?.context).toContain('main.steps[0].boom');
  });

  it('cancels an active execution', async () => {
    const started = await executions.start('slow', null);
    const cancelled = await executions.cancel(started.name);
    expect(cancelled.state).toBe('CANCELLED');
    expect((await executions.get(started.name)).state).toBe('CANCELLED');
    await expect(executions.cancel(started.name)).rejects.toMatchObject({
      code: 'EXECUTION.NOT_ACTIVE',
    });
  });

  it('close() cancels what is still running', async () => {
    const started = await executions.start('slow', null);
    await executions.close();
    expect((await executions.get(started.name)).state).toBe('CANCELLED');
  });

  it.each([
    ['an unknown workflow', 'nope', 'WORKFLOW.NOT_FOUND', 'not_found'],
    ['a path outside the folder', '../etc', 'WORKFLOW.NOT_FOUND', 'not_found'],
    ['an unsupported workflow', 'broken', 'WORKFLOW.UNSUPPORTED', 'invalid'],
  ])('refuses to start %s', async (_name, workflow, code, kind) => {
    await expect(executions.start(workflow, null)).rejects.toMatchObject({ code, kind });
  });

  it('refuses an unknown execution', async () => {
    await expect(
      executions.get('projects/p1/locations/europe-west2/workflows/echo/executions/nope'),
    ).rejects.toMatchObject({ code: 'EXECUTION.NOT_FOUND', kind: 'not_found' });
  });
});
