import { ApplicationFailure } from '@temporalio/common';
import type { DeploymentState } from '../domain/deployment-model.js';

/** The failure type a failed deployment's workflow ends with; its details carry the deployment's state. */
export const DEPLOYMENT_FAILED = 'DeploymentFailed';

/**
 * A failed deployment ends its workflow as failed, so the Web UI, `temporal workflow list` and the failure counts show
 * it, and still carries its whole state (encrypted by the payload codec like any result).
 */
export function deploymentFailure(state: DeploymentState): ApplicationFailure {
  return ApplicationFailure.create({
    type: DEPLOYMENT_FAILED,
    message: state.failure_reason ?? 'the deployment failed',
    details: [state],
    nonRetryable: true,
  });
}

/** The state a failed deployment ended with, found along the error's causes (a client's or a parent's view); else null. */
export function stateOfFailedDeployment(error: unknown): DeploymentState | null {
  for (let cause = error; cause instanceof Error; cause = cause.cause) {
    if (cause instanceof ApplicationFailure && cause.type === DEPLOYMENT_FAILED) {
      return (cause.details?.[0] as DeploymentState | undefined) ?? null;
    }
  }
  return null;
}

/** A deployment's state however it ended: its result, or the state its failure carries. */
export async function deploymentOutcome(result: Promise<DeploymentState>): Promise<DeploymentState> {
  try {
    return await result;
  } catch (error) {
    const state = stateOfFailedDeployment(error);
    if (state) return state;
    throw error;
  }
}
