import { performance } from 'node:perf_hooks';
import { type CheckOutcome, outcome } from '../../domain/check.js';
import { type CiSignal, checkRunState, commitStatusState, names } from '../../domain/ci-results.js';
import { CHECK_NAMES } from '../../domain/validation.js';
import { elapsedMs } from '../elapsed.js';
import type { GitHubRepo } from './client.js';
import { withGitHubErrors } from './errors.js';

async function checkRunSignals(github: GitHubRepo, sha: string, checkName?: string): Promise<CiSignal[]> {
  const runs = await github.octokit.paginate(github.octokit.rest.checks.listForRef, {
    owner: github.owner,
    repo: github.repo,
    ref: sha,
    per_page: 100,
    filter: 'latest',
    ...(checkName ? { check_name: checkName } : {}),
  });
  return runs.map((run) => ({
    name: run.name,
    source: 'check_run',
    state: checkRunState(run.status, run.conclusion),
    detail: run.status === 'completed' ? (run.conclusion ?? 'no conclusion') : run.status,
  }));
}

async function statusSignals(github: GitHubRepo, sha: string): Promise<CiSignal[]> {
  const { data } = await github.octokit.rest.repos.getCombinedStatusForRef({
    owner: github.owner,
    repo: github.repo,
    ref: sha,
    per_page: 100,
  });
  return data.statuses.map((status) => ({
    name: status.context,
    source: 'status',
    state: commitStatusState(status.state),
    detail: status.state,
  }));
}

function verdict(check_name: string, signals: CiSignal[], subject: string, durationMs: number): CheckOutcome {
  const failing = signals.filter((signal) => signal.state === 'failure');
  const pending = signals.filter((signal) => signal.state === 'pending');
  const details = { signals };
  const check = (status: 'passed' | 'failed', message: string) => ({
    check_name,
    status,
    message,
    details,
    duration_ms: durationMs,
  });
  if (signals.length === 0) {
    const message = `No ${subject} found for this commit`;
    return outcome(check('failed', message), [`${check_name}: ${message}`]);
  }
  if (failing.length > 0) {
    const message = `${subject} failing: ${names(failing)}`;
    return outcome(check('failed', message), [`${check_name}: ${message}`]);
  }
  if (pending.length > 0) {
    const message = `${subject} still running: ${names(pending)}; wait for them to finish`;
    return outcome(check('failed', message), [`${check_name}: ${message}`]);
  }
  return outcome(check('passed', `${signals.length} ${subject} passed`));
}

export function ciCheckActivities(github: GitHubRepo, imageBuildCheck: string) {
  return {
    /** The commit's CI (check runs and commit statuses), apart from the image build, which has a check of its own. */
    async checkTestsPassed(sha: string): Promise<CheckOutcome> {
      const startedAt = performance.now();
      const signals = await withGitHubErrors(`reading CI results of ${sha}`, async () => {
        const [runs, statuses] = await Promise.all([checkRunSignals(github, sha), statusSignals(github, sha)]);
        return [...runs.filter((run) => run.name !== imageBuildCheck), ...statuses];
      });
      return verdict(CHECK_NAMES.tests, signals, 'CI checks', elapsedMs(startedAt));
    },

    async checkImagesBuilt(sha: string): Promise<CheckOutcome> {
      const startedAt = performance.now();
      const signals = await withGitHubErrors(`reading the ${imageBuildCheck} check of ${sha}`, () =>
        checkRunSignals(github, sha, imageBuildCheck),
      );
      return verdict(CHECK_NAMES.imagesBuilt, signals, `'${imageBuildCheck}' image build checks`, elapsedMs(startedAt));
    },
  };
}
