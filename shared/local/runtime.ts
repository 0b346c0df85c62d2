import path from 'node:path';
import express from 'express';
import { setTimeout as delay } from 'node:timers/promises';
import type { Config } from '../platform/config.js';
import { type FunctionSpec, deployedFunctions } from '../platform/functions.js';
import { AppError, echo } from '../platform/errors.js';
import { errorResponder } from '../platform/http.js';
import { logAt, type Logger } from '../platform/logging.js';
import { createFirestore } from '../platform/platform.js';
import { jobWorkflowEnv, WORKFLOW_CALLBACK_FUNCTION } from '../pipeline/job-workflow.js';
import { FirestoreJobStore } from '../pipeline/firestore/job-store.js';
import { resumeJobs } from '../pipeline/resume.js';
import { FINAL_JOB_STATUSES } from '../pipeline/stores.js';
import { LocalLayout } from './adapters/object-files.js';
import { startFirestoreEmulator, type EmbeddedFirestore } from './firestore-emulator.js';
import { lockDataDir, removeDeadTempFiles, removeOrphanParts } from './recovery.js';
import { cloudEventSender } from './pubsub/http-delivery.js';
import {
  newRunToken,
  removeRunToken,
  RUN_TOKEN_HEADER,
  runTokenHeaders,
  writeRunToken,
} from './run-token.js';
import { FirestoreTrigger } from './firestore-trigger/firestore-trigger.js';
import { PROJECT_ROOT, Gateway } from './gateway.js';
import {
  forwardedRoutes,
  type FunctionHost,
  hostGroups,
  startFunctionHost,
} from './function-host.js';
import { busApi, LocalPubSub } from './pubsub/bus.js';
import { DeliveryQueue, type PendingDelivery } from './pubsub/delivery-queue.js';
import { LocalScheduler } from './scheduler.js';
import { startExchangeSimulator, type ExchangeSimulator } from './simulator/server.js';
import {
  executionsApi,
  workflowHttp,
  LocalWorkflowExecutions,
} from './workflows/local-executions.js';
import type { WorkflowHttpRequest } from './workflows/runtime.js';

/** The start-up text: what listens where, and where data lives. */
export function describeRuntime(runtime: LocalRuntime): string {
  const rows: [string, string][] = [
    ['gateway', runtime.url],
    ['health', `${runtime.url}/health`],
    ...runtime.functions.map((spec): [string, string] => [
      spec.name,
      describeTrigger(spec, runtime.url),
    ]),
    [
      'firestore',
      `${runtime.firestore.host} (embedded emulator, journaled to ${path.join(path.dirname(runtime.bucketsDir), 'firestore')})`,
    ],
    ['buckets', runtime.bucketsDir],
    [
      'exchange',
      runtime.simulator
        ? `${runtime.simulator.url} (built-in Betfair simulator)`
        : 'Betfair (configured)',
    ],
    ['dead letters', `${runtime.url}/v1/local/deadletters (header ${RUN_TOKEN_HEADER})`],
    ['run token', `${runtime.runTokenFile} (for the /v1 endpoints; new every start)`],
  ];
  const width = Math.max(...rows.map(([label]) => label.length));
  const lines = rows.map(([label, value]) => `  ${label.padEnd(width)}  ${value}`);
  const warning = isLoopback(runtime.host)
    ? []
    : [
        `WARNING: listening on ${runtime.host}, not only 127.0.0.1: anyone who can reach this ` +
          'machine can read and change its jobs, buckets and recorder (HOST is set).',
      ];
  return ['CHIMERA local runtime', ...lines, ...warning, 'Press Ctrl-C to stop.', ''].join('\n');
}

/** Whether an address is reachable only from this machine. */
export function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || /^127\./.test(host);
}

function describeTrigger(spec: FunctionSpec, url: string): string {
  const trigger = spec.trigger;
  switch (trigger.kind) {
    case 'http':
      if (trigger.internal) return `HTTP ${url}/${spec.name}/ (internal: needs the run token)`;
      return `HTTP ${url}/${spec.name}/ and ${trigger.routes.join(', ')}`;
    case 'pubsub':
      return `Pub/Sub topic ${trigger.topic}`;
    case 'firestore':
      return `Firestore trigger on ${trigger.event} ${trigger.document}`;
    case 'scheduled':
      return `scheduled "${trigger.schedule}" (${trigger.timeZone})`;
  }
}

