import { GoogleProvider } from '@cdktf/provider-google/lib/provider/index.js';
import { TerraformStack } from 'cdktf';
import type { Construct } from 'constructs';
import type { FunctionSpec } from '../shared/platform/functions.js';
import type { SourceArchive } from './bundling/archives.js';
import { FirestoreTrigger } from './constructs/events.js';
import { Documents } from './constructs/firestore.js';
import { Functions } from './constructs/functions.js';
import { Identities } from './constructs/iam.js';
import { Invokers, invokerGrants } from './constructs/invokers.js';
import { Messaging } from './constructs/messaging.js';
import { Alerts } from './constructs/monitoring.js';
import { StackOutputs } from './constructs/outputs.js';
import { ScheduledCall } from './constructs/scheduler.js';
import { BetfairSecrets } from './constructs/secrets.js';
import { ProjectServices } from './constructs/services.js';
import { Storage } from './constructs/storage.js';
import { JobWorkflow } from './constructs/workflow.js';
import { functionEnvironment } from './environment.js';
import { pipelineApiUrl, type ResourceNames } from './names.js';
import type { StackOptions } from './options.js';
import { sizing } from './sizing.js';

/** Everything the stack is made from; all of it is known before synthesis starts. */
export interface ChimeraStackProps {
  options: StackOptions;
  names: ResourceNames;
  /** deployedFunctions(...) for the same names. */
  functions: readonly FunctionSpec[];
  /** A source archive per function name. */
  archives: Record<string, SourceArchive>;
  /** workflows/decompress-job.yaml as text. */
  workflowSource: string;
  /** Secret Manager ids the recorder reads its Betfair credentials from. */
  secretIds: readonly string[];
}

/** The whole of CHIMERA on Google Cloud, in one stack. */
export class ChimeraStack extends TerraformStack {
  constructor(scope: Construct, id: string, props: ChimeraStackProps) {
    super(scope, id);
    const { options, names } = props;
    const { project, region } = options;
    new GoogleProvider(this, 'google', { project, region });
    const apis = new ProjectServices(this, 'apis', project).enabled;
    const identities = new Identities(
      this,
      'identities',
      project,
      props.functions.map((f) => f.name),
    );
    const storage = new Storage(this, 'storage', options, identities, props.archives);
    const documents = new Documents(this, 'firestore', project, options.firestoreLocation);
    const functions = new Functions(this, 'functions', {
      project,
      region,
      specs: props.functions,
      sizing: sizing(options),
      environment: functionEnvironment(options, names),
      sourcesBucket: storage.sourcesBucket,
      sourceObject: storage.sourceObject,
      identities,
      dependsOn: [...apis, documents.database],
    });
    new Invokers(this, 'invokers', functions, invokerGrants(identities, options));
    new Messaging(this, 'messaging', project, names, identities, {
      uri: functions.get('decompress').serviceConfig.uri,
    });
    this.#triggers(props, functions, identities, documents, apis);
    new JobWorkflow(this, 'workflow', {
      project,
      region,
      name: names.workflow,
      source: props.workflowSource,
      serviceAccountEmail: identities.email.workflow ?? '',
      dependsOn: apis,
    });
    new BetfairSecrets(this, 'secrets', project, props.secretIds, identities, apis);
    new Alerts(this, 'alerts', {
      project,
      region,
      subscription: names.decompressSubscription,
      alertEmail: options.alertEmail,
      dependsOn: [...apis, functions.get('recorder-api')],
    });
    new StackOutputs(this, 'outputs', functions, {
      pipelineApiUrl: pipelineApiUrl(options),
      targetBucket: options.targetBucket,
      recorderBucket: options.recorderBucket,
      deadLetters: names.deadLetterSubscription,
    });
  }

  /** The Firestore trigger and the scheduled calls, from each function's declared trigger. */
  #triggers(
    props: ChimeraStackProps,
    functions: Functions,
    identities: Identities,
    documents: Documents,
    apis: ProjectServices['enabled'],
  ): void {
    const { project, region, firestoreLocation } = props.options;
    for (const spec of props.functions) {
      const trigger = spec.trigger;
      if (trigger.kind === 'firestore') {
        new FirestoreTrigger(this, `${spec.name}-trigger`, {
          project,
          location: firestoreLocation,
          database: documents.database.name,
          document: trigger.document,
          target: functions.get(spec.name),
          serviceAccountEmail: identities.email.events ?? '',
          dependsOn: apis,
        });
      } else if (trigger.kind === 'scheduled') {
        new ScheduledCall(this, `${spec.name}-schedule`, {
          project,
          region,
          spec: { ...spec, trigger },
          target: functions.get(spec.name),
          serviceAccountEmail: identities.email.scheduler ?? '',
          dependsOn: apis,
        });
      }
    }
  }
}
