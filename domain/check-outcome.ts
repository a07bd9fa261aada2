import type { DeploymentCheck } from './check.js';

// The checks' vocabulary without their schemas, so the workflow bundle needs no zod.
export type { DeploymentCheck } from './check.js';

export const CHECK_STATUSES = ['passed', 'failed', 'skipped', 'warning'] as const;
export type CheckStatus = (typeof CHECK_STATUSES)[number];
/** A check as an activity reports it: the contract's check plus what it means for the deployment. */
export interface CheckOutcome {
  check: DeploymentCheck;
  blockers: string[];
  warnings: string[];
}

export function outcome(check: DeploymentCheck, blockers: string[] = [], warnings: string[] = []): CheckOutcome {
  return { check, blockers, warnings };
}

/** A check that could not run to a verdict (its source failed): it blocks, because unknown is not safe. */
export function unverifiable(check_name: string, reason: string, duration_ms: number): CheckOutcome {
  return outcome({ check_name, status: 'failed', message: `Could not verify: ${reason}`, details: {}, duration_ms }, [
    `${check_name}: could not verify (${reason})`,
  ]);
}
