import { functionRootUrl, type ResourceNames } from './names.js';
import type { StackOptions } from './options.js';
import { DECOMPRESS_MAX_ATTEMPTS } from './sizing.js';

/**
 * The environment every function gets: the variables loadConfig reads, with the resource
 * names this stack creates. No secret is ever here: the recorder reads Betfair credentials
 * from Secret Manager at run time, so their values never enter Terraform state.
 */
export function functionEnvironment(
  options: StackOptions,
  names: ResourceNames,
  projectNumber: string,
): Record<string, string> {
  return {
    CHIMERA_MODE: 'cloud',
    GOOGLE_CLOUD_PROJECT: options.project,
    CHIMERA_REGION: options.region,
    LOG_LEVEL: options.logLevel,
    DECOMPRESS_TOPIC: names.decompressTopic,
    DECOMPRESS_MAX_ATTEMPTS: String(DECOMPRESS_MAX_ATTEMPTS),
    JOB_WORKFLOW: names.workflow,
    // The pipeline API's own address (loadConfig's jobs.apiUrl).
    PIPELINE_API_URL: functionRootUrl('pipeline-api', options.region, projectNumber),
    // Where the web console forwards its page's API calls (each function's root URL).
    WEB_API_URL_TEMPLATE: functionRootUrl('{function}', options.region, projectNumber),
    RECORDER_BUCKET: options.recorderBucket,
    WAREHOUSE_DATASET: options.warehouseDataset,
    WAREHOUSE_LOCATION: options.warehouseLocation,
    // The loader is granted these only: the API refuses any other dataset at submit.
    WAREHOUSE_DATASETS: options.warehouseDatasets.join(','),
    // Nothing here is granted storage.buckets.create (or could grant itself access to a bucket
    // it made), so creating buckets is refused with a 400 that says so.
    CHIMERA_BUCKET_CREATION: 'false',
  };
}

/**
 * Per-function additions: the decompress function decodes on as many threads as it has CPUs;
 * the console accepts changes from pages behind a local `gcloud run services proxy` when the
 * stack names its port (the proxy calls the function under its own address, so the page's
 * origin is the proxy's, not the function's).
 */
export function environmentFor(
  name: string,
  base: Record<string, string>,
  cpu: string,
  options: Pick<StackOptions, 'consoleProxyPort'>,
): Record<string, string> {
  if (name === 'decompress') return { ...base, BZ2_WORKERS: String(Math.floor(Number(cpu))) };
  const port = options.consoleProxyPort;
  if (name === 'web' && port !== undefined) {
    return { ...base, FRONTEND_URL: `http://localhost:${port},http://127.0.0.1:${port}` };
  }
  return base;
}