/** A running embedded runtime. */
export interface LocalRuntime {
  url: string;
  /** The address the gateway listens on (HOST). */
  host: string;
  /** The per-run token the runtime's own components send; `/v1/…` requires it. */
  runToken: string;
  /** Where the token is written for a person (mode 0600), removed at stop. */
  runTokenFile: string;
  firestore: EmbeddedFirestore;
  bus: LocalPubSub;
  queue: DeliveryQueue;
  executions: LocalWorkflowExecutions;
  scheduler: LocalScheduler;
  gateway: Gateway;
  /** Absolute folder holding the buckets. */
  bucketsDir: string;
  functions: readonly FunctionSpec[];
  /** The function host processes, with the functions each serves. */
  hosts: readonly { functions: string[]; host: FunctionHost }[];
  /** The exchange simulator the recorder polls, when no Betfair account is configured. */
  simulator?: ExchangeSimulator;
  /**
   * Stops taking work, gives deliveries in flight a few seconds to finish, releases every port,
   * and returns what was left undelivered (also logged, with counts by subscription).
   */
  stop(): Promise<PendingDelivery[]>;
}

export interface LocalRuntimeOptions {
  logger: Logger;
  /**
   * Record from the built-in exchange simulator (default: when no Betfair app key is set) or
   * from the configured Betfair endpoints.
   */
  exchange?: 'simulator' | 'configured';
  functions?: readonly FunctionSpec[];
  workflowsDir?: string;
  /** Where `<name>/index.ts` entry files live (default `functions/`). */
  functionsDir?: string;
  /** Which functions share a host process (default hostGroups: each event-driven one apart). */
  groupFunctions?: (functions: readonly FunctionSpec[]) => FunctionSpec[][];
  /** How long a stop waits for deliveries in flight (default STOP_GRACE_MS). */
  stopGraceMs?: number;
}

/**
 * Boots every stand-in on one machine: the gateway first (so `/health` answers early), the
 * Firestore emulator, then each function, wired to the bus, the trigger and the scheduler.
 * One runtime per process: functions build their clients once, when first loaded, as warm
 * cloud instances do, so a second runtime would find them bound to the first.
 */
