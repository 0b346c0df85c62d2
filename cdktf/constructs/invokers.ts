import { CloudRunV2ServiceIamMember } from '@cdktf/provider-google/lib/cloud-run-v2-service-iam-member/index.js';
import { Construct } from 'constructs';
import type { Functions } from './functions.js';
import type { Identities } from './iam.js';

/** Who may call which function: the function name and the members allowed to invoke it. */
export function invokerGrants(
  identities: Identities,
  options: { publicFeed: boolean; invokers: readonly string[] },
): [string, string][] {
  const people = (name: string) => options.invokers.map((m): [string, string] => [name, m]);
  return [
    ['decompress', identities.member('push')],
    ['job-status', identities.member('events')],
    ['recorder-poll', identities.member('scheduler')],
    ['pipeline-api', identities.member('workflow')],
    // The Monitoring agent runs the recorder's authenticated uptime check (monitoring.ts).
    ['recorder-api', identities.monitoringAgent],
    ...people('pipeline-api'),
    ...people('recorder-api'),
    // Anyone on the internet, only when the option says so: the feed then serves the day's
    // prices to whoever finds the URL, and every request is billed to this project.
    ...(options.publicFeed ? [['feed', 'allUsers'] as [string, string]] : people('feed')),
  ];
}

/**
 * run.invoker on each 2nd-gen function's Cloud Run service for exactly the callers that need
 * it. Nothing here grants allUsers unless `publicFeed` is set, and then only on the feed.
 */
export class Invokers extends Construct {
  constructor(
    scope: Construct,
    id: string,
    functions: Functions,
    grants: readonly [string, string][],
  ) {
    super(scope, id);
    for (const [i, [name, member]] of grants.entries()) {
      const fn = functions.get(name);
      new CloudRunV2ServiceIamMember(this, `${name}-${i}`, {
        project: fn.project,
        location: fn.location,
        name: fn.serviceConfig.service,
        role: 'roles/run.invoker',
        member,
      });
    }
  }
}
