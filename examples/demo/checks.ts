/**
 * The demo is also a smoke test: every fact it shows is checked, and one failed check
 * fails the whole run. A Checklist prints each result as it happens (✓/✗) and keeps them
 * for the summary and the exit code.
 */

export interface CheckResult {
  readonly scenario: string;
  readonly name: string;
  readonly passed: boolean;
  /** What was seen: printed after the name, and the reason when the check failed. */
  readonly detail?: string;
}

/** Checks of one scenario: returns `passed`, so callers can branch on it. */
export type Check = (name: string, passed: boolean, detail?: string) => boolean;

export class Checklist {
  private readonly all: CheckResult[] = [];

  constructor(private readonly log: (line: string) => void) {}

  /** A check function bound to one scenario. */
  public for(scenario: string): Check {
    return (name, passed, detail) => {
      this.all.push({ scenario, name, passed, detail });
      this.log(`  ${passed ? '✓' : '✗'} ${name}${detail ? ` (${detail})` : ''}`);
      return passed;
    };
  }

  /** Records a scenario that could not run to the end: a failed check carrying the error. */
  public crashed(scenario: string, error: unknown): void {
    const message = error instanceof Error ? error.message : String(error);
    this.for(scenario)(`${scenario} ran to completion`, false, message);
  }

  public get results(): readonly CheckResult[] {
    return this.all;
  }

  public get failures(): readonly CheckResult[] {
    return this.all.filter((r) => !r.passed);
  }

  /** True when at least one check ran and none failed (an empty run proves nothing). */
  public get ok(): boolean {
    return this.all.length > 0 && this.failures.length === 0;
  }
}
