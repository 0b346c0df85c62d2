import type { StackOptions } from './options.js';

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

/**
 * The pipeline API's URL as the workflow calls it. It is the deterministic Cloud Functions
 * address that loadConfig also derives in cloud mode, so the function's own URL is never an
 * input to its environment (which would be a cycle).
 */
export function pipelineApiUrl(options: Pick<StackOptions, 'project' | 'region'>): string {
  return `https://${options.region}-${options.project}.cloudfunctions.net/pipeline-api`;
}
