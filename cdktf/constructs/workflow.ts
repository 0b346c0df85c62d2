import { WorkflowsWorkflow } from '@cdktf/provider-google/lib/workflows-workflow/index.js';
import type { ITerraformDependable } from 'cdktf';
import { Construct } from 'constructs';

/** What the job workflow needs. */
export interface JobWorkflowProps {
  project: string;
  region: string;
  name: string;
  /** The YAML of workflows/decompress-job.yaml, read at synth time. */
  source: string;
  serviceAccountEmail: string;
  /** Its user environment variables (shared/pipeline/job-workflow.ts). */
  environment: Record<string, string>;
  dependsOn: ITerraformDependable[];
}

/**
 * The decompress-job workflow, running as its own account: it may invoke the internal
 * pipeline-workflow function (invokers.ts), publish to the decompress topic (messaging.ts) and
 * write logs (iam.ts), and calls nothing but the callback function named in its environment.
 */
export class JobWorkflow extends Construct {
  readonly workflow: WorkflowsWorkflow;

  constructor(scope: Construct, id: string, props: JobWorkflowProps) {
    super(scope, id);
    this.workflow = new WorkflowsWorkflow(this, 'workflow', {
      project: props.project,
      region: props.region,
      name: props.name,
      description: 'CHIMERA: one decompress job, from plan pages to finalized shards',
      serviceAccount: props.serviceAccountEmail,
      sourceContents: props.source,
      // The callbacks and topic it may use, read with sys.get_env: never from its argument.
      userEnvVars: props.environment,
      // Failed steps are logged; successful calls would log once per progress poll.
      callLogLevel: 'LOG_ERRORS_ONLY',
      deletionProtection: false,
      dependsOn: props.dependsOn,
    });
  }
}
