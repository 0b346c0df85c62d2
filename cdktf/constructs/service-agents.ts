import { ProjectIamMember } from '@cdktf/provider-google/lib/project-iam-member/index.js';
import { TerraformProvider, TerraformResource } from 'cdktf';
import { Construct } from 'constructs';
import type { Api, ProjectServices } from './services.js';

/**
 * The Google-managed service agents that the stack's grants name or its resources need, each
 * with the API it belongs to and its address (`service-<number>@<domain>.iam.gserviceaccount.com`).
 */
export const SERVICE_AGENTS = {
  /** Forwards dead letters, acknowledges them, and signs push and Eventarc OIDC tokens. */
  pubsub: { api: 'pubsub.googleapis.com', domain: 'gcp-sa-pubsub' },
  /** Creates the Firestore trigger's subscription; a trigger made before it exists fails. */
  eventarc: { api: 'eventarc.googleapis.com', domain: 'gcp-sa-eventarc' },
  /** Runs the authenticated uptime check against the recorder API. */
  monitoring: { api: 'monitoring.googleapis.com', domain: 'gcp-sa-monitoring-notification' },
} as const satisfies Record<string, { api: Api; domain: string }>;
export type ServiceAgentKey = keyof typeof SERVICE_AGENTS;

/**
 * The google-beta provider, declared here rather than through its prebuilt binding (another
 * ~300 MB) because the stack needs one resource from it: google_project_service_identity.
 * Terraform downloads it at `terraform init`, as it does the google provider.
 */
export class GoogleBetaProvider extends TerraformProvider {
  constructor(
    scope: Construct,
    id: string,
    private readonly settings: { project: string; region: string },
  ) {
    super(scope, id, {
      terraformResourceType: 'google-beta',
      terraformGeneratorMetadata: { providerName: 'google-beta', providerVersion: '6.50.0' },
      terraformProviderSource: 'hashicorp/google-beta',
    });
  }

  protected override synthesizeAttributes(): Record<string, unknown> {
    return { project: this.settings.project, region: this.settings.region };
  }
}

/**
 * `google_project_service_identity`: asks Service Usage to create a service's agent now,
 * rather than on the service's first use, so grants naming the agent can be made.
 */
class ProjectServiceIdentity extends TerraformResource {
  constructor(
    scope: Construct,
    id: string,
    private readonly settings: {
      project: string;
      service: string;
      provider: TerraformProvider;
      dependsOn: ProjectServices['enabled'];
    },
  ) {
    super(scope, id, {
      terraformResourceType: 'google_project_service_identity',
      terraformGeneratorMetadata: { providerName: 'google-beta' },
      provider: settings.provider,
      dependsOn: settings.dependsOn,
    });
  }

  protected override synthesizeAttributes(): Record<string, unknown> {
    return { project: this.settings.project, service: this.settings.service };
  }
}

/**
 * The service agents, generated as soon as their APIs are on. Grants naming an agent depend
 * on `identity[key]`; the Eventarc agent also gets its documented role.
 */
export class ServiceAgents extends Construct {
  readonly identity = {} as Record<ServiceAgentKey, TerraformResource>;
  /** What Eventarc needs before a trigger can be created: its agent, and the agent's role. */
  readonly eventarcReady: TerraformResource[];

  constructor(
    scope: Construct,
    id: string,
    private readonly props: {
      project: string;
      region: string;
      /** The project number (a data source attribute). */
      projectNumber: string;
      services: ProjectServices;
    },
  ) {
    super(scope, id);
    const beta = new GoogleBetaProvider(this, 'google-beta', props);
    for (const [key, agent] of Object.entries(SERVICE_AGENTS) as [
      ServiceAgentKey,
      (typeof SERVICE_AGENTS)[ServiceAgentKey],
    ][]) {
      this.identity[key] = new ProjectServiceIdentity(this, key, {
        project: props.project,
        service: agent.api,
        provider: beta,
        dependsOn: [props.services.of(agent.api)],
      });
    }
    // A generated agent does not always get its role (terraform-provider-google#14584), and
    // Eventarc refuses to create triggers until it has it.
    const role = new ProjectIamMember(this, 'eventarc-agent-role', {
      project: props.project,
      role: 'roles/eventarc.serviceAgent',
      member: this.member('eventarc'),
      dependsOn: [this.identity.eventarc],
    });
    this.eventarcReady = [this.identity.eventarc, role];
  }

  /** `serviceAccount:service-<number>@<domain>.iam.gserviceaccount.com` for one agent. */
  member(key: ServiceAgentKey): string {
    const { domain } = SERVICE_AGENTS[key];
    return `serviceAccount:service-${this.props.projectNumber}@${domain}.iam.gserviceaccount.com`;
  }
}
