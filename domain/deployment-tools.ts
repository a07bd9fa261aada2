import { z } from 'zod';
import { bakeStateSchema } from './bake-config.js';
import { canaryStateSchema } from './canary-config.js';
import { deploymentCheckSchema } from './check.js';
import { hasControlCharacters } from './control-characters.js';
import {
  approvalStateSchema,
  automaticRollbackSchema,
  DEPLOYMENT_KINDS,
  DEPLOYMENT_STATUSES,
  deploymentInfoSchema,
  versionChangeSchema,
} from './deployment.js';
import { environmentSchema } from './environment.js';
import { gitRefSchema } from './git-ref.js';

const MAX_TEXT = 1000;
const MAX_TOKEN = 512;

/** Free text that ends up in audit lines and GitHub descriptions: one line, bounded, no control characters. */
function text(field: string, required: boolean) {
  const schema = z
    .string({ error: `${field} must be a string` })
    .max(MAX_TEXT, `${field} must be at most ${MAX_TEXT} characters`)
    .refine((value) => !hasControlCharacters(value), `${field} must not contain control characters`);
  // A pattern rather than a refinement, so the JSON schema clients see says it too.
  return required ? schema.regex(/\S/, `${field} is required and must not be empty`) : schema;
}

const token = (field: string) =>
  z
    .string({ error: `${field} must be a string` })
    .min(1, `${field} must not be empty`)
    .max(MAX_TOKEN, `${field} must be at most ${MAX_TOKEN} characters`)
    // No configured token holds one, and a token reaching the handler would be audited as an invalid attempt.
    .refine((value) => !hasControlCharacters(value), `${field} must not contain control characters`);

const DEPLOYMENT_ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._:/-]{0,199}$/;
const deploymentId = z
  .string({ error: 'deployment_id must be a string' })
  .regex(DEPLOYMENT_ID_PATTERN, 'deployment_id must be a deployment id as returned by the deployment tools');

/**
 * An optional idempotency key of a deploying call: the deployment id is derived from it, so a call retried after a
 * lost connection attaches to the deployment the first call started instead of starting a second one.
 */
const REQUEST_ID_PATTERN = /^[A-Za-z0-9_-]{8,64}$/;
const requestId = z
  .string({ error: 'request_id must be a string' })
  .regex(REQUEST_ID_PATTERN, 'request_id must be 8 to 64 characters from A-Z, a-z, 0-9, _ and -')
  .optional();

export const promoteInputSchema = z.strictObject({
  staging_version: gitRefSchema('staging_version'),
  approval_token: token('approval_token').optional(),
  skip_smoke_tests: z.boolean().default(false),
  dry_run: z.boolean().default(false),
  request_id: requestId,
});
export type PromoteInput = z.infer<typeof promoteInputSchema>;

export const deployToStagingInputSchema = z.strictObject({
  git_ref: gitRefSchema('git_ref'),
  skip_tests: z.boolean().default(false),
  skip_smoke_tests: z.boolean().default(false),
  dry_run: z.boolean().default(false),
  request_id: requestId,
});
export type DeployToStagingInput = z.infer<typeof deployToStagingInputSchema>;

export const rollbackInputSchema = z.strictObject({
  environment: environmentSchema,
  reason: text('reason', true),
  target_version: gitRefSchema('target_version').optional(),
  dry_run: z.boolean().default(false),
  request_id: requestId,
});
export type RollbackInput = z.infer<typeof rollbackInputSchema>;

export const deploymentStatusInputSchema = z.strictObject({ deployment_id: deploymentId });

export const listDeploymentsInputSchema = z.strictObject({
  environment: environmentSchema.optional(),
  limit: z
    .number({ error: 'limit must be a whole number from 1 to 100' })
    .int('limit must be a whole number from 1 to 100')
    .min(1, 'limit must be from 1 to 100')
    .max(100, 'limit must be from 1 to 100')
    .default(10),
  include_failed: z.boolean().default(true),
  /** An extension of the contract: only deployments the signed-in caller started (needs an identity provider). */
  initiated_by_me: z.boolean().default(false),
});
export type ListDeploymentsInput = z.infer<typeof listDeploymentsInputSchema>;

