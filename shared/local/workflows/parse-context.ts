import { compileExpression, compileTemplate, type Template } from './expressions/template.js';
import type { Expr } from './expressions/ast.js';
import { isStdFunction } from './stdlib/index.js';

/** A subworkflow's parameter names and which of them have no default. */
export interface SubworkflowSignature {
  params: string[];
  required: string[];
}

/** What step parsing needs to know about the whole workflow and the current subworkflow. */
export class ParseContext {
  /** Step names seen in the current subworkflow. */
  readonly stepNames = new Set<string>();
  /** `next:` targets to check once every step of the subworkflow is known. */
  readonly jumps: { target: string; path: string }[] = [];

  constructor(readonly subworkflows: ReadonlyMap<string, SubworkflowSignature>) {}

  /** Compiles a YAML value that may contain `${...}` expressions. */
  template(value: unknown, path: string): Template {
    return compileTemplate(value, path, isStdFunction);
  }

  /** Compiles a YAML value that must be one `${...}` expression. */
  expression(text: string, path: string): Expr {
    return compileExpression(text, path, isStdFunction);
  }

  /** A fresh context for another subworkflow. */
  forSubworkflow(): ParseContext {
    return new ParseContext(this.subworkflows);
  }
}
