import { condition, log, patched, setCurrentDetails, setHandler } from '@temporalio/workflow';
import {
  adjustmentProblem,
  type BakeAdjustment,
  type BakePolicy,
  type BakeState,
  bakeSecondsLeft,
  countRound,
  describeErrorRateGate,
  formatSeconds,
} from '../../domain/bake-policy.js';
import { SUITE_COMPONENTS } from '../../domain/smoke-suites.js';
import { adjustBakeSignal, adjustBakeUpdate } from '../bake-messages.js';
import { probeComponents } from '../health-probes.js';
import { local } from './activities.js';
import type { DeploymentRun } from './deployment-run.js';

/** Deployments started with a bake policy since this marker bake after they are live; earlier ones ended there. */
const BAKE_WINDOW = 'bake-window';
/** A probe round never waits longer than this for an endpoint, however long the interval between rounds. */
const MAX_PROBE_BUDGET_MS = 30_000;
const MIN_PROBE_BUDGET_MS = 5_000;

/**
 * The operator's Update and signal `adjustBake`: registered from the start (a handler registered late would see an
 * early Update rejected as unknown), refused by the validator unless a bake runs. Each applied change is audited.
 */
export function setUpBakeControl(run: DeploymentRun): void {
  const apply = async (adjustment: BakeAdjustment): Promise<BakeState> => {
    const bake = run.state.bake as BakeState;
    const by = adjustment.by?.trim() || 'operator';
    const seconds = adjustment.action === 'extend' ? (adjustment.seconds ?? 0) : null;
    if (seconds !== null) {
      bake.ends_at = new Date(Date.parse(bake.ends_at) + seconds * 1000).toISOString();
      bake.seconds += seconds;
    } else bake.outcome = 'cut_short';
    bake.adjustments.push({ action: adjustment.action, seconds, reason: adjustment.reason, by, at: nowIso() });
    run.writeLog(`bake ${seconds === null ? 'ended now' : `extended by ${seconds}s`} by ${by}: ${adjustment.reason}`);
    await run.audit('bake_adjusted', true, {
      version: run.state.version,
      action: adjustment.action,
      ...(seconds === null ? {} : { seconds }),
      reason: adjustment.reason,
      by,
      ends_at: bake.ends_at,
    });
    return { ...bake };
  };
  setHandler(adjustBakeUpdate, apply, {
    validator(adjustment) {
      const problem = adjustmentProblem(run.state.bake, adjustment ?? ({} as BakeAdjustment));
      if (problem) throw new Error(problem);
    },
  });
  setHandler(adjustBakeSignal, async (adjustment) => {
    const problem = adjustmentProblem(run.state.bake, adjustment ?? ({} as BakeAdjustment));
    if (problem) {
      log.warn('adjustBake signal ignored', { problem });
      return;
    }
    await apply(adjustment);
  });
}

function nowIso(): string {
  return new Date().toISOString();
}

/**
 * Which analysis window runs: the bake after the deploy (label null), or a canary step's analysis (label `canary 50%`),
 * which shows and reports under that label and its own check name.
 */
export interface AnalysisWindow {
  label: string | null;
  checkName: string;
}

const BAKE: AnalysisWindow = { label: null, checkName: 'bake' };

/** The Web UI's current details and the status's step, without a history event per probe round. */
function show(run: DeploymentRun, bake: BakeState, window: AnalysisWindow): void {
  const left = bakeSecondsLeft(bake, Date.now());
  const title = window.label ?? 'baking';
  const step =
    `${title}: ${formatSeconds(left)} left of ${formatSeconds(bake.seconds)}; ${bake.probe_rounds} probe rounds, ` +
    `${bake.consecutive_failed_rounds} failed in a row (rollback at ${bake.failed_rounds_to_roll_back})`;
  run.state.current_step = step;
  setCurrentDetails(`**${title}**: ${step}\n\nerror-rate gate ${bake.error_rate_gate}\n\nends at ${bake.ends_at}`);
}

/** One round of analysis: every health endpoint, and the error rate when a gate is configured; its failures. */
async function analysisRound(run: DeploymentRun, policy: BakePolicy, bake: BakeState): Promise<string[]> {
  const budgetMs = Math.min(MAX_PROBE_BUDGET_MS, Math.max(MIN_PROBE_BUDGET_MS, policy.probeIntervalSeconds * 1000));
  const [probes, errorRate] = await Promise.all([
    probeComponents(run.request.environment, SUITE_COMPONENTS.full, budgetMs),
    policy.errorRate ? local.queryErrorRate(policy.errorRate) : Promise.resolve(null),
  ]);
  const failures = probes.filter((probe) => probe.status === 'failed').map((probe) => probe.message);
  run.state.health_status = failures.length === 0 ? 'healthy' : 'unhealthy';
  if (errorRate) {
    bake.last_error_rate = errorRate.value;
    if (errorRate.breach) failures.push(errorRate.breach);
  }
  return failures;
}

