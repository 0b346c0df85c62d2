import type { Template } from './expressions/evaluate.js';
import type { Expr } from './expressions/parser.js';

/** A parsed, validated workflow ready to run. */
export interface WorkflowProgram {
  /** Where the YAML came from, for messages. */
  source: string;
  subworkflows: Map<string, Subworkflow>;
}

/** `main` or a subworkflow: parameters and steps. */
export interface Subworkflow {
  name: string;
  params: Param[];
  steps: StepList;
}

/** A parameter; `fallback` is its default when it has one. */
export interface Param {
  name: string;
  fallback?: Template;
}

/** A list of steps with their names indexed for `next:` jumps. */
export interface StepList {
  steps: Step[];
  positions: Map<string, number>;
}

interface StepBase {
  name: string;
  /** `main.steps[2].publish`: how messages name this step. */
  path: string;
  next?: string;
}

/** An assignment target: a variable and a chain of fields and indexes. */
export interface AssignTarget {
  root: string;
  accessors: ({ kind: 'field'; name: string } | { kind: 'index'; index: Expr })[];
}

export type AssignStep = StepBase & {
  kind: 'assign';
  assignments: { target: AssignTarget; value: Template }[];
};
export type CallStep = StepBase & {
  kind: 'call';
  target: string;
  args: Template;
  result?: string;
};
export type SwitchStep = StepBase & {
  kind: 'switch';
  cases: { condition: Expr; body: Step }[];
};
export type StepsStep = StepBase & { kind: 'steps'; body: StepList };
export type ForStep = StepBase & { kind: 'for'; loop: LoopSpec };
export type ParallelStep = StepBase & {
  kind: 'parallel';
  shared: string[];
  concurrencyLimit?: number;
  continueAll: boolean;
  branches?: { name: string; body: StepList }[];
  loop?: LoopSpec;
};
export type TryStep = StepBase & {
  kind: 'try';
  body: Step;
  retry?: RetrySpec;
  except?: { as?: string; body: StepList };
};
export type RaiseStep = StepBase & { kind: 'raise'; value: Template };
export type ReturnStep = StepBase & { kind: 'return'; value: Template };
/** A step with only `next:` (or nothing at all). */
export type JumpStep = StepBase & { kind: 'jump' };

/** One step of a workflow. */
export type Step =
  | AssignStep
  | CallStep
  | SwitchStep
  | StepsStep
  | ForStep
  | ParallelStep
  | TryStep
  | RaiseStep
  | ReturnStep
  | JumpStep;

/** The loop of a `for` step or a parallel `for`. */
export interface LoopSpec {
  value: string;
  index?: string;
  source: { kind: 'in'; list: Template } | { kind: 'range'; from: Template; to: Template };
  body: StepList;
}

/** A retry policy: which errors to retry, how often and how long to wait. */
export interface RetrySpec {
  predicate: { kind: 'builtin'; name: BuiltinPredicate } | { kind: 'subworkflow'; name: string };
  maxRetries: Template;
  backoff: { initialDelay: Template; maxDelay: Template; multiplier: Template };
}

/** Retry predicates the standard library defines. */
export const BUILTIN_PREDICATES = [
  'http.default_retry_predicate',
  'http.default_retry_predicate_non_idempotent',
  'retry.always',
  'retry.never',
] as const;
export type BuiltinPredicate = (typeof BUILTIN_PREDICATES)[number];

/**
 * The built-in targets a `call` step may name, with the argument names each accepts; the
 * parser checks calls against it and connectors.ts runs them.
 */
export const CALL_TARGETS: Record<
  string,
  { args: readonly string[]; required: readonly string[] }
> = {
  'http.get': { args: ['url', 'headers', 'query', 'timeout', 'auth'], required: ['url'] },
  'http.delete': {
    args: ['url', 'headers', 'query', 'body', 'timeout', 'auth'],
    required: ['url'],
  },
  'http.post': { args: ['url', 'headers', 'query', 'body', 'timeout', 'auth'], required: ['url'] },
  'http.put': { args: ['url', 'headers', 'query', 'body', 'timeout', 'auth'], required: ['url'] },
  'http.patch': { args: ['url', 'headers', 'query', 'body', 'timeout', 'auth'], required: ['url'] },
  'http.request': {
    args: ['url', 'method', 'headers', 'query', 'body', 'timeout', 'auth'],
    required: ['url', 'method'],
  },
  'sys.sleep': { args: ['seconds'], required: ['seconds'] },
  'sys.log': { args: ['text', 'json', 'data', 'severity'], required: [] },
  'sys.now': { args: [], required: [] },
  'sys.get_env': { args: ['name', 'default'], required: ['name'] },
  'googleapis.pubsub.v1.projects.topics.publish': {
    args: ['topic', 'body', 'connector_params'],
    required: ['topic', 'body'],
  },
};
