import type { Expr } from './expressions/ast.js';
import { parseExpression } from './expressions/parser.js';
import { invalid } from './parse-errors.js';
import type { AssignTarget } from './program.js';

/** Parses an assignment target such as `a`, `a.b`, `a[0]` or `m["k"]`. */
export function parseAssignTarget(text: string, path: string): AssignTarget {
  let expr: Expr;
  try {
    expr = parseExpression(text);
  } catch (error) {
    throw invalid(`bad assignment target "${text}": ${(error as Error).message}`, path);
  }
  const accessors: AssignTarget['accessors'] = [];
  while (expr.kind === 'member' || expr.kind === 'index') {
    accessors.unshift(
      expr.kind === 'member'
        ? { kind: 'field', name: expr.name }
        : { kind: 'index', index: expr.index },
    );
    expr = expr.object;
  }
  if (expr.kind !== 'variable') throw invalid(`bad assignment target "${text}"`, path);
  return { root: expr.name, accessors };
}
