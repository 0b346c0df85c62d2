import { z } from 'zod';
import { INVALID_LINE_POLICIES } from '../engine/lines/lines.js';
import type { PluginRegistry } from '../engine/plugins/plugins.js';
import type { Config } from '../platform/config.js';
import { AppError, echo, hasCode, toAppError } from '../platform/errors.js';
import type { Logger } from '../platform/logging.js';
import type { WorkflowExecutions } from '../platform/ports/executions.js';
import {
  assertBucketName,
  localObjectNameProblem,
  type ObjectStore,
} from '../platform/ports/object-store.js';
import {
  OUTPUT_COMPRESSIONS,
  PROCESS_TYPES,
  SUPPORTED_OUTPUT_COMPRESSIONS,
  SUPPORTED_PROCESS_TYPES,
  type JobRecord,
  newJobId,
  initialProgress,
  allStages,
  type PlannedFile,
  parsesFiles,
} from './job-model.js';
import {
  folder,
  manifestName,
  mirroredName,
  partName,
  quarantineName,
  shardName,
} from './output-names.js';
import { fileFiltersSchema } from './file-filters.js';
import { parseJobOptions, parseRequestFields } from './parse-options.js';
import { paginate, planFiles, selectionPatterns } from './plan.js';
import { type JobStore, processedKey, type ProcessedIndex } from './stores.js';
import { warehouseOptions, warehouseRequestSchema } from './warehouse-options.js';

/** Accepts every value the predecessor knew, and refuses the ones not built yet by name. */
function supported<Known extends string, Ok extends Known>(
  known: readonly [Known, ...Known[]],
  ok: readonly Ok[],
  field: string,
) {
  return z
    .enum(known)
    .refine((value): value is Ok => (ok as readonly string[]).includes(value), {
      message: `${field} is not supported yet; supported: ${ok.join(', ')}`,
    })
    .transform((value) => value);
}

/**
 * `POST /api/pipeline/submit`, in the predecessor's field names. Dataflow-era fields are
 * accepted and mapped: `dataflowMaxWorkers` bounds the files decompressed at once,
 * `dataflowTimeoutHours` the workflow's run time; region and worker type are recorded only.
 */
export const submitRequestSchema = z
  .object({
    sourceType: z.string().min(1).default('betfair'),
    sourceProject: z.string().optional(),
    sourceBucket: z.string().min(3).max(222),
    sourceDataset: z.string().max(512).default(''),
    selectedPaths: z.array(z.string().max(1024)).min(1, 'select at least one path').max(10_000),
    processType: supported(PROCESS_TYPES, SUPPORTED_PROCESS_TYPES, 'processType').default(
      'decompress_and_concatenate',
    ),
    outputShards: z.coerce.number().int().min(1).max(1000).default(10),
    compression: supported(
      OUTPUT_COMPRESSIONS,
      SUPPORTED_OUTPUT_COMPRESSIONS,
      'compression',
    ).default('none'),
    targetBucket: z.string().min(3).max(222),
    outputPrefix: z.string().max(512).default(''),
    createNewBucket: z.boolean().default(false),
    storageClass: z.enum(['STANDARD', 'NEARLINE', 'COLDLINE', 'ARCHIVE']).default('STANDARD'),
    location: z
      .string()
      .regex(/^[A-Za-z][A-Za-z0-9-]{0,62}$/, 'must be a location such as EU or europe-west2')
      .default('EU'),
    retention: z.union([z.number(), z.string(), z.null()]).optional(),
    dataflowRegion: z.string().optional(),
    dataflowWorkerType: z.string().optional(),
    dataflowMaxWorkers: z
      .union([z.literal('AUTO'), z.coerce.number().int().min(1).max(10_000)])
      .default('AUTO'),
    dataflowTimeoutHours: z.coerce
      .number()
      .positive()
      .max(24 * 30)
      .default(24),
    invalidLines: z.enum(INVALID_LINE_POLICIES).default('quarantine'),
    skipProcessed: z.boolean().default(false),
    filters: fileFiltersSchema.optional(),
    ...parseRequestFields,
    warehouse: warehouseRequestSchema.optional(),
  })
  .superRefine((request, context) => {
    if (request.processType !== 'direct_to_bigquery' && request.warehouse !== undefined) {
      context.addIssue({
        code: 'custom',
        path: ['warehouse'],
        message: 'applies only to processType direct_to_bigquery',
      });
    }
    if (parsesFiles(request.processType)) {
      if (request.compression !== 'none') {
        context.addIssue({
          code: 'custom',
          path: ['compression'],
          message:
            request.processType === 'direct_to_bigquery'
              ? 'supported: none (BigQuery loads a gzip file with one worker, at most 4 GB)'
              : 'decompress_concatenate_parse writes uncompressed tables; supported: none',
        });
      }
      return;
    }
    for (const field of Object.keys(parseRequestFields)) {
      if (request[field as keyof typeof parseRequestFields] !== undefined) {
        context.addIssue({
          code: 'custom',
          path: [field],
          message: `applies only to processType decompress_concatenate_parse or direct_to_bigquery`,
        });
      }
    }
  });

