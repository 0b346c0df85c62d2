import { ProjectService } from '@cdktf/provider-google/lib/project-service/index.js';
import {
  Aspects,
  type IAspect,
  TerraformDataSource,
  TerraformResource,
  type TerraformStack,
} from 'cdktf';
import { Construct, type IConstruct } from 'constructs';

/** The Google APIs the system uses; enabled by the stack, never by hand. */
export const REQUIRED_APIS = [
  'artifactregistry.googleapis.com',
  'bigquery.googleapis.com',
  'cloudbuild.googleapis.com',
  'cloudfunctions.googleapis.com',
  // Terraform reads the project (its number) and sets project IAM through Resource Manager,
  // and enables every other API through Service Usage. Both are on in a new project; declared
  // here so they stay on (see the README for a project where they are not).
  'cloudresourcemanager.googleapis.com',
  'cloudscheduler.googleapis.com',
  'eventarc.googleapis.com',
  'firestore.googleapis.com',
  'iam.googleapis.com',
  'logging.googleapis.com',
  'monitoring.googleapis.com',
  'pubsub.googleapis.com',
  'run.googleapis.com',
  'secretmanager.googleapis.com',
  'serviceusage.googleapis.com',
  'storage.googleapis.com',
  'workflows.googleapis.com',
] as const;
export type Api = (typeof REQUIRED_APIS)[number];

/**
 * The APIs through which each Google resource (or data source) type is created or read. Every
 * resource of the stack waits for these to be enabled; a type missing here stops synthesis, so
 * a new kind of resource cannot be created before its API by accident.
 */
export const APIS_OF_TYPE: Readonly<Record<string, readonly Api[]>> = {
  google_bigquery_dataset: ['bigquery.googleapis.com'],
  google_bigquery_dataset_iam_member: ['bigquery.googleapis.com'],
  google_cloud_run_v2_service_iam_member: ['run.googleapis.com'],
  google_cloud_scheduler_job: ['cloudscheduler.googleapis.com'],
  // A 2nd-gen function is built by Cloud Build into Artifact Registry and served by Cloud Run.
  google_cloudfunctions2_function: [
    'cloudfunctions.googleapis.com',
    'cloudbuild.googleapis.com',
    'artifactregistry.googleapis.com',
    'run.googleapis.com',
  ],
  google_eventarc_trigger: ['eventarc.googleapis.com'],
  google_firestore_database: ['firestore.googleapis.com'],
  google_firestore_field: ['firestore.googleapis.com'],
  google_firestore_index: ['firestore.googleapis.com'],
  google_logging_metric: ['logging.googleapis.com'],
  google_monitoring_alert_policy: ['monitoring.googleapis.com'],
  google_monitoring_notification_channel: ['monitoring.googleapis.com'],
  google_monitoring_uptime_check_config: ['monitoring.googleapis.com'],
  google_project: ['cloudresourcemanager.googleapis.com'],
  google_project_iam_custom_role: ['iam.googleapis.com'],
  google_project_iam_member: ['cloudresourcemanager.googleapis.com'],
  // Service agents are generated through Service Usage, for a service that must be enabled.
  google_project_service_identity: ['serviceusage.googleapis.com'],
  google_pubsub_subscription: ['pubsub.googleapis.com'],
  google_pubsub_subscription_iam_member: ['pubsub.googleapis.com'],
  google_pubsub_topic: ['pubsub.googleapis.com'],
  google_pubsub_topic_iam_member: ['pubsub.googleapis.com'],
  google_secret_manager_secret: ['secretmanager.googleapis.com'],
  google_secret_manager_secret_iam_member: ['secretmanager.googleapis.com'],
  google_service_account: ['iam.googleapis.com'],
  google_service_account_iam_member: ['iam.googleapis.com'],
  google_storage_bucket: ['storage.googleapis.com'],
  google_storage_bucket_iam_member: ['storage.googleapis.com'],
  google_storage_bucket_object: ['storage.googleapis.com'],
  google_workflows_workflow: ['workflows.googleapis.com'],
};

/** Enables every required API; other resources depend on the one they need (see ordering). */
export class ProjectServices extends Construct {
  readonly enabled: ProjectService[];
  readonly #byApi = new Map<string, ProjectService>();

  constructor(scope: Construct, id: string, project: string) {
    super(scope, id);
    this.enabled = REQUIRED_APIS.map((api) => {
      const service = new ProjectService(this, api.split('.')[0] ?? api, {
        project,
        service: api,
        // Turning an API off on destroy would break anything else in the project using it.
        disableOnDestroy: false,
      });
      this.#byApi.set(api, service);
      return service;
    });
  }

  /** The enablement of one API. */
  of(api: Api): ProjectService {
    const service = this.#byApi.get(api);
    if (!service) throw new Error(`${api} is not in REQUIRED_APIS`);
    return service;
  }

  /**
   * Makes every Google resource and data source in `stack` depend on the APIs its type needs
   * (APIS_OF_TYPE), so none is created before its API is enabled. Run once per stack.
   */
  orderAfterApis(stack: TerraformStack): void {
    Aspects.of(stack).add(new AfterApis(this));
  }
}

/** The aspect behind orderAfterApis. */
class AfterApis implements IAspect {
  constructor(private readonly services: ProjectServices) {}

  visit(node: IConstruct): void {
    if (!(node instanceof TerraformResource) && !(node instanceof TerraformDataSource)) return;
    const type = node.terraformResourceType;
    if (!type.startsWith('google_') || type === 'google_project_service') return;
    const apis = APIS_OF_TYPE[type];
    if (!apis) throw new Error(`No API is known for ${type}: add it to APIS_OF_TYPE`);
    // The address Terraform's depends_on takes (`fqn` would resolve to an interpolation).
    const needed = apis.map((api) => {
      const service = this.services.of(api);
      return `${service.terraformResourceType}.${service.friendlyUniqueId}`;
    });
    node.dependsOn = [...new Set([...(node.dependsOn ?? []), ...needed])];
  }
}
