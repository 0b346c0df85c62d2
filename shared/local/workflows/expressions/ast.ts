/** Binary operators of the expression language. */
export type BinaryOperator =
  'or' | 'and' | '==' | '!=' | '<' | '<=' | '>' | '>=' | 'in' | '+' | '-' | '*' | '/' | '%' | '//';

/** A parsed workflow expression. */
export type Expr =
  | { kind: 'literal'; value: unknown }
  | { kind: 'variable'; name: string }
  | { kind: 'member'; object: Expr; name: string }
  | { kind: 'index'; object: Expr; index: Expr }
  | { kind: 'call'; callee: string; args: Expr[] }
  | { kind: 'unary'; op: '-' | 'not'; operand: Expr }
  | { kind: 'binary'; op: BinaryOperator; left: Expr; right: Expr }
  | { kind: 'list'; items: Expr[] }
  | { kind: 'map'; entries: { key: string; value: Expr }[] };

/** Every function name called anywhere in the expression, for validation at parse time. */
export function calledFunctions(expr: Expr): string[] {
  switch (expr.kind) {
    case 'call':
      return [expr.callee, ...expr.args.flatMap(calledFunctions)];
    case 'member':
      return calledFunctions(expr.object);
    case 'index':
      return [...calledFunctions(expr.object), ...calledFunctions(expr.index)];
    case 'unary':
      return calledFunctions(expr.operand);
    case 'binary':
      return [...calledFunctions(expr.left), ...calledFunctions(expr.right)];
    case 'list':
      return expr.items.flatMap(calledFunctions);
    case 'map':
      return expr.entries.flatMap((entry) => calledFunctions(entry.value));
    default:
      return [];
  }
}

/** The dotted name an expression spells (`http.default_retry`), or undefined. */
export function dottedName(expr: Expr): string | undefined {
  if (expr.kind === 'variable') return expr.name;
  if (expr.kind !== 'member') return undefined;
  const head = dottedName(expr.object);
  return head === undefined ? undefined : `${head}.${expr.name}`;
}