export type SubmitRequest = z.output<typeof submitRequestSchema>;
export type SubmitRequestInput = z.input<typeof submitRequestSchema>;

/**
 * The job workflow's single argument; everything else it reads through its callbacks, whose
 * address it takes from its deployment.
 */
export interface JobWorkflowArgument {
  jobId: string;
  /** `projects/P/topics/T`, for the Pub/Sub connector. */
  topic: string;
  pages: number;
  /** Files decompressing at once; 0 means no limit. */
  maxConcurrency: number;
  pollSeconds: number;
  timeoutSeconds: number;
}

export function workflowArgument(
  config: Pick<Config, 'projectId' | 'jobs' | 'decompressTopic'>,
  job: JobRecord,
  pages: number,
): JobWorkflowArgument {
  return {
    jobId: job.jobId,
    topic: `projects/${config.projectId}/topics/${config.decompressTopic}`,
    pages,
    maxConcurrency: job.maxConcurrency,
    pollSeconds: config.jobs.pollSeconds,
    timeoutSeconds: job.timeoutSeconds,
  };
}

/** What submitting a job needs. */
export interface SubmitDeps {
  config: Pick<
    Config,
    'projectId' | 'region' | 'mode' | 'localUrl' | 'jobs' | 'decompressTopic' | 'warehouse'
  >;
  objectStore: ObjectStore;
  plugins: PluginRegistry;
  jobStore: JobStore;
  processedIndex: ProcessedIndex;
  executions: WorkflowExecutions;
  logger: Logger;
  now: () => Date;
}

/** The predecessor's submit answer. */
export interface SubmitResponse {
  jobId: string;
  dataflowJobId: string;
  status: 'submitted';
  message: string;
  dataflowUrl: string;
}

/**
 * Validates the request against what exists, plans the files once, stores the job with its
 * plan pages, and starts the job's workflow. Every client mistake is a 4xx that says what to
 * change, found before anything is created: the target bucket is made only once the request
 * has passed every check, and nothing is started for a request that cannot run.
 */
export async function submitJob(deps: SubmitDeps, request: SubmitRequest): Promise<SubmitResponse> {
  const plugin = deps.plugins.get(request.sourceType);
  const patterns = selectionPatterns(plugin, request.selectedPaths, request.sourceDataset);
  assertBucketName(request.sourceBucket);
  assertBucketName(request.targetBucket);
  assertPrefixNames(request);
  await requireBucket(deps.objectStore, request.sourceBucket, 'Source');
  const createTarget = await targetToCreate(deps.objectStore, request);
  const planned = await planFiles(deps.objectStore, plugin, {
    bucket: request.sourceBucket,
    patterns,
    maxFiles: deps.config.jobs.maxFiles,
  });
  const { files, skipped } = await skipProcessed(deps.processedIndex, request, planned.files);
  if (files.length === 0) {
    throw new AppError(
      'JOB.NOTHING_TO_DO',
      'invalid',
      `All ${skipped} matching files were already processed into this target`,
    );
  }
  const now = deps.now();
  const job = newJobRecord(deps, request, files, skipped, now);
  assertFileOutputNames(job, files);
  if (createTarget) await createTargetBucket(deps.objectStore, request);
  const pages = paginate(files, deps.config.jobs.pageSize);
  await deps.jobStore.create(job, pages);
  await deps.jobStore.log(job.jobId, '000-submitted', {
    time: now,
    severity: 'INFO',
    message: `Pipeline submitted: ${files.length} files (${skipped} already processed) from gs://${request.sourceBucket}/${request.sourceDataset}`,
  });
  return startWorkflow(deps, job, pages.length);
}

