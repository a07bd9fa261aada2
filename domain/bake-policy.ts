// The bake window's vocabulary and rules without schemas, so the workflow bundle needs no zod (bake-config.ts parses
// the variables).

/** The error-rate gate of one environment: a PromQL query whose value must stay at or below the threshold. */
export interface ErrorRateGate {
  prometheusUrl: string;
  query: string;
  threshold: number;
}

/** How a deployment bakes after it is live; `seconds: 0` means no bake (today's behaviour). */
export interface BakePolicy {
  seconds: number;
  probeIntervalSeconds: number;
  /** This many probe rounds failing one after another roll the deployment back. */
  failedRoundsToRollBack: number;
  /** Null: no Prometheus configured for the environment, so the gate is off. */
  errorRate: ErrorRateGate | null;
}

export type BakeOutcome = 'baking' | 'passed' | 'cut_short' | 'breached';

/** An operator's change to a running bake: end it now (it passes), or make it longer. */
export interface BakeAdjustment {
  action: 'end_now' | 'extend';
  /** For `extend`: seconds added to the window. */
  seconds?: number;
  reason: string;
  by?: string;
}

export const MAX_BAKE_EXTENSION_SECONDS = 24 * 60 * 60;
/**
 * Each probe round adds about 25 events to the deployment's history (five probes, a timer, workflow tasks); Temporal
 * warns at 10,240 events and stops a workflow at 51,200. A window of more rounds than this needs a longer interval.
 */
export const MAX_BAKE_ROUNDS = 400;

function rounds(seconds: number, intervalSeconds: number): number {
  return Math.ceil(seconds / intervalSeconds);
}

/** What the bake shows while it runs and after: the deployment state's `bake` field. */
export interface BakeState {
  seconds: number;
  started_at: string;
  ends_at: string;
  probe_interval_seconds: number;
  failed_rounds_to_roll_back: number;
  outcome: BakeOutcome;
  probe_rounds: number;
  consecutive_failed_rounds: number;
  /** The failed probes of the failing streak (each round's failures), newest last: why a breach rolled back. */
  failing_probes: string[];
  error_rate_gate: string;
  last_error_rate: number | null;
  adjustments: { action: BakeAdjustment['action']; seconds: number | null; reason: string; by: string; at: string }[];
}

export function describeErrorRateGate(gate: ErrorRateGate | null): string {
  // A URL's user and password (basic auth to Prometheus) never reach a status, a log or the Web UI.
  const where = gate?.prometheusUrl.replace(/\/\/[^/@]*@/, '//[REDACTED]@');
  return gate
    ? `on: ${gate.query} at ${where} must stay at or below ${gate.threshold}`
    : 'off: no Prometheus configured for this environment';
}

/** The plan's line for the bake. */
export function describeBake(policy: BakePolicy): string {
  return (
    `bake for ${formatSeconds(policy.seconds)}: probe the health endpoints every ${policy.probeIntervalSeconds}s, ` +
    `roll back after ${policy.failedRoundsToRollBack} failed rounds in a row; error-rate gate ` +
    describeErrorRateGate(policy.errorRate)
  );
}

/** Why an adjustment cannot apply, or null when it can. Bad input changes nothing. */
export function adjustmentProblem(bake: BakeState | undefined, adjustment: BakeAdjustment): string | null {
  if (bake?.outcome !== 'baking') return 'This deployment is not baking: only a running bake can be adjusted';
  if (adjustment.action !== 'end_now' && adjustment.action !== 'extend') {
    return `Invalid action: ${String(adjustment.action)}. Must be 'end_now' or 'extend'`;
  }
  if (typeof adjustment.reason !== 'string' || adjustment.reason.trim().length === 0) {
    return 'reason is required (it is audited)';
  }
  if (adjustment.action === 'extend') {
    const { seconds } = adjustment;
    if (
      typeof seconds !== 'number' ||
      !Number.isInteger(seconds) ||
      seconds < 1 ||
      seconds > MAX_BAKE_EXTENSION_SECONDS
    ) {
      return `Invalid seconds: ${String(seconds)}. Must be a whole number from 1 to ${MAX_BAKE_EXTENSION_SECONDS}`;
    }
    if (rounds(bake.seconds + seconds, bake.probe_interval_seconds) > MAX_BAKE_ROUNDS) {
      return `Invalid seconds: ${seconds}. The bake would run more than ${MAX_BAKE_ROUNDS} probe rounds of ${bake.probe_interval_seconds}s (its history would grow too long); extend it by at most ${MAX_BAKE_ROUNDS * bake.probe_interval_seconds - bake.seconds}s`;
    }
  }
  return null;
}

/** Why a configured window has too many rounds, naming the variables to change; empty when it is fine. */
export function bakeRoundProblems(policies: Record<'staging' | 'production', BakePolicy>): string[] {
  return (['staging', 'production'] as const)
    .filter(
      (environment) =>
        rounds(policies[environment].seconds, policies[environment].probeIntervalSeconds) > MAX_BAKE_ROUNDS,
    )
    .map(
      (environment) =>
        `${environment.toUpperCase()}_BAKE_SECONDS=${policies[environment].seconds} with DEPLOYMENT_BAKE_PROBE_INTERVAL_SECONDS=${policies[environment].probeIntervalSeconds} makes more than ${MAX_BAKE_ROUNDS} probe rounds: shorten the bake or raise the interval to at least ${Math.ceil(policies[environment].seconds / MAX_BAKE_ROUNDS)}`,
    );
}

/** Seconds left in the window at `nowMs` (never negative). */
export function bakeSecondsLeft(bake: Pick<BakeState, 'ends_at'>, nowMs: number): number {
  return Math.max(0, Math.ceil((Date.parse(bake.ends_at) - nowMs) / 1000));
}

/** "4m 05s" */
export function formatSeconds(seconds: number): string {
  const minutes = Math.floor(seconds / 60);
  const rest = seconds % 60;
  return minutes > 0 ? `${minutes}m ${String(rest).padStart(2, '0')}s` : `${rest}s`;
}

/**
 * One round of analysis counted into the bake: a passing round ends a failing streak, a failing one adds its
 * failures. Returns whether the streak is now long enough to roll back.
 */
export function countRound(bake: BakeState, failures: string[]): boolean {
  bake.probe_rounds += 1;
  if (failures.length === 0) {
    bake.consecutive_failed_rounds = 0;
    bake.failing_probes = [];
    return false;
  }
  bake.consecutive_failed_rounds += 1;
  bake.failing_probes.push(...failures.map((failure) => `round ${bake.probe_rounds}: ${failure}`));
  return bake.consecutive_failed_rounds >= bake.failed_rounds_to_roll_back;
}
