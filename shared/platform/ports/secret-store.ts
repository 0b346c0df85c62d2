/** Named secrets (the Betfair app key and session token): Secret Manager, or a local file. */
export interface SecretStore {
  /** The secret's current value, or undefined when it was never set. */
  get(name: string): Promise<string | undefined>;
  set(name: string, value: string): Promise<void>;
}
