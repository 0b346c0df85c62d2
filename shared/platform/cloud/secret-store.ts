import { SecretManagerServiceClient } from '@google-cloud/secret-manager';
import { AppError } from '../errors.js';
import type { SecretStore } from '../ports/secret-store.js';

/** gRPC NOT_FOUND and ALREADY_EXISTS. */
const NOT_FOUND = 5;
const ALREADY_EXISTS = 6;

/**
 * Secrets in Google Secret Manager, one secret per name (`chimera-recorder-<name>`), each
 * value a new version with the ones before it disabled. Reads take the latest version.
 */
export class CloudSecretStore implements SecretStore {
  readonly #client: SecretManagerServiceClient;

  constructor(
    private readonly projectId: string,
    private readonly prefix = 'chimera-recorder-',
    client?: SecretManagerServiceClient,
  ) {
    this.#client = client ?? new SecretManagerServiceClient();
  }

  async get(name: string): Promise<string | undefined> {
    try {
      const [version] = await this.#client.accessSecretVersion({
        name: `${this.#secretPath(name)}/versions/latest`,
      });
      const data = version.payload?.data;
      if (data === null || data === undefined) return undefined;
      return typeof data === 'string' ? data : Buffer.from(data).toString('utf8');
    } catch (error) {
      if (grpcCode(error) === NOT_FOUND) return undefined;
      throw unavailable(name, error);
    }
  }

  /**
   * Stores `value` as the secret's new version and disables the versions it supersedes, so an
   * old session token or app key cannot be read back. The secret is created only when adding
   * a version finds none (the deployment creates both, so normally never).
   */
  async set(name: string, value: string): Promise<void> {
    let added: string;
    try {
      added = await this.#addVersion(name, value);
    } catch (error) {
      if (grpcCode(error) !== NOT_FOUND) throw unavailable(name, error);
      await this.#createSecret(name);
      try {
        added = await this.#addVersion(name, value);
      } catch (retried) {
        throw unavailable(name, retried);
      }
    }
    await this.#disableSuperseded(name, added);
  }

  async #addVersion(name: string, value: string): Promise<string> {
    const [version] = await this.#client.addSecretVersion({
      parent: this.#secretPath(name),
      payload: { data: Buffer.from(value, 'utf8') },
    });
    return version.name ?? '';
  }

  async #createSecret(name: string): Promise<void> {
    try {
      await this.#client.createSecret({
        parent: `projects/${this.projectId}`,
        secretId: `${this.prefix}${name}`,
        secret: { replication: { automatic: {} } },
      });
    } catch (error) {
      if (grpcCode(error) !== ALREADY_EXISTS) throw unavailable(name, error);
    }
  }

  /** Disables every enabled version but `current`; a failure says the new value is stored. */
  async #disableSuperseded(name: string, current: string): Promise<void> {
    try {
      const [versions] = await this.#client.listSecretVersions({
        parent: this.#secretPath(name),
        filter: 'state:ENABLED',
      });
      for (const version of versions) {
        if (!version.name || version.name === current) continue;
        await this.#client.disableSecretVersion({ name: version.name });
      }
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      throw new AppError(
        'SECRETS.UNAVAILABLE',
        'unavailable',
        `Secret Manager stored the new ${name}, but disabling its older versions failed (saving ` +
          `again retries it): ${reason}`,
      );
    }
  }

  #secretPath(name: string): string {
    return `projects/${this.projectId}/secrets/${this.prefix}${name}`;
  }
}

function grpcCode(error: unknown): unknown {
  return (error as { code?: unknown } | null)?.code;
}

/** The secret's value never reaches the message: only its name and the service's reason. */
function unavailable(name: string, error: unknown): AppError {
  const reason = error instanceof Error ? error.message : String(error);
  return new AppError(
    'SECRETS.UNAVAILABLE',
    'unavailable',
    `Secret Manager failed for ${name}: ${reason}`,
  );
}
