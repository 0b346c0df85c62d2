import { z } from 'zod';
import { INVALID_LINE_POLICIES } from '../engine/lines/lines.js';
import { MOMENT_FORMS } from '../engine/stream/moments.js';
import { OUTPUT_FORMATS, PRODUCT_NAMES } from '../engine/stream/products.js';
import { MAX_SNAPSHOT_DEPTH } from '../engine/stream/snapshots-table.js';
import {
  JOB_STATUSES,
  parsesFiles,
  SUPPORTED_OUTPUT_COMPRESSIONS,
  SUPPORTED_PROCESS_TYPES,
} from './job-model.js';
import {
  DEFAULT_BAR_SECONDS,
  DEFAULT_LADDER_DEPTH,
  DEFAULT_PARSE_PRODUCTS,
  DEFAULT_SNAPSHOT_MOMENTS,
  parseRequestFields,
} from './parse-options.js';
import { submitRequestSchema } from './submit.js';

/** One submit field as JSON Schema describes it (type, enum, default, bounds, properties). */
export type FieldSchema = Record<string, unknown>;

/**
 * `GET /api/pipeline/options`: what a job request may say, read from the same constants and
 * schema that validate `POST /api/pipeline/submit`, so a form built from it offers each option
 * as soon as the API accepts it and never one the API refuses.
 */
export interface JobOptionsDescription {
  /** Values the API runs now (the schema also names some it refuses, such as snappy). */
  processTypes: string[];
  /** A job's states, which the history filters by. */
  jobStatuses: string[];
  compressions: string[];
  invalidLines: string[];
  products: string[];
  formats: string[];
  /** Fields accepted only with one process type, by process type. */
  fieldsByProcessType: Record<string, string[]>;
  defaults: {
    products: string[];
    snapshotMoments: string[];
    ladderDepth: number;
    barSeconds: number;
  };
  ladderDepth: { min: number; max: number };
  momentForms: string;
  /** Every field of the request (JSON Schema of its input), filters included. */
  fields: Record<string, FieldSchema>;
}

let described: JobOptionsDescription | undefined;

export function jobOptionsDescription(): JobOptionsDescription {
  described ??= describe();
  return described;
}

function fieldsByProcessType(): Record<string, string[]> {
  const fields: Record<string, string[]> = {};
  for (const processType of SUPPORTED_PROCESS_TYPES) {
    const own = [
      ...(parsesFiles(processType) ? Object.keys(parseRequestFields) : []),
      ...(processType === 'direct_to_bigquery' ? ['warehouse'] : []),
    ];
    if (own.length > 0) fields[processType] = own;
  }
  return fields;
}

function describe(): JobOptionsDescription {
  const schema = z.toJSONSchema(submitRequestSchema, { io: 'input', unrepresentable: 'any' }) as {
    properties?: Record<string, FieldSchema>;
  };
  return {
    processTypes: [...SUPPORTED_PROCESS_TYPES],
    jobStatuses: [...JOB_STATUSES],
    compressions: [...SUPPORTED_OUTPUT_COMPRESSIONS],
    invalidLines: [...INVALID_LINE_POLICIES],
    products: [...PRODUCT_NAMES],
    formats: [...OUTPUT_FORMATS],
    fieldsByProcessType: fieldsByProcessType(),
    defaults: {
      products: [...DEFAULT_PARSE_PRODUCTS],
      snapshotMoments: [...DEFAULT_SNAPSHOT_MOMENTS],
      ladderDepth: DEFAULT_LADDER_DEPTH,
      barSeconds: DEFAULT_BAR_SECONDS,
    },
    ladderDepth: { min: 1, max: MAX_SNAPSHOT_DEPTH },
    momentForms: MOMENT_FORMS,
    fields: schema.properties ?? {},
  };
}
