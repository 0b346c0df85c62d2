import type { Config } from './config.js';

/**
 * Every deployable function and how it is triggered: the one list that the embedded runtime
 * serves locally and the cdktf stack deploys. A function's entry file lives in
 * `functions/<name>/index.ts` and registers a handler under the same name.
 */
export type Trigger =
  | {
      kind: 'http';
      /** Path prefixes the local gateway routes to this function (besides `/<name>/…`). */
      routes: readonly string[];
      /**
       * Called only by the deployment's own parts, never by users: no invoker but its caller
       * in the cloud, and locally only requests carrying the run token.
       */
      internal?: boolean;
    }
  | { kind: 'pubsub'; topic: string }
  /** Changes of documents matching `document` (a path pattern), of kind `event`. */
  | { kind: 'firestore'; document: string; event: DocumentEventKind }
  | { kind: 'scheduled'; schedule: string; timeZone: string };

/** Firestore's Eventarc event kinds; `written` covers the other three. */
export const DOCUMENT_EVENT_KINDS = ['written', 'created', 'updated', 'deleted'] as const;
export type DocumentEventKind = (typeof DOCUMENT_EVENT_KINDS)[number];

export interface FunctionSpec {
  name: string;
  trigger: Trigger;
}

/** Whether events (Pub/Sub messages, Firestore document changes) call the function. */
export function isEventDriven(spec: FunctionSpec): boolean {
  return spec.trigger.kind === 'pubsub' || spec.trigger.kind === 'firestore';
}

/** The settings that name the resources functions are wired to. */
export type DeploymentNames = Pick<Config, 'decompressTopic'>;

/** The functions of CHIMERA, wired to the resources `names` gives. */
export function deployedFunctions(names: DeploymentNames): readonly FunctionSpec[] {
  return [
    {
      name: 'pipeline-api',
      trigger: {
        kind: 'http',
        routes: ['/health', '/api/plugins', '/api/gcp', '/api/pipeline', '/api/markets'],
      },
    },
    // The job workflow's callbacks (plan pages, progress, finalize, failure): internal.
    { name: 'pipeline-workflow', trigger: { kind: 'http', routes: [], internal: true } },
    { name: 'decompress', trigger: { kind: 'pubsub', topic: names.decompressTopic } },
    { name: 'feed', trigger: { kind: 'http', routes: ['/api/feed', '/exchange'] } },
    {
      name: 'job-status',
      // One event per commit of file outcomes, not per file: the work orders' notices
      // (OrderNotice in pipeline/job-model.ts). Starting files change no total and no stage
      // (the workflow's first page began the stages), so they are no event to pay for.
      trigger: {
        kind: 'firestore',
        document: 'dataflow-jobs/{jobId}/orders/{orderId}',
        event: 'written',
      },
    },
    {
      name: 'recorder-api',
      trigger: {
        kind: 'http',
        routes: [
          '/api/health',
          '/api/keepalive',
          '/api/config',
          '/api/validate-session',
          '/api/test-gcs',
          '/api/recorder',
          '/api/state',
          '/api/debug',
        ],
      },
    },
    // The browser console: its page and built assets; every call it makes goes to the APIs above.
    { name: 'web', trigger: { kind: 'http', routes: ['/', '/assets'] } },
    {
      name: 'recorder-poll',
      trigger: { kind: 'scheduled', schedule: '* * * * *', timeZone: 'Etc/UTC' },
    },
  ];
}
