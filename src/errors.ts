/**
 * The error tree. Every error vigil raises on purpose carries a stable `code`;
 * tests assert the code, users read the message.
 */
export class VigilError extends Error {
  readonly code: string;

  constructor(code: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
    this.code = code;
  }
}

/** One problem found in a configuration file, located for the user. */
export interface ConfigIssue {
  file: string;
  line: number;
  col: number;
  /** Key path such as `endpoints[2].conditions[0]`. Empty for file-level problems. */
  path: string;
  message: string;
}

export function formatIssue(issue: ConfigIssue): string {
  const where = issue.line > 0 ? `${issue.file}:${issue.line}:${issue.col}` : issue.file;
  return issue.path ? `${where} ${issue.path}: ${issue.message}` : `${where}: ${issue.message}`;
}

/** A configuration that cannot be used. Lists every problem found, not just the first. */
export class ConfigError extends VigilError {
  readonly issues: readonly ConfigIssue[];

  constructor(issues: readonly ConfigIssue[], code = 'VIGIL_CONFIG_INVALID') {
    const lines = issues.map(formatIssue);
    super(code, lines.length === 1 ? (lines[0] ?? '') : `${lines.length} configuration errors:\n${lines.join('\n')}`);
    this.issues = issues;
  }
}

/** Invalid condition text. `position` is the 0-based character offset in `condition`. */
export class ConditionSyntaxError extends VigilError {
  readonly condition: string;
  readonly position: number;

  constructor(condition: string, position: number, reason: string) {
    super('VIGIL_CONDITION_INVALID', `invalid condition "${condition}" at position ${position}: ${reason}`);
    this.condition = condition;
    this.position = position;
  }
}
