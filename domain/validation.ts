import { z } from 'zod';
import { type CheckOutcome, deploymentCheckSchema } from './check.js';
import { environmentSchema } from './environment.js';
import { gitRefSchema } from './git-ref.js';

export const validateDeploymentInputSchema = z.strictObject({
  environment: environmentSchema,
  git_ref: gitRefSchema('git_ref'),
  dry_run: z.boolean().default(false),
  skip_tests: z.boolean().default(false),
  skip_security_scan: z.boolean().default(false),
});
export type ValidateDeploymentInput = z.infer<typeof validateDeploymentInputSchema>;

export const validationResultSchema = z.object({
  valid: z.boolean(),
  environment: environmentSchema,
  git_ref: z.string(),
  commit_sha: z.string().nullable(),
  checks: z.array(deploymentCheckSchema),
  blockers: z.array(z.string()),
  warnings: z.array(z.string()),
  validated_at: z.string(),
  validation_duration_ms: z.number().int(),
  dry_run: z.boolean(),
});
export type ValidationResult = z.infer<typeof validationResultSchema>;

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
