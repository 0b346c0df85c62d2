import path from 'node:path';
import { readFile } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import { beforeAll, describe, expect, it } from 'vitest';
import { FUNCTION_RUNTIME } from '../../cdktf/runtime.js';
import { DECOMPRESS_MAX_ATTEMPTS } from '../../cdktf/sizing.js';
import { loadConfig } from '../../shared/platform/config.js';
import { deployedFunctions } from '../../shared/platform/functions.js';
import {
  functionEnvironment,
  referenced,
  resources,
  resourceWhere,
  ROOT,
  synthStack,
  TEST_ENV,
  TEST_NAMES,
  type Synthesised,
} from './stack-fixture.js';

type Fn = {
  name: string;
  service_config: Record<string, unknown>;
  build_config: Record<string, unknown>;
};

const specs = deployedFunctions({ decompressTopic: TEST_NAMES.decompressTopic });
let json: Synthesised;
let functions: Fn[];

beforeAll(async () => {
  json = await synthStack();
  functions = Object.values(resources(json, 'google_cloudfunctions2_function')) as Fn[];
}, 60_000);

function fn(name: string): Fn {
  return resourceWhere(json, 'google_cloudfunctions2_function', 'name', name) as Fn;
}

function env(name: string): Record<string, string> {
  return functionEnvironment(json, name);
}

/** Every IAM member the stack grants anything to, with where. */
function allMembers(synth: Synthesised): { type: string; name: unknown; member: string }[] {
  return Object.entries(synth.resource).flatMap(([type, byId]) =>
    Object.values(byId)
      .filter((r) => typeof r.member === 'string')
      .map((r) => ({ type, name: r.name ?? r.bucket ?? r.topic, member: r.member as string })),
  );
}

