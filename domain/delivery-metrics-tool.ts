import { z } from 'zod';
import { environmentSchema } from './environment.js';

export const MAX_WINDOW_DAYS = 365;

export const deploymentMetricsInputSchema = z.strictObject({
  environment: environmentSchema.default('production'),
  window_days: z
    .number({ error: `window_days must be a whole number of days from 1 to ${MAX_WINDOW_DAYS}` })
    .int(`window_days must be a whole number of days from 1 to ${MAX_WINDOW_DAYS}`)
    .min(1, `window_days must be from 1 to ${MAX_WINDOW_DAYS}`)
    .max(MAX_WINDOW_DAYS, `window_days must be from 1 to ${MAX_WINDOW_DAYS}`)
    .default(30),
});
export type DeploymentMetricsInput = z.infer<typeof deploymentMetricsInputSchema>;

const band = z.enum(['elite', 'high', 'medium', 'low']);

export const windowMetricsSchema = z.object({
  start: z.string(),
  end: z.string(),
  deployment_frequency: z.object({
    successful_deployments: z.number().int(),
    per_day: z.number(),
    per_week: z.number(),
    band,
  }),
  lead_time_for_changes: z.object({
    median_seconds: z.number().nullable(),
    p90_seconds: z.number().nullable(),
    commits: z.number().int(),
    deployments_measured: z.number().int(),
    deployments_without_base: z.number().int(),
    band: band.nullable(),
  }),
  change_failure_rate: z.object({
    rate: z.number().nullable(),
    failed_deployments: z.number().int(),
    failed_after_dispatch: z.number().int(),
    rolled_back: z.number().int(),
    dispatched_deployments: z.number().int(),
    band: band.nullable(),
  }),
  failed_deployment_recovery_time: z.object({
    median_seconds: z.number().nullable(),
    failures: z.number().int(),
    recovered: z.number().int(),
    unrecovered: z.number().int(),
    band: band.nullable(),
  }),
  rollbacks: z.number().int(),
});

const trend = z.enum(['better', 'worse', 'same']).nullable();

export const deploymentMetricsResultSchema = z.object({
  environment: environmentSchema,
  window_days: z.number().int(),
  current: windowMetricsSchema,
  previous: windowMetricsSchema,
  /** Each key against the previous window: better, worse, same, or null when either has no figure. */
  trend: z.object({
    deployment_frequency: trend,
    lead_time_for_changes: trend,
    change_failure_rate: trend,
    failed_deployment_recovery_time: trend,
  }),
  bands_source: z.string(),
  deployments_read: z.number().int(),
  github_requests: z.number().int(),
  /** Comparisons left for later calls (each call reads at most 500 from GitHub); their lead times are not counted yet. */
  comparisons_pending: z.number().int(),
  /** Why GitHub's comparisons could not be read this time (e.g. a spent rate limit); null when they were. */
  github_error: z.string().nullable(),
  retrieved_at: z.string(),
});
export type DeploymentMetricsResult = z.infer<typeof deploymentMetricsResultSchema>;