/**
 * Step 4b, bake: after the deploy is live and healthy, watch it for the policy's window. Every interval (a durable
 * timer) one analysis round runs; `failedRoundsToRollBack` failing rounds in a row end the bake with the failing
 * probes as the reason, which the saga turns into the automatic rollback. An operator may end the window early or
 * extend it (adjustBake). Null when the window passed (or there is none), else why the deployment must roll back.
 */
export async function bakeStep(run: DeploymentRun): Promise<string | null> {
  const policy = run.request.bake;
  if (!policy || policy.seconds <= 0 || !patched(BAKE_WINDOW)) return null;
  return analysisWindow(run, policy, BAKE);
}

/**
 * The bake's analysis for `policy.seconds`: the bake itself, or the watch between canary steps. Null when the window
 * passed, else why the deployment must roll back.
 */
export async function analysisWindow(
  run: DeploymentRun,
  policy: BakePolicy,
  window: AnalysisWindow,
): Promise<string | null> {
  const startedAt = Date.now();
  const bake: BakeState = {
    seconds: policy.seconds,
    started_at: new Date(startedAt).toISOString(),
    ends_at: new Date(startedAt + policy.seconds * 1000).toISOString(),
    probe_interval_seconds: policy.probeIntervalSeconds,
    failed_rounds_to_roll_back: policy.failedRoundsToRollBack,
    outcome: 'baking',
    probe_rounds: 0,
    consecutive_failed_rounds: 0,
    failing_probes: [],
    error_rate_gate: describeErrorRateGate(policy.errorRate),
    last_error_rate: null,
    adjustments: [],
  };
  run.state.bake = bake;
  run.enter(
    window.label
      ? `${window.label}: analysing for ${formatSeconds(policy.seconds)}; error-rate gate ${bake.error_rate_gate}`
      : `baking for ${formatSeconds(policy.seconds)}; error-rate gate ${bake.error_rate_gate}`,
    window.label ? 'in_progress' : 'baking',
  );
  show(run, bake, window);
  const intervalMs = policy.probeIntervalSeconds * 1000;
  let nextRoundAt = startedAt + intervalMs;
  let adjustmentsSeen = 0;
  while (bake.outcome === 'baking') {
    const now = Date.now();
    const endsAt = Date.parse(bake.ends_at);
    if (now >= endsAt) break;
    const wakeAt = Math.min(nextRoundAt, endsAt);
    if (await condition(() => bake.adjustments.length !== adjustmentsSeen, Math.max(1, wakeAt - now))) {
      adjustmentsSeen = bake.adjustments.length;
      show(run, bake, window);
      continue;
    }
    if (Date.now() < nextRoundAt) continue;
    const failures = await analysisRound(run, policy, bake);
    nextRoundAt = Date.now() + intervalMs;
    // Ended by an operator while the round ran: their decision stands, whatever the round found.
    if (bake.outcome !== 'baking') break;
    if (countRound(bake, failures)) {
      bake.outcome = 'breached';
      const why =
        `${window.label ?? 'bake'} breached after ${formatSeconds(Math.round((Date.now() - startedAt) / 1000))} of ` +
        `${formatSeconds(bake.seconds)}: ${bake.consecutive_failed_rounds} probe rounds failed in a row: ` +
        bake.failing_probes.join('; ');
      run.check(window.checkName, 'failed', why, startedAt, { bake: { ...bake } });
      return why;
    }
    if (failures.length > 0) {
      run.writeLog(`${window.label ?? 'bake'} round ${bake.probe_rounds} failed: ${failures.join('; ')}`);
    }
    show(run, bake, window);
  }
  if (bake.outcome === 'baking') bake.outcome = 'passed';
  const cut = bake.outcome === 'cut_short';
  run.check(
    window.checkName,
    'passed',
    `${cut ? 'ended early by an operator' : 'window passed'} after ${bake.probe_rounds} probe rounds` +
      (bake.last_error_rate === null ? '' : `; last error rate ${bake.last_error_rate}`),
    startedAt,
    { bake: { ...bake } },
  );
  return null;
}
