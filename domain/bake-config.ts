import { z } from 'zod';
import type { BakePolicy } from './bake-policy.js';
import type { Environment } from './environment.js';

// The bake window's variables, named like the contract's per-environment ones (STAGING_URL, PRODUCTION_URL).

export const DEFAULT_BAKE_SECONDS: Record<Environment, number> = { staging: 0, production: 300 };
export const DEFAULT_ERROR_RATE_THRESHOLD = 0.05;

/** The 5xx share of an environment's requests over the last minute, from the sandbox apps' (and most apps') counters. */
export function defaultErrorRateQuery(environment: Environment): string {
  const selector = `environment="${environment}"`;
  return (
    `sum(rate(http_requests_total{${selector},status=~"5.."}[1m])) / ` +
    `sum(rate(http_requests_total{${selector}}[1m]))`
  );
}

const seconds = (fallback: number) => z.coerce.number().int().min(0).max(86_400).default(fallback);
const ratio = z.coerce.number().min(0).default(DEFAULT_ERROR_RATE_THRESHOLD);

export const bakeEnv = {
  STAGING_BAKE_SECONDS: seconds(DEFAULT_BAKE_SECONDS.staging),
  PRODUCTION_BAKE_SECONDS: seconds(DEFAULT_BAKE_SECONDS.production),
  DEPLOYMENT_BAKE_PROBE_INTERVAL_SECONDS: z.coerce.number().int().min(1).max(3600).default(15),
  DEPLOYMENT_BAKE_FAILURES_TO_ROLL_BACK: z.coerce.number().int().min(1).max(100).default(3),
  STAGING_PROMETHEUS_URL: z.url({ protocol: /^https?$/ }).optional(),
  PRODUCTION_PROMETHEUS_URL: z.url({ protocol: /^https?$/ }).optional(),
  STAGING_ERROR_RATE_QUERY: z.string().min(1).optional(),
  PRODUCTION_ERROR_RATE_QUERY: z.string().min(1).optional(),
  STAGING_ERROR_RATE_THRESHOLD: ratio,
  PRODUCTION_ERROR_RATE_THRESHOLD: ratio,
};

type BakeVariables = z.infer<z.ZodObject<typeof bakeEnv>>;

/** Each environment's bake policy, as deployments to it are started with. */
export function bakePolicies(parsed: BakeVariables): Record<Environment, BakePolicy> {
  const policy = (environment: Environment): BakePolicy => {
    const prefix = environment === 'staging' ? 'STAGING' : 'PRODUCTION';
    const prometheusUrl = parsed[`${prefix}_PROMETHEUS_URL`];
    return {
      seconds: parsed[`${prefix}_BAKE_SECONDS`],
      probeIntervalSeconds: parsed.DEPLOYMENT_BAKE_PROBE_INTERVAL_SECONDS,
      failedRoundsToRollBack: parsed.DEPLOYMENT_BAKE_FAILURES_TO_ROLL_BACK,
      errorRate: prometheusUrl
        ? {
            prometheusUrl: prometheusUrl.replace(/\/+$/, ''),
            query: parsed[`${prefix}_ERROR_RATE_QUERY`] ?? defaultErrorRateQuery(environment),
            threshold: parsed[`${prefix}_ERROR_RATE_THRESHOLD`],
          }
        : null,
    };
  };
  return { staging: policy('staging'), production: policy('production') };
}

export const bakeStateSchema = z.object({
  seconds: z.number().int(),
  started_at: z.string(),
  ends_at: z.string(),
  probe_interval_seconds: z.number().int(),
  failed_rounds_to_roll_back: z.number().int(),
  outcome: z.enum(['baking', 'passed', 'cut_short', 'breached']),
  probe_rounds: z.number().int(),
  consecutive_failed_rounds: z.number().int(),
  failing_probes: z.array(z.string()),
  error_rate_gate: z.string(),
  last_error_rate: z.number().nullable(),
  adjustments: z.array(
    z.object({
      action: z.enum(['end_now', 'extend']),
      seconds: z.number().int().nullable(),
      reason: z.string(),
      by: z.string(),
      at: z.string(),
    }),
  ),
});
