import { isCancellation, patched } from '@temporalio/workflow';
import { comparisonKey } from '../../domain/delivery-metrics.js';
import { failureReason } from '../../domain/failure-reason.js';
import { githubOptional } from './activities.js';
import type { DeploymentRun } from './deployment-run.js';
import type { Target } from './plan-step.js';

/** Deployments started since record their commits' times when they go live; earlier ones replay without the read. */
const COMMIT_TIMES_AT_GO_LIVE = 'commit-times-at-go-live';

/** More commits than this in one deployment: none are recorded (the metrics read that comparison from GitHub). */
export const MAX_RECORDED_COMMITS = 1000;

/**
 * Going live, a deploy or promotion records the committer times of the commits it brought (GitHub's compare between
 * what the environment ran before and its own commit) in its state and so its memo: the lead-time metric then reads
 * them from visibility with no GitHub request. A comparison never changes, so it is read once, here. Nothing to
 * compare for a rollback or an environment's first deployment. The deployment can do without it: GitHub failing
 * (after a few quick retries) leaves a log line and no `commit_times`, never a failed deployment.
 */
export async function recordCommitTimesStep(run: DeploymentRun, target: Target): Promise<void> {
  if (run.request.kind === 'rollback' || !patched(COMMIT_TIMES_AT_GO_LIVE)) return;
  const base = run.restoreTo?.sha;
  if (!base || base === target.sha) return;
  const comparison = comparisonKey(base, target.sha);
  try {
    const { times } = await githubOptional.readCommitTimes({
      comparisons: [comparison],
      maxCommits: MAX_RECORDED_COMMITS,
    });
    const recorded = times[comparison];
    if (recorded) run.state.commit_times = recorded;
    else run.writeLog(`commit times not recorded: ${comparison} lists more than ${MAX_RECORDED_COMMITS} commits`);
  } catch (error) {
    if (isCancellation(error)) throw error;
    run.writeLog(`commit times not recorded: GitHub could not compare ${comparison}: ${failureReason(error)}`);
  }
}
