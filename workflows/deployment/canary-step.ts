import { patched } from '@temporalio/workflow';
import { type CanaryPolicy, type CanaryState, canaryLabel } from '../../domain/canary-policy.js';
import { analysisWindow, bakeStep } from './bake-step.js';
import type { DeploymentRun } from './deployment-run.js';
import type { Target } from './plan-step.js';
import { dispatchStep, recordDeploymentStep } from './ship-step.js';
import { verifyStep } from './verify-step.js';

/** Deployments started with a canary policy since this marker roll out in steps; earlier ones dispatched once. */
const CANARY_STEPS = 'canary-steps';

/** The canary this deployment rolls out with, or null: one dispatch, as before canaries existed. */
export function canaryPolicy(run: DeploymentRun): CanaryPolicy | null {
  // patched() only for requests that carry a canary, so every other deployment's commands stay as they were.
  const policy = run.request.canary;
  return policy && patched(CANARY_STEPS) ? policy : null;
}

/**
 * Steps 3 to 4b as a canary: one GitHub deployment record, then cd.yml dispatched once per step with the traffic
 * weight, each run waited for like the ship step's; after each step below 100, the bake's analysis (health probes
 * and error-rate gate) for the policy's seconds. A failed run or a breached analysis ends the rollout with the weight
 * and the reason, which the saga turns into the automatic rollback. After 100: verify and bake as usual. Null when
 * the new version is live, healthy and baked.
 */
export async function canaryStep(run: DeploymentRun, target: Target, policy: CanaryPolicy): Promise<string | null> {
  const canary: CanaryState = {
    weight_input: policy.weightInput,
    steps: [...policy.steps],
    weight: 0,
    outcome: 'rolling_out',
    completed: [],
  };
  run.state.canary = canary;
  const recordedAt = await recordDeploymentStep(run, target);
  const knownRunIds: number[] = [];
  for (const weight of policy.steps) {
    const label = canaryLabel(weight);
    const finished = await dispatchStep(run, target, recordedAt, {
      label,
      trafficWeight: { input: policy.weightInput, weight },
      knownRunIds: [...knownRunIds],
    });
    knownRunIds.push(finished.runId);
    if (finished.conclusion !== 'success') {
      canary.outcome = 'failed';
      canary.completed.push({ weight, run_id: finished.runId, analysis: 'none' });
      return `${label}: Actions run ${finished.runId} concluded ${finished.conclusion}`;
    }
    canary.weight = weight;
    if (weight === 100) {
      canary.completed.push({ weight, run_id: finished.runId, analysis: 'none' });
      break;
    }
    const breach = await analysisWindow(run, policy.analysis, { label, checkName: `canary_${weight}` });
    canary.completed.push({ weight, run_id: finished.runId, analysis: breach ? 'breached' : 'passed' });
    if (breach) {
      canary.outcome = 'breached';
      return breach;
    }
  }
  canary.outcome = 'completed';
  return (await verifyStep(run, target)) ?? (await bakeStep(run));
}
