import { invalid, unsupported } from '../parse-errors.js';
import { isMap } from '../values.js';
import { calledFunctions, type Expr } from './ast.js';
import { evaluate, type EvalContext } from './evaluator.js';
import { parseExpression } from './parser.js';

/** A YAML value whose `${...}` strings were compiled to expressions. */
export type Template =
  | { kind: 'const'; value: unknown }
  | { kind: 'expr'; expr: Expr; text: string }
  | { kind: 'list'; items: Template[] }
  | { kind: 'map'; entries: [string, Template][] };

/** Decides at parse time whether a function name exists. */
export type FunctionCheck = (name: string) => boolean;

const WHOLE_EXPRESSION = /^\$\{([\s\S]*)\}$/;

/** True when the YAML value is one whole `${...}` expression. */
export function isExpressionText(value: unknown): value is string {
  return typeof value === 'string' && WHOLE_EXPRESSION.test(value.trim());
}

/** Compiles a YAML value; syntax errors and unknown functions are reported with `path`. */
export function compileTemplate(value: unknown, path: string, known: FunctionCheck): Template {
  if (isExpressionText(value))
    return { kind: 'expr', expr: compileExpression(value, path, known), text: value };
  if (typeof value === 'string' && value.includes('${')) {
    throw unsupported(`string interpolation ${JSON.stringify(value)}`, path);
  }
  if (Array.isArray(value)) {
    return { kind: 'list', items: value.map((item) => compileTemplate(item, path, known)) };
  }
  if (isMap(value)) {
    const entries = Object.entries(value).map(([key, inner]): [string, Template] => [
      key,
      compileTemplate(inner, path, known),
    ]);
    return { kind: 'map', entries };
  }
  return { kind: 'const', value };
}

/** Compiles `${...}` text to an expression tree. */
export function compileExpression(text: string, path: string, known: FunctionCheck): Expr {
  const body = WHOLE_EXPRESSION.exec(text.trim())?.[1] ?? text;
  let expr: Expr;
  try {
    expr = parseExpression(body);
  } catch (error) {
    throw invalid(`bad expression ${text}: ${(error as Error).message}`, path);
  }
  const unknown = calledFunctions(expr).find((name) => !known(name));
  if (unknown) throw unsupported(`function ${unknown}()`, path);
  return expr;
}

/** Evaluates a compiled template to a fresh value. */
export function render(template: Template, context: EvalContext): unknown {
  switch (template.kind) {
    case 'const':
      return structuredClone(template.value);
    case 'expr':
      return evaluate(template.expr, context);
    case 'list':
      return template.items.map((item) => render(item, context));
    case 'map':
      return Object.fromEntries(
        template.entries.map(([key, inner]) => [key, render(inner, context)]),
      );
  }
}
