import { CloudRunV2ServiceIamMember } from '@cdktf/provider-google/lib/cloud-run-v2-service-iam-member/index.js';
import type { ITerraformDependable } from 'cdktf';
import { Construct } from 'constructs';
import type { Functions } from './functions.js';
import type { Identities } from './iam.js';
import type { ServiceAgents } from './service-agents.js';

/** One caller allowed to invoke one function, and what must exist before the grant. */
export interface InvokerGrant {
  name: string;
  member: string;
  after?: ITerraformDependable[];
}

/** Who may call which function. */
export function invokerGrants(
  identities: Identities,
  agents: ServiceAgents,
  options: { publicFeed: boolean; invokers: readonly string[] },
): InvokerGrant[] {
  const people = (name: string) => options.invokers.map((member) => ({ name, member }));
  return [
    { name: 'decompress', member: identities.member('push') },
    { name: 'job-status', member: identities.member('events') },
    { name: 'recorder-poll', member: identities.member('scheduler') },
    // The job workflow's callbacks: the workflow alone, never people or allUsers.
    { name: 'pipeline-workflow', member: identities.member('workflow') },
    // The Monitoring agent runs the recorder's authenticated uptime check (monitoring.ts).
    {
      name: 'recorder-api',
      member: agents.member('monitoring'),
      after: [agents.identity.monitoring],
    },
    ...people('pipeline-api'),
    ...people('recorder-api'),
    // The console: the people who may use the APIs, and it calls the APIs for their pages.
    ...people('web'),
    ...['pipeline-api', 'recorder-api', 'feed'].map((name) => ({
      name,
      member: identities.member('web'),
    })),
    // Anyone on the internet, only when the option says so: the feed then serves the day's
    // prices to whoever finds the URL, and every request is billed to this project.
    ...(options.publicFeed ? [{ name: 'feed', member: 'allUsers' }] : people('feed')),
  ];
}

/**
 * run.invoker on each 2nd-gen function's Cloud Run service for exactly the callers that need
 * it. Nothing here grants allUsers unless `publicFeed` is set, and then only on the feed.
 */
export class Invokers extends Construct {
  readonly #byFunction = new Map<string, CloudRunV2ServiceIamMember[]>();

  constructor(scope: Construct, id: string, functions: Functions, grants: readonly InvokerGrant[]) {
    super(scope, id);
    for (const [i, grant] of grants.entries()) {
      const fn = functions.get(grant.name);
      const member = new CloudRunV2ServiceIamMember(this, `${grant.name}-${i}`, {
        project: fn.project,
        location: fn.location,
        name: fn.name,
        role: 'roles/run.invoker',
        member: grant.member,
        dependsOn: grant.after,
      });
      this.#byFunction.set(grant.name, [...(this.#byFunction.get(grant.name) ?? []), member]);
    }
  }

  /** The invoker grants on one function. */
  on(name: string): CloudRunV2ServiceIamMember[] {
    return this.#byFunction.get(name) ?? [];
  }
}