/**
 * The names a job writes pass the rules of the strictest object store (the local one, whose
 * names become file paths; Cloud Storage accepts every name they accept), so a prefix such as
 * `..`, `a\0b` or `C:\x` is refused here rather than failing every file later.
 */
function assertPrefixNames(request: SubmitRequest): void {
  const prefix = folder(request.outputPrefix);
  for (const name of [shardName(prefix, 0, request.outputShards, 'none'), manifestName(prefix)]) {
    checkName(
      name,
      (reason) => `outputPrefix: ${echo(JSON.stringify(request.outputPrefix))} ${reason}`,
    );
  }
}

/** Each file's output and quarantine names, checked once the plan and the job id are known. */
function assertFileOutputNames(job: JobRecord, files: readonly PlannedFile[]): void {
  const { outputPrefix: prefix, jobId, compression } = job;
  for (const file of files) {
    const output =
      job.processType === 'decompress_only'
        ? mirroredName(prefix, file.name, compression)
        : partName(prefix, jobId, file.index, compression);
    for (const name of [output, quarantineName(prefix, jobId, file.name)]) {
      checkName(name, (reason) => `outputPrefix: the output of ${echo(file.name)} ${reason}`);
    }
  }
}

function checkName(name: string, describe: (reason: string) => string): void {
  const problem = localObjectNameProblem(name);
  if (problem === undefined) return;
  throw new AppError(
    'REQUEST.INVALID',
    'invalid',
    describe(`would write objects such as ${echo(JSON.stringify(name))}, whose name ${problem}`),
  );
}

async function startWorkflow(
  deps: SubmitDeps,
  job: JobRecord,
  pages: number,
): Promise<SubmitResponse> {
  try {
    const execution = await deps.executions.start(
      deps.config.jobs.workflow,
      workflowArgument(deps.config, job, pages),
    );
    const dataflowUrl = executionUrl(deps.config, execution.name);
    await deps.jobStore.changeStatus(job.jobId, {
      status: 'submitted',
      dataflowJobId: execution.name,
      dataflowUrl,
    });
    deps.logger.info('job submitted', {
      jobId: job.jobId,
      execution: execution.name,
      files: job.plan.files,
    });
    return {
      jobId: job.jobId,
      dataflowJobId: execution.name,
      status: 'submitted',
      message: `Job submitted: ${job.plan.files} files`,
      dataflowUrl,
    };
  } catch (thrown) {
    const error = toAppError(thrown);
    await deps.jobStore.changeStatus(job.jobId, {
      status: 'failed',
      errorMessage: `The job's workflow could not be started: ${error.message}`,
      completedAt: deps.now(),
    });
    throw new AppError(
      'JOB.NOT_STARTED',
      'unavailable',
      `The job's workflow could not be started; try again`,
      {
        cause: error,
      },
    );
  }
}

async function requireBucket(store: ObjectStore, bucket: string, role: string): Promise<void> {
  if (!(await store.bucketExists(bucket))) {
    throw new AppError('BUCKET.NOT_FOUND', 'not_found', `${role} bucket ${bucket} not found`);
  }
}

/** Whether the target must be created; a missing target without createNewBucket is a 404. */
async function targetToCreate(store: ObjectStore, request: SubmitRequest): Promise<boolean> {
  if (await store.bucketExists(request.targetBucket)) return false;
  if (!request.createNewBucket) {
    throw new AppError(
      'BUCKET.NOT_FOUND',
      'not_found',
      `Target bucket ${request.targetBucket} not found; create it or set createNewBucket`,
    );
  }
  return true;
}

