import type { CheckOutcome } from './check-outcome.js';

// What makes a deployment valid, without the schemas, so the workflow bundle needs no zod.
export type { ValidateDeploymentInput, ValidationResult } from './validation.js';

export const CHECK_NAMES = {
  gitRef: 'git_ref_resolves',
  tests: 'tests_passed',
  securityScan: 'security_scan',
  migrations: 'migrations_safe',
  environmentConfig: 'environment_configuration',
  imagesBuilt: 'images_built',
} as const;

export const SKIPPED_TESTS_WARNING = 'Test verification skipped (skip_tests=true) - not recommended';
export const SKIPPED_SCAN_WARNING = 'Security scan skipped (skip_security_scan=true) - not recommended';

export function skippedCheck(check_name: string, message: string, warning?: string): CheckOutcome {
  return {
    check: { check_name, status: 'skipped', message, details: {}, duration_ms: 0 },
    blockers: [],
    warnings: warning ? [warning] : [],
  };
}

/** A deployment is valid when no check blocks it; warnings never block. */
export function combineOutcomes(outcomes: readonly CheckOutcome[]) {
  const blockers = outcomes.flatMap((each) => each.blockers);
  return {
    valid: blockers.length === 0,
    checks: outcomes.map((each) => each.check),
    blockers,
    warnings: outcomes.flatMap((each) => each.warnings),
  };
}
