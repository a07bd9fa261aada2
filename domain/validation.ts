import { z } from 'zod';
import { deploymentCheckSchema } from './check.js';
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

export {
  CHECK_NAMES,
  combineOutcomes,
  SKIPPED_SCAN_WARNING,
  SKIPPED_TESTS_WARNING,
  skippedCheck,
} from './validation-policy.js';
