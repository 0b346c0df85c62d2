import { ProjectService } from '@cdktf/provider-google/lib/project-service/index.js';
import { Construct } from 'constructs';

/** The Google APIs the system uses; enabled by the stack, never by hand. */
export const REQUIRED_APIS = [
  'artifactregistry.googleapis.com',
  'cloudbuild.googleapis.com',
  'cloudfunctions.googleapis.com',
  'cloudscheduler.googleapis.com',
  'eventarc.googleapis.com',
  'firestore.googleapis.com',
  'iam.googleapis.com',
  'logging.googleapis.com',
  'monitoring.googleapis.com',
  'pubsub.googleapis.com',
  'run.googleapis.com',
  'secretmanager.googleapis.com',
  'storage.googleapis.com',
  'workflows.googleapis.com',
] as const;

/** Enables every required API; other resources depend on `enabled`. */
export class ProjectServices extends Construct {
  readonly enabled: ProjectService[];

  constructor(scope: Construct, id: string, project: string) {
    super(scope, id);
    this.enabled = REQUIRED_APIS.map(
      (api) =>
        new ProjectService(this, api.split('.')[0] ?? api, {
          project,
          service: api,
          // Turning an API off on destroy would break anything else in the project using it.
          disableOnDestroy: false,
        }),
    );
  }
}