describe('the synthesised stack', () => {
  it('deploys every function in deployedFunctions, each as its own service account', () => {
    expect(functions.map((f) => f.name).sort()).toEqual(specs.map((s) => s.name).sort());
    const accounts = functions.map((f) => referenced(f.service_config.service_account_email));
    expect(new Set(accounts).size).toBe(functions.length);
    for (const f of functions) {
      expect(f.build_config).toMatchObject({ runtime: FUNCTION_RUNTIME, entry_point: f.name });
    }
  });

  it('lets nobody invoke a function anonymously unless publicFeed is set, and then only the feed', async () => {
    const anonymous = (synth: Synthesised) =>
      allMembers(synth).filter((m) => /^allUsers$|^allAuthenticatedUsers$/.test(m.member));
    expect(anonymous(json)).toEqual([]);
    const open = await synthStack({ CHIMERA_PUBLIC_FEED: 'true' });
    const granted = anonymous(open);
    expect(granted).toHaveLength(1);
    expect(granted[0]?.type).toBe('google_cloud_run_v2_service_iam_member');
    expect(String(granted[0]?.name)).toMatch(
      /^\$\{google_cloudfunctions2_function\.functions_feed_\w+\./,
    );
  }, 60_000);

  it('gives every function the environment loadConfig reads, naming this stack’s resources', () => {
    const topic = resourceWhere(json, 'google_pubsub_topic', 'name', TEST_NAMES.decompressTopic);
    const workflow = Object.values(resources(json, 'google_workflows_workflow'))[0];
    const recorder = resourceWhere(
      json,
      'google_storage_bucket',
      'name',
      TEST_ENV.CHIMERA_RECORDER_BUCKET,
    );
    for (const { name } of specs) {
      const config = loadConfig(env(name));
      expect(config).toMatchObject({
        mode: 'cloud',
        projectId: TEST_ENV.CHIMERA_PROJECT,
        region: TEST_ENV.CHIMERA_REGION,
        logLevel: TEST_ENV.CHIMERA_LOG_LEVEL,
        decompressTopic: topic.name,
        decompressMaxAttempts: DECOMPRESS_MAX_ATTEMPTS,
        jobs: { workflow: workflow?.name, apiUrl: json.output.chimera_api_url?.value },
        recorder: { bucket: recorder.name },
      });
    }
    // One decoding thread per vCPU the decompress function is given.
    expect(loadConfig(env('decompress')).bz2Workers).toBe(
      Number(fn('decompress').service_config.available_cpu),
    );
  });

  it('lets pages change things through the console only at its own address, unless a proxy port is named', async () => {
    for (const { name } of specs) expect(loadConfig(env(name)).frontendUrls).toEqual([]);
    const proxied = await synthStack({ CHIMERA_CONSOLE_PROXY_PORT: '8090' });
    for (const { name } of specs) {
      expect(loadConfig(functionEnvironment(proxied, name)).frontendUrls).toEqual(
        name === 'web' ? ['http://localhost:8090', 'http://127.0.0.1:8090'] : [],
      );
    }
  }, 60_000);

  it('sets only variables loadConfig actually reads (dropping any one changes the config)', () => {
    for (const { name } of specs) {
      const vars = env(name);
      const full = loadConfig(vars);
      // BZ2_WORKERS defaults to this machine's CPU count, which may happen to equal the
      // deployment's; the environment test checks its value directly.
      const keys = Object.keys(vars).filter(
        (key) => key !== 'BZ2_WORKERS' || availableParallelism() !== full.bz2Workers,
      );
      for (const key of keys) {
        const rest = Object.fromEntries(Object.entries(vars).filter(([k]) => k !== key));
        expect(loadConfig(rest), `${name}: ${key}`).not.toEqual(full);
      }
    }
  });

  it('puts no secret in any environment variable', () => {
    for (const { name } of specs) {
      const vars = env(name);
      const config = loadConfig(vars);
      expect(config.recorder.appKey).toBeUndefined();
      expect(config.recorder.ssoid).toBeUndefined();
      expect(
        Object.keys(vars).filter((key) => /KEY|SSOID|SECRET|TOKEN|PASSWORD/.test(key)),
      ).toEqual([]);
      expect(fn(name).service_config.secret_environment_variables).toBeUndefined();
    }
    // Secret values are added at run time, never declared (so never in Terraform state).
    expect(resources(json, 'google_secret_manager_secret_version')).toEqual({});
  });

  it('delivers the decompress topic by its own push subscription with OIDC, retry and a dead-letter topic', () => {
    const subscription = resourceWhere(
      json,
      'google_pubsub_subscription',
      'name',
      TEST_NAMES.decompressSubscription,
    );
    const decompress = Object.keys(resources(json, 'google_cloudfunctions2_function')).find((id) =>
      id.includes('decompress'),
    );
    const push = subscription.push_config as {
      push_endpoint: string;
      oidc_token: { audience: string; service_account_email: string };
    };
    expect(push.oidc_token.audience).toBe(
      `\${google_cloudfunctions2_function.${decompress}.service_config[0].uri}`,
    );
    expect(push.push_endpoint).toBe(
      `${push.oidc_token.audience}/projects/${TEST_ENV.CHIMERA_PROJECT}/topics/${TEST_NAMES.decompressTopic}`,
    );
    const policy = subscription.dead_letter_policy as {
      dead_letter_topic: string;
      max_delivery_attempts: number;
    };
    expect(policy.max_delivery_attempts).toBeGreaterThan(
      loadConfig(env('decompress')).decompressMaxAttempts,
    );
    expect(referenced(policy.dead_letter_topic)).toMatch(/^google_pubsub_topic\./);
    expect(subscription.retry_policy).toBeDefined();
    expect(subscription.ack_deadline_seconds).toBeGreaterThan(
      fn('decompress').service_config.timeout_seconds as number,
    );
  });

  it('calls recorder-poll on its schedule from Cloud Scheduler with an OIDC token for its URL', () => {
    const spec = specs.find((s) => s.name === 'recorder-poll');
    const job = Object.values(resources(json, 'google_cloud_scheduler_job'))[0] as {
      schedule: string;
      http_target: { uri: string; oidc_token: { audience: string } };
    };
    expect(spec?.trigger).toMatchObject({ kind: 'scheduled', schedule: job.schedule });
    expect(job.http_target.uri).toMatch(
      /google_cloudfunctions2_function\.functions_recorder-poll_\w+\.service_config\[0\]\.uri/,
    );
    expect(job.http_target.oidc_token.audience).toBe(job.http_target.uri);
  });

  it('deploys the workflow from workflows/decompress-job.yaml as it is, with its own account', async () => {
    const yaml = await readFile(path.join(ROOT, 'workflows/decompress-job.yaml'), 'utf8');
    const workflow = Object.values(resources(json, 'google_workflows_workflow'))[0];
    expect(workflow?.source_contents).toBe(yaml);
    const account = referenced(workflow?.service_account);
    const grantsTo = allMembers(json).filter((m) =>
      m.member.startsWith(`serviceAccount:\${${account}.`),
    );
    expect(grantsTo.map((g) => g.type).sort()).toEqual([
      'google_cloud_run_v2_service_iam_member',
      'google_project_iam_member',
      'google_pubsub_topic_iam_member',
    ]);
  });

  it('lets the workflow’s account alone invoke its callbacks, and the workflow no public function', async () => {
    const people = await synthStack({ CHIMERA_INVOKERS: 'user:ann@example.com' });
    const workflowAccount = referenced(
      Object.values(resources(people, 'google_workflows_workflow'))[0]?.service_account,
    );
    const invokers = allMembers(people).filter(
      (m) => m.type === 'google_cloud_run_v2_service_iam_member',
    );
    const on = (name: string) =>
      invokers.filter((m) =>
        String(m.name).startsWith(`\${google_cloudfunctions2_function.functions_${name}_`),
      );
    expect(on('pipeline-workflow').map((m) => m.member)).toEqual([
      `serviceAccount:\${${workflowAccount}.email}`,
    ]);
    const web = Object.values(resources(people, 'google_cloudfunctions2_function')).find(
      (f) => f.name === 'web',
    ) as { service_config: { service_account_email: string } } | undefined;
    const webAccount = `serviceAccount:${web?.service_config.service_account_email ?? 'none'}`;
    // The console's people, and the console's own account on the APIs its page calls.
    expect(on('web').map((m) => m.member)).toEqual(['user:ann@example.com']);
    expect(on('pipeline-api').map((m) => m.member)).toEqual(['user:ann@example.com', webAccount]);
    for (const api of ['recorder-api', 'feed']) {
      expect(on(api).map((m) => m.member)).toEqual(
        expect.arrayContaining(['user:ann@example.com', webAccount]),
      );
    }
    expect(on('pipeline-workflow').map((m) => m.member)).not.toContain(webAccount);
  }, 60_000);

  it('sends Firestore writes of the work order notices to job-status as JSON', () => {
    const spec = specs.find((s) => s.name === 'job-status');
    const trigger = Object.values(resources(json, 'google_eventarc_trigger'))[0] as {
      event_data_content_type: string;
      matching_criteria: { attribute: string; value: string }[];
    };
    expect(trigger.event_data_content_type).toBe('application/json');
    expect(trigger.matching_criteria).toContainEqual(
      expect.objectContaining({
        attribute: 'document',
        value: spec?.trigger.kind === 'firestore' ? spec.trigger.document : '',
      }),
    );
    expect(spec?.trigger).toMatchObject({ document: 'dataflow-jobs/{jobId}/orders/{orderId}' });
    // A notice's first write is a creation and carries outcomes as well: every write counts.
    expect(trigger.matching_criteria).toContainEqual({
      attribute: 'type',
      value: 'google.cloud.firestore.document.v1.written',
    });
  });

  it('indexes job history for each filter the history API offers, newest first', () => {
    const indexes = Object.values(resources(json, 'google_firestore_index')) as {
      collection: string;
      fields: { field_path: string; order: string }[];
    }[];
    const jobIndexes = indexes
      .filter((index) => index.collection === 'dataflow-jobs')
      .map((index) => index.fields.map((f) => `${f.field_path} ${f.order}`));
    expect(jobIndexes).toEqual(
      expect.arrayContaining([
        ['status ASCENDING', 'createdAt DESCENDING'],
        ['processType ASCENDING', 'createdAt DESCENDING'],
      ]),
    );
  });
});
