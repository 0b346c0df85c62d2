import { parse as parseYaml } from 'yaml';
import { ParseContext, type SubworkflowSignature } from './parse-context.js';
import { invalid, unsupported } from './parse-errors.js';
import { parseStepList } from './parse-steps.js';
import type { Param, Subworkflow, WorkflowProgram } from './program.js';
import { isMap, type WorkflowMap } from './values.js';

/**
 * Parses and validates Cloud Workflows YAML. Anything the local interpreter cannot run is
 * refused here, before any step runs, with `WORKFLOW.UNSUPPORTED`; malformed definitions
 * with `WORKFLOW.INVALID`.
 */
export function parseWorkflow(yamlText: string, source = 'workflow'): WorkflowProgram {
  const definitions = readDefinitions(yamlText, source);
  const signatures = new Map(
    Object.entries(definitions).map(([name, body]) => [name, signature(name, body)]),
  );
  const root = new ParseContext(signatures);
  const subworkflows = new Map<string, Subworkflow>();
  for (const [name, body] of Object.entries(definitions)) {
    subworkflows.set(name, parseSubworkflow(name, body, root.forSubworkflow()));
  }
  return { source, subworkflows };
}

function readDefinitions(yamlText: string, source: string): Record<string, WorkflowMap> {
  let document: unknown;
  try {
    document = parseYaml(yamlText);
  } catch (error) {
    throw invalid(`YAML does not parse: ${(error as Error).message}`, source);
  }
  // A bare list of steps is shorthand for a `main` without parameters.
  if (Array.isArray(document)) return { main: { steps: document } };
  if (!isMap(document) || !isMap(document.main)) {
    throw invalid('a workflow needs a main block or a list of steps', source);
  }
  for (const [name, body] of Object.entries(document)) {
    if (!isMap(body)) throw invalid('a subworkflow must be a map', name);
  }
  return document as Record<string, WorkflowMap>;
}

function signature(name: string, body: WorkflowMap): SubworkflowSignature {
  const params = parseParams(body.params, name);
  return {
    params: params.map((param) => param.name),
    required: params.filter((param) => !param.hasDefault).map((param) => param.name),
  };
}

function parseSubworkflow(name: string, body: WorkflowMap, ctx: ParseContext): Subworkflow {
  const stray = Object.keys(body).find((key) => key !== 'params' && key !== 'steps');
  if (stray) throw unsupported(stray, name);
  const params = parseParams(body.params, name).map(
    ({ name: param, fallback, hasDefault }): Param =>
      hasDefault ? { name: param, fallback: ctx.template(fallback, name) } : { name: param },
  );
  if (name === 'main' && params.length > 1) throw invalid('main takes at most one parameter', name);
  const steps = parseStepList(body.steps, `${name}.steps`, ctx);
  const missing = ctx.jumps.find((jump) => !ctx.stepNames.has(jump.target));
  if (missing) throw invalid(`next refers to unknown step "${missing.target}"`, missing.path);
  return { name, params, steps };
}

function parseParams(value: unknown, path: string) {
  if (value === undefined) return [];
  if (!Array.isArray(value)) throw invalid('params must be a list', path);
  return value.map((entry) => {
    if (typeof entry === 'string') return { name: entry, hasDefault: false, fallback: undefined };
    if (isMap(entry) && Object.keys(entry).length === 1) {
      const [name, fallback] = Object.entries(entry)[0] as [string, unknown];
      return { name, hasDefault: true, fallback };
    }
    throw invalid('a parameter is a name or a one-key map with its default', path);
  });
}
