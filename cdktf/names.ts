/** Names of the resources the functions and the workflow are wired to. */
export interface ResourceNames {
  decompressTopic: string;
  deadLetterTopic: string;
  decompressSubscription: string;
  deadLetterSubscription: string;
  workflow: string;
}

/**
 * The stack's fixed resource names. The topic and workflow ids reach the functions through
 * DECOMPRESS_TOPIC and JOB_WORKFLOW (see environment.ts), so they can be anything valid.
 */
export const RESOURCE_NAMES: ResourceNames = {
  decompressTopic: 'chimera-decompress',
  deadLetterTopic: 'chimera-decompress-dead-letter',
  decompressSubscription: 'chimera-decompress-push',
  deadLetterSubscription: 'chimera-decompress-dead-letter-hold',
  workflow: 'decompress-job',
};

/** Secret Manager ids of the recorder's secrets start with this (CloudSecretStore's prefix). */
export const RECORDER_SECRET_PREFIX = 'chimera-recorder-';

/**
 * A function's root URL as its callers use it, and the OIDC audience Cloud Run accepts for it:
 * Cloud Run's deterministic address, `https://<service>-<project number>.<region>.run.app`
 * (a 2nd-gen function's service has the function's name). Derived from the project number and
 * not read from the function resource, so the function's own URL can be given to it and to
 * what calls it without a dependency cycle.
 */
export function functionRootUrl(name: string, region: string, projectNumber: string): string {
  return `https://${name}-${projectNumber}.${region}.run.app`;
}
