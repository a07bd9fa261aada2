import { z } from 'zod';
import { bakeStateSchema } from './bake-config.js';
import { canaryStateSchema } from './canary-config.js';
import { deploymentCheckSchema } from './check.js';
import { DEPLOYMENT_KINDS, DEPLOYMENT_STATUSES } from './deployment-model.js';
import { environmentSchema } from './environment.js';

export * from './deployment-model.js';

export const versionChangeSchema = z.object({
  /** What the environment ran when the deployment was planned (null: nothing recorded). */
  from_version: z.string().nullable(),
  from_sha: z.string().nullable(),
  to_version: z.string(),
  to_sha: z.string(),
});

export const approvalStateSchema = z.object({
  required: z.boolean(),
  state: z.enum(['not_required', 'waiting', 'approved', 'rejected', 'timed_out']),
  /** Who approved or rejected, as given; the token only as its hash. */
  decided_by: z.string().nullable(),
  token_hash: z.string().nullable(),
  reason: z.string().nullable(),
  expires_at: z.string().nullable(),
  refused_attempts: z.number().int(),
});

/** What list_deployments shows of each deployment; kept in the workflow's memo so visibility can answer alone. */
export const deploymentInfoSchema = z.object({
  deployment_id: z.string(),
  kind: z.enum(DEPLOYMENT_KINDS),
  environment: environmentSchema,
  status: z.enum(DEPLOYMENT_STATUSES),
  version: z.string().nullable(),
  git_ref: z.string().nullable(),
  initiated_by: z.string(),
  initiated_at: z.string(),
  completed_at: z.string().nullable(),
  duration_ms: z.number().int().nullable(),
  health_status: z.string(),
  logs_url: z.string().nullable(),
  /**
   * The committer times of the commits this deployment brought live (ahead of what the environment ran before), as
   * GitHub's compare gives them, recorded when it went live: its lead times need no GitHub request later. Absent for
   * rollbacks, failed deployments, an environment's first deployment, deployments made before it was recorded, more
   * than 1,000 commits, or GitHub unreadable at go-live.
   */
  commit_times: z.array(z.string()).optional(),
});
export type DeploymentInfo = z.infer<typeof deploymentInfoSchema>;

export const automaticRollbackSchema = z.object({ rollback_id: z.string(), status: z.enum(DEPLOYMENT_STATUSES) });

/** The live state of one deployment: the deployment query's answer and the workflow's result. */
export const deploymentStateSchema = deploymentInfoSchema.extend({
  /** 'planning' until the environment is held and the versions are known; the gateway waits for it. */
  phase: z.enum(['planning', 'started', 'refused']),
  versions: versionChangeSchema.nullable(),
  current_step: z.string(),
  failure_reason: z.string().nullable(),
  reason: z.string().nullable(),
  approval: approvalStateSchema,
  github_deployment_id: z.number().int().nullable(),
  workflow_run_id: z.number().int().nullable(),
  automatic_rollback: automaticRollbackSchema.nullable(),
  rollback_of: z.string().nullable(),
  checks: z.array(deploymentCheckSchema),
  logs: z.array(z.string()),
  /** The bake window after the deploy, once it started (domain/bake-policy.ts). */
  bake: bakeStateSchema.optional(),
  /** The canary's steps so far, when the deployment rolls out in steps (domain/canary-policy.ts). */
  canary: canaryStateSchema.optional(),
});
export type DeploymentState = z.infer<typeof deploymentStateSchema>;