export async function startLocalRuntime(
  config: Config,
  options: LocalRuntimeOptions,
): Promise<LocalRuntime> {
  const { logger } = options;
  const functions = options.functions ?? deployedFunctions(config);
  const runToken = newRunToken();
  const gateway = new Gateway({ runToken, allowedHosts: config.allowedHosts, logger });
  const releaseDataDir = await lockDataDir(config.dataDir);
  const removedTemp = await removeDeadTempFiles(new LocalLayout(config.dataDir).tempDir);
  if (removedTemp > 0) logger.info('removed temp files of an interrupted run', { removedTemp });
  const url = await gateway.listen(config.port, config.host);
  const runTokenFile = await writeRunToken(config.dataDir, runToken);
  const firestore = await startFirestoreEmulator({
    dataDir: config.dataDir,
    logger: logger.child({ component: 'firestore' }),
  });
  const useSimulator =
    (options.exchange ?? (config.recorder.appKey ? 'configured' : 'simulator')) === 'simulator';
  const simulator = useSimulator ? await startExchangeSimulator() : undefined;
  exportFunctionEnvironment(config, url, firestore.host, simulator);

  const workflowLogger = logger.child({ component: 'workflows' });
  const queue = new DeliveryQueue({
    policy: config.bus,
    logger: logger.child({ component: 'bus' }),
    send: cloudEventSender(runTokenHeaders(runToken)),
  });
  const bus = new LocalPubSub({ projectId: config.projectId, queue });
  const executions = new LocalWorkflowExecutions({
    workflowsDir: options.workflowsDir ?? path.join(PROJECT_ROOT, 'workflows'),
    projectId: config.projectId,
    location: config.region,
    logger: workflowLogger,
    // As the stack sets on the cloud workflow: it may call only this gateway's callback function.
    userEnv: jobWorkflowEnv({
      callbackUrl: `${url}/${WORKFLOW_CALLBACK_FUNCTION}`,
      decompressTopic: config.decompressTopic,
    }),
    environment: {
      http: (request) => workflowHttp(withRunToken(request, url, runToken)),
      publish: (topic, messages) =>
        bus.publish(
          topic,
          messages.map((m) => ({ data: Buffer.from(m.data, 'base64'), attributes: m.attributes })),
        ),
      sleep: (ms, signal) => delay(ms, undefined, { signal }),
      log: (severity, payload) => logAt(workflowLogger, severity, 'sys.log', { payload }),
      now: () => Date.now(),
    },
  });

  gateway.add({
    prefix: '/v1',
    strip: false,
    target: 'runtime',
    handle: runtimeApi(bus, queue, executions, logger),
    access: 'runtime',
    httpFunction: false,
    maxBodyBytes: RUNTIME_API_MAX_BODY_BYTES,
  });
  const groups = (options.groupFunctions ?? hostGroups)(functions);
  const hosts = await Promise.all(
    groups.map((group) =>
      startFunctionHost({
        functions: group,
        functionsDir: options.functionsDir,
        runToken,
        allowedHosts: config.allowedHosts,
        logLevel: config.logLevel,
        logger,
      }),
    ),
  );
  const hostOf = (spec: FunctionSpec) => hosts[groups.findIndex((group) => group.includes(spec))]!;
  for (const spec of functions) gateway.add(...forwardedRoutes(spec, hostOf(spec)));
  const functionUrl = (spec: FunctionSpec) => `${hostOf(spec).url}/${spec.name}`;

  // Events and schedules go straight to the function's host, as the cloud pushes to a
  // function's own URL; people and the workflows come through the gateway.
  const triggers = functions.flatMap((spec) =>
    spec.trigger.kind === 'firestore'
      ? [
          {
            name: spec.name,
            document: spec.trigger.document,
            eventType: spec.trigger.event,
            url: functionUrl(spec),
          },
        ]
      : [],
  );
  const trigger = new FirestoreTrigger({
    server: firestore.server,
    projectId: config.projectId,
    queue,
    triggers,
    logger,
  });
  trigger.start(firestore.documents());
  for (const spec of functions) {
    if (spec.trigger.kind === 'pubsub') {
      bus.subscribe(spec.trigger.topic, { name: `${spec.name}-push`, url: functionUrl(spec) });
    }
  }
  const scheduler = new LocalScheduler({
    logger: logger.child({ component: 'scheduler' }),
    jobs: functions.flatMap((spec) =>
      spec.trigger.kind === 'scheduled'
        ? [
            {
              name: spec.name,
              schedule: spec.trigger.schedule,
              timeZone: spec.trigger.timeZone,
              url: functionUrl(spec),
              headers: runTokenHeaders(runToken),
            },
          ]
        : [],
    ),
  });
  scheduler.start();
  gateway.markReady();
  const recovered = recoverJobs({ config, firestore, executions, logger });

  const stop = async () => {
    await recovered;
    await scheduler.stop();
    trigger.stop();
    await executions.close();
    const undelivered = await queue.close(options.stopGraceMs ?? STOP_GRACE_MS);
    reportUndelivered(logger, undelivered, queue.stats().deadLettered);
    await gateway.close();
    await Promise.all(hosts.map((host) => host.stop()));
    await simulator?.close();
    await firestore.stop();
    await removeRunToken(config.dataDir);
    await releaseDataDir();
    return undelivered;
  };
  return {
    url,
    host: config.host,
    runToken,
    runTokenFile,
    firestore,
    bus,
    queue,
    executions,
    scheduler,
    gateway,
    functions,
    hosts: hosts.map((host, i) => ({ functions: groups[i]!.map((spec) => spec.name), host })),
    stop,
    simulator,
    bucketsDir: path.resolve(config.dataDir, 'buckets'),
  };
}

/**
 * After a restart: jobs whose workflow executions died with the previous run start new ones,
 * and parts no running job owns are removed. Runs once the gateway serves, as the workflows
 * call it; never fails the start (what it could not do is logged, and the job failed).
 */