export const approveInputSchema = z.strictObject({
  deployment_id: deploymentId,
  // Optional for callers signed in through the identity provider; the handler asks anyone else for it.
  approval_token: token('approval_token').optional(),
  approver: text('approver', false).optional(),
});

export const rejectInputSchema = z.strictObject({
  deployment_id: deploymentId,
  reason: text('reason', true),
  rejected_by: text('rejected_by', false).optional(),
});

/** What the plan of a promotion, rollback or deploy says would happen; a dry run returns only this. */
export const deploymentPlanSchema = z.object({
  kind: z.enum(DEPLOYMENT_KINDS),
  environment: environmentSchema,
  versions: versionChangeSchema,
  steps: z.array(z.string()),
  /** Why the deployment would be refused; empty when it would go ahead. */
  blockers: z.array(z.string()),
});
export type DeploymentPlan = z.infer<typeof deploymentPlanSchema>;

const dryRunPlan = { dry_run: z.boolean(), plan: deploymentPlanSchema.nullable() };

export const promoteResultSchema = z.object({
  status: z.enum(DEPLOYMENT_STATUSES),
  deployment_id: z.string(),
  staging_version: z.string(),
  production_version: z.string().nullable(),
  initiated_at: z.string(),
  estimated_duration_minutes: z.number().int(),
  approval: approvalStateSchema,
  /** What happens next, e.g. how to approve. */
  message: z.string(),
  ...dryRunPlan,
});

export const deployToStagingResultSchema = z.object({
  status: z.enum(DEPLOYMENT_STATUSES),
  deployment_id: z.string(),
  git_ref: z.string(),
  from_version: z.string().nullable(),
  initiated_at: z.string(),
  estimated_duration_minutes: z.number().int(),
  ...dryRunPlan,
});

export const rollbackResultSchema = z.object({
  status: z.literal('rolling_back'),
  environment: environmentSchema,
  from_version: z.string().nullable(),
  to_version: z.string(),
  rollback_id: z.string(),
  initiated_at: z.string(),
  reason: z.string(),
  ...dryRunPlan,
});

export const deploymentStatusResultSchema = z.object({
  deployment: deploymentInfoSchema.extend({
    kind: z.enum(DEPLOYMENT_KINDS),
    current_step: z.string(),
    failure_reason: z.string().nullable(),
    automatic_rollback: automaticRollbackSchema.nullable(),
    rollback_of: z.string().nullable(),
    /** The bake window once it started, with the seconds left when this answer was given. */
    bake: bakeStateSchema.extend({ seconds_left: z.number().int() }).optional(),
    /** The canary's steps so far: the weight now served and each step's analysis. */
    canary: canaryStateSchema.optional(),
  }),
  checks: z.array(deploymentCheckSchema),
  logs: z.array(z.string()),
  health_checks: z.object({
    api: z.string(),
    database: z.string(),
    redis: z.string(),
    celery_worker: z.string(),
    celery_beat: z.string(),
  }),
  /** When the probes behind health_checks were made, and their age when this answer was given. */
  health_checked_at: z.string(),
  health_age_ms: z.number().int(),
  approval: approvalStateSchema,
});

export const listDeploymentsResultSchema = z.object({
  deployments: z.array(deploymentInfoSchema.omit({ commit_times: true })),
  total_count: z.number().int(),
  retrieved_at: z.string(),
});

/** What approve_deployment / reject_deployment report: the decision the deployment itself reached. */
export const approvalResultSchema = z.object({
  deployment_id: z.string(),
  signal: z.enum(['approve', 'reject']),
  /** The deployment received the decision (as an Update, answered by the workflow). */
  delivered: z.boolean(),
  outcome: z.enum(['approved', 'rejected']),
  /** False when the decision came before the approval gate: it is held there and applies when the deployment arrives. */
  at_gate: z.boolean(),
  status: z.enum(DEPLOYMENT_STATUSES),
  current_step: z.string(),
  approval: approvalStateSchema,
  message: z.string(),
});
