import { SecretManagerSecretIamMember } from '@cdktf/provider-google/lib/secret-manager-secret-iam-member/index.js';
import { SecretManagerSecret } from '@cdktf/provider-google/lib/secret-manager-secret/index.js';
import { Construct } from 'constructs';
import type { Identities } from './iam.js';

/** Who may do what with the Betfair credentials. */
const ACCESS: Record<string, readonly string[]> = {
  // The dashboard shows (masked) and saves credentials; saving adds a version and disables
  // the versions it supersedes (list, add, disable: the version manager role).
  'recorder-api': [
    'roles/secretmanager.secretAccessor',
    'roles/secretmanager.secretVersionManager',
  ],
  'recorder-poll': ['roles/secretmanager.secretAccessor'],
};

/**
 * The Betfair secrets, empty: values are added at run time through the recorder API (or
 * `gcloud secrets versions add`), so no value ever passes through Terraform or its state.
 * Only the recorder functions can read them.
 */
export class BetfairSecrets extends Construct {
  constructor(
    scope: Construct,
    id: string,
    project: string,
    secretIds: readonly string[],
    identities: Identities,
  ) {
    super(scope, id);
    for (const secretId of secretIds) {
      const secret = new SecretManagerSecret(this, secretId, {
        project,
        secretId,
        replication: { auto: {} },
      });
      for (const [who, roles] of Object.entries(ACCESS)) {
        for (const role of roles) {
          new SecretManagerSecretIamMember(this, `${secretId}-${who}-${role.split('.')[1]}`, {
            project,
            secretId: secret.secretId,
            role,
            member: identities.member(who),
          });
        }
      }
    }
  }
}
