import { GoogleProvider } from '@cdktf/provider-google/lib/provider/index.js';
import { TimeProvider } from '@cdktf/provider-time/lib/provider/index.js';
import { Sleep } from '@cdktf/provider-time/lib/sleep/index.js';
import { GcsBackend, LocalBackend, TerraformStack } from 'cdktf';
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
import { ServiceAgents } from './constructs/service-agents.js';
import { ProjectServices } from './constructs/services.js';
import { Storage } from './constructs/storage.js';
import { Warehouse, WAREHOUSE_LOADER } from './constructs/warehouse.js';
import { JobWorkflow } from './constructs/workflow.js';
import { jobWorkflowEnv, WORKFLOW_CALLBACK_FUNCTION } from '../shared/pipeline/job-workflow.js';
import { functionEnvironment } from './environment.js';
import { functionRootUrl, type ResourceNames } from './names.js';
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

/**
 * How long functions and the Eventarc trigger wait after the grants they need: IAM changes
 * usually take effect within two minutes (Google's IAM documentation; sometimes longer), and a
 * build or a trigger that starts before its account's grants are visible fails.
 */
export const IAM_PROPAGATION_DELAY = '120s';

/** The whole of CHIMERA on Google Cloud, in one stack. */
export class ChimeraStack extends TerraformStack {
  constructor(scope: Construct, id: string, props: ChimeraStackProps) {
    super(scope, id);
    const { options, names } = props;
    const { project, region } = options;
    new GoogleProvider(this, 'google', { project, region });
    new TimeProvider(this, 'time');
    if (options.state) new GcsBackend(this, options.state);
    // Relative to the stack's folder (cdktf.out/stacks/chimera), wherever the checkout is.
    else new LocalBackend(this, { path: 'terraform.tfstate' });
    const services = new ProjectServices(this, 'apis', project);
    services.orderAfterApis(this);
    const identities = new Identities(
      this,
      'identities',
      project,
      props.functions.map((f) => f.name),
    );
    const projectNumber = identities.project.number;
    const agents = new ServiceAgents(this, 'service-agents', {
      project,
      region,
      projectNumber,
      services,
    });
    const storage = new Storage(this, 'storage', options, identities, props.archives);
    const documents = new Documents(this, 'firestore', project, options.firestoreLocation, {
      adopt: options.firestoreExists,
    });
    // Every account's project grants (the build account's above all) and the Eventarc agent,
    // given time to propagate before anything runs as them.
    const grants = [...identities.allProjectGrants, ...agents.eventarcReady];
    const iamReady = new Sleep(this, 'iam-propagation', {
      createDuration: IAM_PROPAGATION_DELAY,
      dependsOn: grants,
      triggers: Object.fromEntries(
        grants.map((grant) => [grant.friendlyUniqueId, grant.getStringAttribute('id')]),
      ),
    });
    const functions = new Functions(this, 'functions', {
      project,
      region,
      specs: props.functions,
      sizing: sizing(options),
      environment: functionEnvironment(options, names, projectNumber),
      options,
      sourcesBucket: storage.sourcesBucket,
      sourceObject: storage.sourceObject,
      identities,
      dependsOn: [iamReady, documents.database],
    });
    const invokers = new Invokers(
      this,
      'invokers',
      functions,
      invokerGrants(identities, agents, options),
    );
    new Messaging(this, 'messaging', project, names, identities, agents, {
      uri: functions.get('decompress').serviceConfig.uri,
    });
    this.#triggers(props, { functions, identities, agents, documents, invokers, iamReady });
    const pipelineApi = functionRootUrl('pipeline-api', region, projectNumber);
    new JobWorkflow(this, 'workflow', {
      project,
      region,
      name: names.workflow,
      source: props.workflowSource,
      serviceAccountEmail: identities.email.workflow ?? '',
      environment: jobWorkflowEnv({
        callbackUrl: functionRootUrl(WORKFLOW_CALLBACK_FUNCTION, region, projectNumber),
        decompressTopic: names.decompressTopic,
      }),
      dependsOn: [],
    });
    new BetfairSecrets(this, 'secrets', project, props.secretIds, identities);
    const warehouse = new Warehouse(this, 'warehouse', {
      project,
      datasets: options.warehouseDatasets,
      location: options.warehouseLocation,
      identities,
    });
    new Alerts(this, 'alerts', {
      project,
      region,
      subscription: names.decompressSubscription,
      alertEmail: options.alertEmail,
      dependsOn: [functions.get('recorder-api'), ...invokers.on('recorder-api')],
    });
    new StackOutputs(this, 'outputs', functions, {
      pipelineApiUrl: pipelineApi,
      targetBucket: options.targetBucket,
      recorderBucket: options.recorderBucket,
      deadLetters: names.deadLetterSubscription,
      sourceReaders: [identities.member('pipeline-api'), identities.member('decompress')],
      warehouseDataset: `${project}:${warehouse.datasets[0]!.datasetId}`,
      warehouseLoader: identities.member(WAREHOUSE_LOADER),
    });
  }

  /** The Firestore trigger and the scheduled calls, from each function's declared trigger. */
  #triggers(
    props: ChimeraStackProps,
    parts: {
      functions: Functions;
      identities: Identities;
      agents: ServiceAgents;
      documents: Documents;
      invokers: Invokers;
      iamReady: Sleep;
    },
  ): void {
    const { project, region, firestoreLocation } = props.options;
    const { functions, identities, invokers } = parts;
    for (const spec of props.functions) {
      const trigger = spec.trigger;
      if (trigger.kind === 'firestore') {
        new FirestoreTrigger(this, `${spec.name}-trigger`, {
          project,
          location: firestoreLocation,
          database: parts.documents.database.name,
          document: trigger.document,
          event: trigger.event,
          target: functions.get(spec.name),
          serviceAccount: {
            name: identities.accountName.events ?? '',
            email: identities.email.events ?? '',
          },
          agents: parts.agents,
          // eventarc.eventReceiver is among the project grants iamReady waits for.
          dependsOn: [parts.iamReady, ...invokers.on(spec.name)],
        });
      } else if (trigger.kind === 'scheduled') {
        new ScheduledCall(this, `${spec.name}-schedule`, {
          project,
          region,
          spec: { ...spec, trigger },
          target: functions.get(spec.name),
          serviceAccountEmail: identities.email.scheduler ?? '',
          dependsOn: invokers.on(spec.name),
        });
      }
    }
  }
}
