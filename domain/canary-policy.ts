// Canary steps without schemas, so the workflow bundle needs no zod (canary-config.ts parses the variables).
import type { BakePolicy } from './bake-policy.js';

/**
 * How a deployment rolls out in steps: cd.yml is dispatched once per weight with `weightInput` set to it (the share of
 * traffic, in percent, the new version serves), and between steps the bake's analysis runs for `analysis.seconds`.
 * The last step is always 100; after it come the usual verify and bake.
 */
export interface CanaryPolicy {
  weightInput: string;
  /** Ascending percentages ending at 100, e.g. [10, 50, 100]. */
  steps: number[];
  /** The analysis between steps: the bake's probes and error-rate gate, for `seconds` per step. */
  analysis: BakePolicy;
}

/** breached: an analysis between steps failed; failed: a step's Actions run did not succeed. */
export type CanaryOutcome = 'rolling_out' | 'completed' | 'breached' | 'failed';

/** What the canary shows while it runs and after: the deployment state's `canary` field. */
export interface CanaryState {
  weight_input: string;
  steps: number[];
  /** The weight cd.yml was last dispatched with (0 before the first step). */
  weight: number;
  outcome: CanaryOutcome;
  /** Each weight that served traffic, and what its analysis found. */
  completed: { weight: number; run_id: number | null; analysis: 'passed' | 'breached' | 'none' }[];
}

/** "canary 50%": the words status, current_step and the Web UI use for a step. */
export function canaryLabel(weight: number): string {
  return `canary ${weight}%`;
}

/** The plan's line for the canary. */
export function describeCanary(policy: CanaryPolicy): string {
  return (
    `canary: dispatch cd.yml once per step with ${policy.weightInput}=${policy.steps.join(', then ')}; ` +
    `after each step below 100, analyse for ${policy.analysis.seconds}s (health probes every ` +
    `${policy.analysis.probeIntervalSeconds}s and the error-rate gate); a breach rolls back`
  );
}

/** Why a steps list cannot be a canary, naming the variable; null when it can. */
export function canaryStepsProblem(variable: string, steps: readonly number[]): string | null {
  const allowed = 'whole percentages from 1 to 100, ascending, ending at 100, e.g. 10,50,100';
  if (steps.length < 2) return `${variable} must list at least two steps: ${allowed}`;
  if (steps.some((step) => !Number.isInteger(step) || step < 1 || step > 100)) {
    return `${variable} must list ${allowed}`;
  }
  if (steps.some((step, index) => index > 0 && step <= (steps[index - 1] as number))) {
    return `${variable} must be ascending: ${allowed}`;
  }
  if (steps.at(-1) !== 100) return `${variable} must end at 100: ${allowed}`;
  return null;
}
