import { beforeAll, describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { APIS_OF_TYPE, REQUIRED_APIS } from '../../cdktf/constructs/services.js';
import { runWorkflow } from '../../shared/local/workflows/executor.js';
import { parseWorkflow } from '../../shared/local/workflows/parse.js';
import type {
  WorkflowHttpRequest,
  WorkflowHttpResponse,
} from '../../shared/local/workflows/runtime.js';
import { deployedFunctions } from '../../shared/platform/functions.js';
import { fakeEnvironment } from '../local/workflows/fake-environment.js';
import { resources, synthStack, TEST_ENV, TEST_NAMES, type Synthesised } from './stack-fixture.js';

// What a first `terraform apply` on a new project needs, read off the synthesised JSON: each
// test fails on the stack as it was before the deployment review (see the README's
// "Deploying to Google Cloud").

type Resource = Record<string, unknown>;
type Json = Synthesised & {
  data?: Record<string, Record<string, Resource>>;
  terraform?: { backend?: Record<string, unknown> };
  import?: { to: string; id: string }[];
};

/** A resource's `member` (IAM grants), or '' for resources without one. */
const memberOf = (body: Resource): string => (typeof body.member === 'string' ? body.member : '');

let json: Json;
/** Every resource and data source by address (`type.name`, `data.type.name`). */
let nodes: Map<string, { type: string; body: Resource }>;

beforeAll(async () => {
  json = await synthStack();
  nodes = new Map();
  for (const [type, byName] of Object.entries(json.resource)) {
    for (const [name, body] of Object.entries(byName)) nodes.set(`${type}.${name}`, { type, body });
  }
  for (const [type, byName] of Object.entries(json.data ?? {})) {
    for (const [name, body] of Object.entries(byName)) {
      nodes.set(`data.${type}.${name}`, { type, body });
    }
  }
}, 60_000);

const REFERENCE = /\$\{((?:data\.)?[a-z0-9_]+\.[\w-]+)/g;

/** The addresses a resource names directly: its depends_on and the references in its values. */
function edges(body: Resource): Set<string> {
  const found = new Set<string>((body.depends_on as string[] | undefined) ?? []);
  const values = Object.entries(body).filter(([key]) => key !== 'depends_on');
  for (const match of JSON.stringify(values).matchAll(REFERENCE)) found.add(match[1] ?? '');
  return found;
}

/** Everything `address` waits for, directly or through what it waits for. */
function before(address: string): Set<string> {
  const seen = new Set<string>();
  const queue = [address];
  while (queue.length > 0) {
    const next = nodes.get(queue.pop() ?? '');
    for (const edge of edges(next?.body ?? {})) {
      if (!seen.has(edge) && nodes.has(edge)) {
        seen.add(edge);
        queue.push(edge);
      }
    }
  }
  return seen;
}

/** Addresses of the resources of one type whose body matches `where`. */
function addresses(type: string, where: (body: Resource) => boolean = () => true): string[] {
  return [...nodes.entries()]
    .filter(([address, node]) => node.type === type && !address.startsWith('data.'))
    .filter(([, node]) => where(node.body))
    .map(([address]) => address);
}

/** The google_project_service enabling `api`, or undefined when the stack does not enable it. */
function serviceAddress(api: string): string | undefined {
  return addresses('google_project_service', (body) => body.service === api)[0];
}

/** The service account resource whose account_id is `accountId`. */
function account(accountId: string): string {
  const [address] = addresses('google_service_account', (body) => body.account_id === accountId);
  if (!address) throw new Error(`no service account ${accountId}`);
  return address;
}

const grantsTo = (accountAddress: string) =>
  [...nodes.entries()]
    .filter(([, node]) => memberOf(node.body).includes(`\${${accountAddress}.email}`))
    .map(([address]) => address);

function functionAddress(name: string): string {
  const [address] = addresses('google_cloudfunctions2_function', (body) => body.name === name);
  if (!address) throw new Error(`no function ${name}`);
  return address;
}

describe('on a fresh project, the stack', () => {
  it('creates every resource only after the API it is made through is enabled', () => {
    const missing: string[] = [];
    for (const [address, node] of nodes) {
      if (!node.type.startsWith('google_') || node.type === 'google_project_service') continue;
      const apis = APIS_OF_TYPE[node.type];
      if (!apis) {
        missing.push(`${address}: no API known for ${node.type}`);
        continue;
      }
      const waits = before(address);
      for (const api of apis) {
        const service = serviceAddress(api);
        if (!service || !waits.has(service)) missing.push(`${address} → ${api}`);
      }
    }
    expect(missing).toEqual([]);
  });

  it('enables the APIs Terraform itself reads the project through', () => {
    const enabled = Object.values(resources(json, 'google_project_service')).map((s) => s.service);
    expect(enabled).toEqual(
      expect.arrayContaining([
        'cloudresourcemanager.googleapis.com',
        'serviceusage.googleapis.com',
      ]),
    );
    expect(enabled.sort()).toEqual([...REQUIRED_APIS].sort());
  });

  it('runs every function on a supported Node.js runtime (22 or newer)', () => {
    const runtimes = addresses('google_cloudfunctions2_function').map(
      (address) => (nodes.get(address)?.body.build_config as { runtime: string }).runtime,
    );
    expect(runtimes).toHaveLength(
      deployedFunctions({ decompressTopic: TEST_NAMES.decompressTopic }).length,
    );
    for (const runtime of runtimes) {
      expect(runtime).toMatch(/^nodejs\d+$/);
      expect(Number(runtime.slice('nodejs'.length))).toBeGreaterThanOrEqual(22);
    }
  });

  it('builds every function only after the build account’s documented grants, and a wait for IAM', () => {
    const build = account('chimera-build');
    const grants = grantsTo(build);
    const roles = grants.map((address) => nodes.get(address)?.body.role);
    // Google's documented role for a function's build account: fetch the source from
    // gcf-v2-sources-<number>-<region>, push the image, write the build log.
    expect(roles).toContain('roles/run.builder');
    for (const fn of addresses('google_cloudfunctions2_function')) {
      const body = nodes.get(fn)?.body as { build_config: { service_account: string } };
      expect(body.build_config.service_account).toBe(`\${${build}.name}`);
      const waits = before(fn);
      for (const grant of grants) expect(waits, `${fn} after ${grant}`).toContain(grant);
      const sleep = [...waits].find((address) => address.startsWith('time_sleep.'));
      expect(sleep, `${fn} waits for IAM to propagate`).toBeDefined();
      const sleepWaits = before(sleep ?? '');
      for (const grant of grants) expect(sleepWaits).toContain(grant);
    }
  });

  it('names the Eventarc destination by service name, and creates the trigger after its grants and agent', () => {
    const [trigger] = addresses('google_eventarc_trigger');
    const body = nodes.get(trigger ?? '')?.body as {
      destination: { cloud_run_service: { service: string } };
      service_account: string;
    };
    const service = body.destination.cloud_run_service.service;
    expect(service).not.toContain('/');
    expect(service).toBe(`\${${functionAddress('job-status')}.name}`);
    const waits = before(trigger ?? '');
    const events = account('chimera-events');
    expect(body.service_account).toBe(`\${${events}.email}`);
    const receiver = grantsTo(events).filter(
      (g) => nodes.get(g)?.body.role === 'roles/eventarc.eventReceiver',
    );
    const invoker = grantsTo(events).filter((g) => nodes.get(g)?.body.role === 'roles/run.invoker');
    expect(receiver).toHaveLength(1);
    expect(invoker).toHaveLength(1);
    for (const grant of [...receiver, ...invoker]) expect(waits).toContain(grant);
    const agent = addresses(
      'google_project_service_identity',
      (b) => b.service === 'eventarc.googleapis.com',
    );
    expect(agent).toHaveLength(1);
    expect(waits).toContain(agent[0]);
    expect([...waits].some((address) => address.startsWith('time_sleep.'))).toBe(true);
  });

  it('generates each Google service agent before any grant that names it', () => {
    const apiOfAgent: Record<string, string> = {
      'gcp-sa-pubsub': 'pubsub.googleapis.com',
      'gcp-sa-eventarc': 'eventarc.googleapis.com',
      'gcp-sa-monitoring-notification': 'monitoring.googleapis.com',
    };
    const naming = [...nodes.entries()].filter(([, node]) =>
      /@gcp-sa-[a-z-]+\.iam\.gserviceaccount\.com/.test(memberOf(node.body)),
    );
    expect(naming.length).toBeGreaterThanOrEqual(5);
    for (const [address, node] of naming) {
      const domain = /@(gcp-sa-[a-z-]+)\./.exec(memberOf(node.body))?.[1] ?? '';
      const api = apiOfAgent[domain];
      expect(api, `${address} names ${domain}`).toBeDefined();
      const identity = addresses('google_project_service_identity', (b) => b.service === api);
      expect(identity, `${api} agent is generated`).toHaveLength(1);
      expect(before(address), `${address} waits for ${domain}`).toContain(identity[0]);
      // The agent's email carries this project's number.
      expect(memberOf(node.body)).toContain(
        `service-\${data.google_project.${Object.keys(json.data?.google_project ?? {})[0]}.number}@`,
      );
    }
  });

  it('creates alert policies on log-based metrics only after the ten minutes Monitoring may take', () => {
    const metrics = addresses('google_logging_metric');
    expect(metrics).toHaveLength(2);
    const onMetrics = addresses('google_monitoring_alert_policy', (b) =>
      JSON.stringify(b).includes('logging.googleapis.com/user/'),
    );
    expect(onMetrics).toHaveLength(2);
    for (const policy of onMetrics) {
      const waits = before(policy);
      const metric = metrics.find((m) => JSON.stringify(nodes.get(policy)?.body).includes(m));
      expect(metric, `${policy} reads a metric of the stack`).toBeDefined();
      const sleeps = [...waits].filter((address) => {
        const sleep = nodes.get(address);
        return (
          sleep?.type === 'time_sleep' &&
          Number.parseInt(String(sleep.body.create_duration), 10) >= 600 &&
          before(address).has(metric ?? '')
        );
      });
      expect(sleeps, `${policy} waits 600 s after ${metric}`).toHaveLength(1);
    }
  });

  it('lets the pipeline read source buckets anywhere: bucket metadata as well as objects', () => {
    // Permissions of the predefined roles used on buckets (Cloud Storage's IAM roles).
    const PERMISSIONS: Record<string, string[]> = {
      'roles/storage.objectViewer': ['storage.objects.get', 'storage.objects.list'],
      'roles/storage.objectUser': [
        'storage.objects.get',
        'storage.objects.list',
        'storage.objects.create',
        'storage.objects.delete',
      ],
      'roles/storage.legacyBucketReader': ['storage.buckets.get', 'storage.objects.list'],
    };
    const may = (bucket: string, who: string) =>
      Object.values(resources(json, 'google_storage_bucket_iam_member'))
        .filter(
          (g) => g.bucket === bucket && String(g.member).includes(`\${${account(who)}.email}`),
        )
        .flatMap((g) => PERMISSIONS[String(g.role)] ?? [`unknown role ${String(g.role)}`]);
    for (const bucket of TEST_ENV.CHIMERA_SOURCE_BUCKETS.split(',')) {
      expect(may(bucket, 'chimera-fn-pipeline-api')).toEqual(
        expect.arrayContaining([
          'storage.buckets.get',
          'storage.objects.list',
          'storage.objects.get',
        ]),
      );
      expect(may(bucket, 'chimera-fn-decompress')).toEqual(
        expect.arrayContaining(['storage.objects.get']),
      );
      for (const who of ['chimera-fn-pipeline-api', 'chimera-fn-decompress']) {
        expect(may(bucket, who).filter((p) => /create|delete|update/.test(p))).toEqual([]);
      }
    }
    expect(json.output.source_readers).toBeDefined();
  });
});

describe('the workflow’s calls', () => {
  /** Every `call: http.*` step in a parsed YAML document, with its path. */
  function httpCalls(value: unknown, path = ''): { path: string; args: Resource }[] {
    if (Array.isArray(value)) return value.flatMap((item, i) => httpCalls(item, `${path}[${i}]`));
    if (typeof value !== 'object' || value === null) return [];
    const map = value as Resource;
    const own =
      typeof map.call === 'string' && map.call.startsWith('http.')
        ? [{ path, args: (map.args ?? {}) as Resource }]
        : [];
    return [
      ...own,
      ...Object.entries(map).flatMap(([key, inner]) => httpCalls(inner, `${path}.${key}`)),
    ];
  }

  const workflow = () =>
    Object.values(resources(json, 'google_workflows_workflow'))[0] as {
      source_contents: string;
      user_env_vars: Record<string, string>;
    };

  /** `https://<function>-<project number>.<region>.run.app` for every deployed function. */
  const rootUrls = () => {
    const project = Object.keys(json.data?.google_project ?? {})[0];
    return Object.values(resources(json, 'google_cloudfunctions2_function')).map(
      (fn) =>
        `https://${String(fn.name)}-\${data.google_project.${project}.number}.${TEST_ENV.CHIMERA_REGION}.run.app`,
    );
  };

  it('authenticate every http call with OIDC and an explicit audience', () => {
    const calls = httpCalls(parseYaml(workflow().source_contents));
    expect(calls.length).toBeGreaterThanOrEqual(3);
    for (const call of calls) {
      expect(call.args.auth, call.path).toMatchObject({ type: 'OIDC' });
      expect((call.args.auth as Resource).audience, call.path).toBeTruthy();
    }
  });

  it('go to a function’s root URL, with that root URL as audience, as deployed', async () => {
    const { source_contents: source, user_env_vars: userEnv } = workflow();
    const roots = rootUrls();
    expect(userEnv.CHIMERA_WORKFLOW_CALLBACK_URL).toBe(
      roots.find((root) => root.startsWith('https://pipeline-workflow-')),
    );
    const requests: WorkflowHttpRequest[] = [];
    const answer = (request: WorkflowHttpRequest): Promise<WorkflowHttpResponse> => {
      requests.push(request);
      const body = request.url.endsWith('/progress')
        ? { cancelled: false, done: true, terminal: 1 }
        : request.url.includes('/pages/')
          ? { cancelled: false, messages: [], next: null }
          : { status: 'completed' };
      return Promise.resolve({ code: 200, headers: { 'content-type': 'application/json' }, body });
    };
    const environment = fakeEnvironment(answer);
    environment.env = { ...environment.env, projectId: TEST_ENV.CHIMERA_PROJECT, user: userEnv };
    const callbacks = userEnv.CHIMERA_WORKFLOW_CALLBACK_URL ?? '';
    await runWorkflow(
      parseWorkflow(source),
      {
        jobId: 'job-1',
        jobUrl: `${callbacks}/jobs/job-1`,
        topic: `projects/${TEST_ENV.CHIMERA_PROJECT}/topics/${TEST_NAMES.decompressTopic}`,
        pages: 1,
        maxConcurrency: 0,
        pollSeconds: 1,
        timeoutSeconds: 60,
      },
      environment,
    );
    expect(requests.length).toBeGreaterThanOrEqual(3);
    for (const request of requests) {
      const audience = request.auth?.audience ?? '';
      expect(request.auth?.type).toBe('OIDC');
      expect(roots).toContain(audience);
      expect(request.url.startsWith(`${audience}/`)).toBe(true);
    }
  });
});

describe('the deployment’s smaller settings', () => {
  it('keeps Terraform state in Cloud Storage when given a bucket, else in a file beside the stack', async () => {
    expect(json.terraform).toMatchObject({
      backend: { local: { path: 'terraform.tfstate' } },
    });
    const remote: Json = await synthStack({
      CHIMERA_STATE_BUCKET: 'my-tf-state',
      CHIMERA_STATE_PREFIX: 'envs/prod',
    });
    expect(remote.terraform?.backend).toEqual({
      gcs: { bucket: 'my-tf-state', prefix: 'envs/prod' },
    });
  }, 60_000);

  it('adopts an existing (default) Firestore database with an import block when told it exists', async () => {
    expect(json.import).toBeUndefined();
    const adopted: Json = await synthStack({ CHIMERA_FIRESTORE_EXISTS: 'true' });
    const [database] = Object.keys(resources(adopted, 'google_firestore_database'));
    expect(adopted.import).toEqual([
      {
        to: `google_firestore_database.${database}`,
        id: `projects/${TEST_ENV.CHIMERA_PROJECT}/databases/(default)`,
      },
    ]);
  }, 60_000);

  it('lets the recorder create secrets only under its own names (an IAM condition)', () => {
    const roles = Object.entries(resources(json, 'google_project_iam_custom_role'));
    const [creator] = roles.filter(([, role]) =>
      JSON.stringify(role.permissions).includes('secretmanager.secrets.create'),
    );
    expect(creator?.[1].permissions).toEqual(['secretmanager.secrets.create']);
    const grants = Object.values(resources(json, 'google_project_iam_member')).filter(
      (grant) => grant.role === `\${google_project_iam_custom_role.${creator?.[0]}.name}`,
    );
    expect(grants).toHaveLength(1);
    const project = Object.keys(json.data?.google_project ?? {})[0];
    expect(grants[0]?.condition).toMatchObject({
      expression: `resource.name.startsWith("projects/\${data.google_project.${project}.number}/secrets/chimera-recorder-")`,
    });
    expect(String(grants[0]?.member)).toContain(account('chimera-fn-recorder-api'));
  });

  it('turns bucket creation off in every function, since none may create buckets', () => {
    for (const fn of Object.values(resources(json, 'google_cloudfunctions2_function'))) {
      const env = (fn.service_config as { environment_variables: Record<string, string> })
        .environment_variables;
      expect(env.CHIMERA_BUCKET_CREATION).toBe('false');
    }
    const creators = [...nodes.values()].filter((node) =>
      JSON.stringify(node.body).includes('storage.buckets.create'),
    );
    expect(creators).toEqual([]);
  });
});
