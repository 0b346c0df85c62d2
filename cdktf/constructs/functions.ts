import { Cloudfunctions2Function } from '@cdktf/provider-google/lib/cloudfunctions2-function/index.js';
import type { ITerraformDependable } from 'cdktf';
import { Construct } from 'constructs';
import type { FunctionSpec } from '../../shared/platform/functions.js';
import { environmentFor } from '../environment.js';
import { FUNCTION_RUNTIME } from '../runtime.js';
import type { StackOptions } from '../options.js';
import type { Sizing } from '../sizing.js';
import type { Identities } from './iam.js';

/** What deploying the functions needs. */
export interface FunctionsProps {
  project: string;
  region: string;
  specs: readonly FunctionSpec[];
  sizing: Record<string, Sizing>;
  environment: Record<string, string>;
  options: Pick<StackOptions, 'consoleProxyPort'>;
  sourcesBucket: string;
  sourceObject: Record<string, string>;
  identities: Identities;
  dependsOn: ITerraformDependable[];
}

/**
 * One Cloud Function (2nd gen, FUNCTION_RUNTIME) per entry in deployedFunctions, each running as
 * its own service account, built by the build account (iam.ts) once its grants have had time
 * to propagate (`dependsOn`). Every function is an HTTP service here: Pub/Sub pushes to decompress
 * through the stack's own subscription, Eventarc delivers Firestore events to job-status, and
 * Cloud Scheduler calls recorder-poll, each with an OIDC token (see invokers.ts).
 */
export class Functions extends Construct {
  readonly byName: Record<string, Cloudfunctions2Function> = {};

  constructor(scope: Construct, id: string, props: FunctionsProps) {
    super(scope, id);
    for (const spec of props.specs) {
      const size = props.sizing[spec.name];
      const object = props.sourceObject[spec.name];
      if (!size || !object) throw new Error(`No sizing or source archive for ${spec.name}`);
      this.byName[spec.name] = new Cloudfunctions2Function(this, spec.name, {
        project: props.project,
        location: props.region,
        name: spec.name,
        description: `CHIMERA ${spec.name} (${spec.trigger.kind})`,
        buildConfig: {
          runtime: FUNCTION_RUNTIME,
          entryPoint: spec.name,
          source: { storageSource: { bucket: props.sourcesBucket, object } },
          serviceAccount: props.identities.accountName.build,
        },
        serviceConfig: {
          availableCpu: size.cpu,
          availableMemory: size.memory,
          timeoutSeconds: size.timeoutSeconds,
          maxInstanceRequestConcurrency: size.concurrency,
          minInstanceCount: size.minInstances,
          maxInstanceCount: size.maxInstances,
          environmentVariables: environmentFor(
            spec.name,
            props.environment,
            size.cpu,
            props.options,
          ),
          serviceAccountEmail: props.identities.email[spec.name],
          // Reachable from the internet, but only with IAM (see invokers.ts): Pub/Sub,
          // Scheduler and Workflows call from outside any VPC.
          ingressSettings: 'ALLOW_ALL',
          allTrafficOnLatestRevision: true,
        },
        dependsOn: props.dependsOn,
      });
    }
  }

  /** The deployed function called `name`. */
  get(name: string): Cloudfunctions2Function {
    const fn = this.byName[name];
    if (!fn) throw new Error(`No function ${name} in deployedFunctions`);
    return fn;
  }
}