async function recoverJobs(deps: {
  config: Config;
  firestore: EmbeddedFirestore;
  executions: LocalWorkflowExecutions;
  logger: Logger;
}): Promise<void> {
  const { config, logger } = deps;
  const db = createFirestore({
    projectId: config.projectId,
    firestoreEmulatorHost: deps.firestore.host,
  });
  try {
    const jobStore = new FirestoreJobStore(db);
    const report = await resumeJobs({
      config,
      jobStore,
      executions: deps.executions,
      logger,
      now: () => new Date(),
    });
    const removed = await removeOrphanParts(
      path.resolve(config.dataDir, 'buckets'),
      async (jobId) =>
        jobStore.get(jobId).then(
          (job) => !FINAL_JOB_STATUSES.includes(job.status),
          () => false,
        ),
    );
    if (report.resumed.length + report.failed.length + removed.length > 0) {
      logger.info('recovered from the previous run', { ...report, removedParts: removed });
    }
  } catch (error) {
    logger.error('recovery after a restart failed', { error: String(error) });
  } finally {
    await db.terminate();
  }
}

/** Pub/Sub accepts 10 MB a publish request; base64 in JSON makes that about 14 MB. */
const RUNTIME_API_MAX_BODY_BYTES = 14 * 1024 * 1024;

/** How long a stop waits for deliveries in flight before abandoning them (still reported). */
const STOP_GRACE_MS = 5000;

/**
 * A workflow's HTTP call, with the run token added when it goes to this runtime's own gateway
 * (the job workflow calls the pipeline API there); no other address ever sees the token.
 */
function withRunToken(
  request: WorkflowHttpRequest,
  url: string,
  token: string,
): WorkflowHttpRequest {
  const own = URL.canParse(request.url) && new URL(request.url).origin === new URL(url).origin;
  return own ? { ...request, headers: { ...request.headers, ...runTokenHeaders(token) } } : request;
}

/** Logs what a stop left undelivered: how many, and for which subscriptions and triggers. */
function reportUndelivered(
  logger: Logger,
  undelivered: readonly PendingDelivery[],
  deadLettered: number,
): void {
  const byName: Record<string, number> = {};
  for (const { name } of undelivered) byName[name] = (byName[name] ?? 0) + 1;
  const fields = { undelivered: undelivered.length, byName, deadLettered };
  if (undelivered.length === 0) logger.info('every delivery finished before the stop', fields);
  else logger.warn('deliveries left undelivered at the stop; they are not kept', fields);
}

/** The runtime's own REST endpoints: Pub/Sub publish, dead letters, workflow executions. */
function runtimeApi(
  bus: LocalPubSub,
  queue: DeliveryQueue,
  executions: LocalWorkflowExecutions,
  logger: Logger,
) {
  const app = express();
  app.use(busApi(bus, queue));
  app.use(executionsApi(executions));
  app.use((req, _res, next) => {
    next(
      new AppError('REQUEST.NO_ROUTE', 'not_found', `No route for ${req.method} ${echo(req.path)}`),
    );
  });
  app.use(errorResponder(logger));
  return app;
}

/**
 * Functions read their settings from the environment at load, as they do in the cloud, so
 * the runtime sets the variables the platform would: where the emulator and the runtime are.
 */
function exportFunctionEnvironment(
  config: Config,
  url: string,
  firestoreHost: string,
  simulator: ExchangeSimulator | undefined,
): void {
  const exchange = simulator && {
    BETFAIR_API_URL: `${simulator.url}/exchange/betting/json-rpc/v1`,
    BETFAIR_IDENTITY_URL: `${simulator.identityUrl}/api`,
    BETFAIR_APP_KEY: simulator.appKey,
    BETFAIR_SSOID: simulator.sessionToken,
    RECORDER_AUTOSTART: 'true',
  };
  // eslint-disable-next-line no-restricted-syntax -- the runtime plays the platform here
  Object.assign(process.env, {
    ...exchange,
    CHIMERA_MODE: 'local',
    LOG_LEVEL: config.logLevel,
    FRONTEND_URL: config.frontendUrls.join(','),
    // The job workflow's poll interval is set by the pipeline API, which reads it at load.
    JOB_POLL_SECONDS: String(config.jobs.pollSeconds),
    DECOMPRESS_FILES_PER_MESSAGE: String(config.decompressFilesPerMessage),
    GOOGLE_CLOUD_PROJECT: config.projectId,
    CHIMERA_DATA_DIR: path.resolve(config.dataDir),
    CHIMERA_LOCAL_URL: url,
    FIRESTORE_EMULATOR_HOST: firestoreHost,
  });
}
