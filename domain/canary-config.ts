import { z } from 'zod';
import { type BakePolicy, MAX_BAKE_ROUNDS } from './bake-policy.js';
import { type CanaryPolicy, canaryStepsProblem } from './canary-policy.js';
import type { Environment } from './environment.js';

// The canary variables, per environment like the bake's. Without a weight input name there is no canary.

export const DEFAULT_CANARY_STEP_SECONDS = 60;

/** A workflow_dispatch input name as GitHub accepts it. */
const inputName = z
  .string()
  .regex(/^[A-Za-z_][A-Za-z0-9_-]*$/, 'must be a workflow_dispatch input name (letters, digits, _ and -)')
  .optional();
const stepSeconds = z.coerce.number().int().min(1).max(86_400).default(DEFAULT_CANARY_STEP_SECONDS);

export const canaryEnv = {
  STAGING_CANARY_WEIGHT_INPUT: inputName,
  PRODUCTION_CANARY_WEIGHT_INPUT: inputName,
  STAGING_CANARY_STEPS: z.string().optional(),
  PRODUCTION_CANARY_STEPS: z.string().optional(),
  STAGING_CANARY_STEP_SECONDS: stepSeconds,
  PRODUCTION_CANARY_STEP_SECONDS: stepSeconds,
};

type CanaryVariables = z.infer<z.ZodObject<typeof canaryEnv>>;

/**
 * Each environment's canary (null: deployments dispatch cd.yml once, as without canaries), or the problems that name
 * the variables to fix. The analysis between steps probes and gates like that environment's bake.
 */
export function canaryPolicies(
  parsed: CanaryVariables,
  bake: Record<Environment, BakePolicy>,
): { policies: Record<Environment, CanaryPolicy | null>; problems: string[] } {
  const problems: string[] = [];
  const policy = (environment: Environment): CanaryPolicy | null => {
    const prefix = environment === 'staging' ? 'STAGING' : 'PRODUCTION';
    const weightInput = parsed[`${prefix}_CANARY_WEIGHT_INPUT`];
    const stepsText = parsed[`${prefix}_CANARY_STEPS`];
    if (!weightInput && !stepsText) return null;
    if (!weightInput || !stepsText) {
      problems.push(
        `${prefix}_CANARY_WEIGHT_INPUT and ${prefix}_CANARY_STEPS go together: set both (e.g. traffic_weight and 10,50,100) or neither`,
      );
      return null;
    }
    const steps = stepsText.split(',').map((step) => (/^\s*\d+\s*$/.test(step) ? Number(step) : Number.NaN));
    const problem = canaryStepsProblem(`${prefix}_CANARY_STEPS`, steps);
    if (problem) {
      problems.push(`${problem} (got ${JSON.stringify(stepsText)})`);
      return null;
    }
    const seconds = parsed[`${prefix}_CANARY_STEP_SECONDS`];
    const analysis = { ...bake[environment], seconds };
    if (Math.ceil(seconds / analysis.probeIntervalSeconds) > MAX_BAKE_ROUNDS) {
      problems.push(
        `${prefix}_CANARY_STEP_SECONDS=${seconds} with DEPLOYMENT_BAKE_PROBE_INTERVAL_SECONDS=${analysis.probeIntervalSeconds} makes more than ${MAX_BAKE_ROUNDS} probe rounds per step: shorten the step or raise the interval to at least ${Math.ceil(seconds / MAX_BAKE_ROUNDS)}`,
      );
      return null;
    }
    return { weightInput, steps, analysis };
  };
  return { policies: { staging: policy('staging'), production: policy('production') }, problems };
}

export const canaryStateSchema = z.object({
  weight_input: z.string(),
  steps: z.array(z.number().int()),
  weight: z.number().int(),
  outcome: z.enum(['rolling_out', 'completed', 'breached', 'failed']),
  completed: z.array(
    z.object({
      weight: z.number().int(),
      run_id: z.number().int().nullable(),
      analysis: z.enum(['passed', 'breached', 'none']),
    }),
  ),
});