/**
 * Creates the target if it is still absent. A bucket that appeared meanwhile (an identical
 * submit made it a moment ago) is used as it is once this store can see it; a name taken by
 * someone this store cannot see stays a 409.
 */
async function createTargetBucket(store: ObjectStore, request: SubmitRequest): Promise<void> {
  try {
    await store.createBucket(request.targetBucket, {
      location: request.location,
      storageClass: request.storageClass,
    });
  } catch (error) {
    if (
      !hasCode(error, 'BUCKET.ALREADY_EXISTS') ||
      !(await store.bucketExists(request.targetBucket))
    ) {
      throw error;
    }
  }
}

async function skipProcessed(
  index: ProcessedIndex,
  request: SubmitRequest,
  files: PlannedFile[],
): Promise<{ files: PlannedFile[]; skipped: number }> {
  if (!request.skipProcessed) return { files, skipped: 0 };
  const target = {
    bucket: request.targetBucket,
    prefix: folder(request.outputPrefix),
    processType: request.processType,
    compression: request.compression,
  };
  const keyOf = (file: PlannedFile) =>
    processedKey(target, {
      bucket: request.sourceBucket,
      name: file.name,
      generation: file.generation,
    });
  const done = await index.has(files.map(keyOf));
  const kept = files
    .filter((file) => !done.has(keyOf(file)))
    .map((file, i) => ({ ...file, index: i }));
  return { files: kept, skipped: files.length - kept.length };
}

function newJobRecord(
  deps: SubmitDeps,
  request: SubmitRequest,
  files: PlannedFile[],
  skipped: number,
  now: Date,
): JobRecord {
  const maxWorkers = request.dataflowMaxWorkers;
  return {
    jobId: newJobId(now),
    dataflowJobId: null,
    dataflowUrl: null,
    status: 'submitted',
    sourceType: request.sourceType,
    sourceProject: request.sourceProject ?? deps.config.projectId,
    sourceBucket: request.sourceBucket,
    sourceDataset: request.sourceDataset,
    selectedPaths: request.selectedPaths,
    processType: request.processType,
    compression: request.compression,
    outputShards: request.outputShards,
    targetBucket: request.targetBucket,
    outputPrefix: folder(request.outputPrefix),
    invalidLines: request.invalidLines,
    skipProcessed: request.skipProcessed,
    filters: request.filters ?? null,
    parse: parsesFiles(request.processType) ? parseJobOptions(request) : null,
    warehouse:
      request.processType === 'direct_to_bigquery'
        ? warehouseOptions(request.warehouse, deps.config.warehouse)
        : null,
    maxConcurrency: maxWorkers === 'AUTO' ? 0 : maxWorkers,
    timeoutSeconds: Math.round(request.dataflowTimeoutHours * 3600),
    plan: {
      files: files.length,
      bytesTotal: files.reduce((sum, f) => sum + f.size, 0),
      skipped,
      pages: Math.ceil(files.length / deps.config.jobs.pageSize),
      pageSize: deps.config.jobs.pageSize,
    },
    progress: initialProgress(now),
    stages:
      request.processType === 'direct_to_bigquery'
        ? { ...allStages(), load: 'waiting' }
        : allStages(),
    createdAt: now,
    startedAt: null,
    completedAt: null,
    errorMessage: null,
    outputLocation: `gs://${request.targetBucket}/${folder(request.outputPrefix)}`,
    outputFiles: [],
  };
}

/** Where a person can watch the execution: the Cloud console, or the local Executions API. */
export function executionUrl(config: SubmitDeps['config'], name: string): string {
  if (config.mode === 'local') return `${config.localUrl}/v1/${name}`;
  const [, project, , location, , workflow, , id] = name.split('/');
  return `https://console.cloud.google.com/workflows/workflow/${location}/${workflow}/execution/${id}?project=${project}`;
}
