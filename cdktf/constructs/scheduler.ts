import { CloudSchedulerJob } from '@cdktf/provider-google/lib/cloud-scheduler-job/index.js';
import type { Cloudfunctions2Function } from '@cdktf/provider-google/lib/cloudfunctions2-function/index.js';
import type { ITerraformDependable } from 'cdktf';
import { Construct } from 'constructs';
import type { FunctionSpec } from '../../shared/platform/functions.js';

/** What one scheduled call needs. */
export interface ScheduledCallProps {
  project: string;
  region: string;
  spec: FunctionSpec & { trigger: { kind: 'scheduled' } };
  target: Cloudfunctions2Function;
  serviceAccountEmail: string;
  dependsOn: ITerraformDependable[];
}

/**
 * A Cloud Scheduler job POSTing to a scheduled function on its cron (every minute for the
 * recorder poll) with an OIDC token for the function's URL.
 */
export class ScheduledCall extends Construct {
  constructor(scope: Construct, id: string, props: ScheduledCallProps) {
    super(scope, id);
    const uri = props.target.serviceConfig.uri;
    new CloudSchedulerJob(this, 'job', {
      project: props.project,
      region: props.region,
      name: `${props.spec.name}-schedule`,
      schedule: props.spec.trigger.schedule,
      timeZone: props.spec.trigger.timeZone,
      // The poll finishes within the minute; a late one is not worth retrying, since the
      // next minute's call polls again.
      attemptDeadline: '60s',
      retryConfig: { retryCount: 0 },
      httpTarget: {
        uri,
        httpMethod: 'POST',
        oidcToken: { serviceAccountEmail: props.serviceAccountEmail, audience: uri },
      },
      dependsOn: props.dependsOn,
    });
  }
}
