import { runtimeError } from './errors.js';

/**
 * Variables of a subworkflow, a loop iteration or a parallel branch. Reads see enclosing
 * scopes; a branch may only write enclosing variables it declared `shared`.
 */
export class Scope {
  private readonly vars = new Map<string, unknown>();

  constructor(
    private readonly parent?: Scope,
    private readonly shared?: ReadonlySet<string>,
  ) {}

  /** True when the variable is visible here. */
  has(name: string): boolean {
    return this.vars.has(name) || (this.parent?.has(name) ?? false);
  }

  /** The variable's value, or a KeyError. */
  get(name: string): unknown {
    if (this.vars.has(name)) return this.vars.get(name);
    if (this.parent) return this.parent.get(name);
    throw runtimeError('KeyError', `key not found: ${name}`);
  }

  /** Creates or replaces a variable in this scope only (loop values, parameters). */
  define(name: string, value: unknown): void {
    this.vars.set(name, value);
  }

  /** Assigns where the variable lives, or creates it here. */
  set(name: string, value: unknown): void {
    this.owner(name).vars.set(name, value);
  }

  /** The scope a write to `name` goes to. */
  private owner(name: string): Scope {
    if (this.vars.has(name) || !this.parent?.has(name)) return this;
    if (this.shared && !this.shared.has(name)) {
      throw runtimeError(
        'TypeError',
        `variable "${name}" is assigned in a parallel branch but is not listed in shared`,
      );
    }
    return this.parent.owner(name);
  }
}
