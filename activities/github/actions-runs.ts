import { Context } from '@temporalio/activity';
import { ApplicationFailure, type Duration } from '@temporalio/common';
import type { Environment } from '../../domain/environment.js';
import type { GitHubRepo } from './client.js';
import { hasStatus, isHttpError, withGitHubErrors } from './errors.js';

export interface DispatchRequest {
  environment: Environment;
  /** A branch or tag: GitHub dispatches on names, not SHAs. */
  ref: string;
  sha: string;
  skipTests: boolean;
  /** When this deployment's record was made: a run of ours cannot be older. */
  notBefore: string;
  /** A canary step: cd.yml's traffic-weight input and the share (percent) of traffic the new version serves. */
  trafficWeight?: { input: string; weight: number };
  /** Runs this deployment dispatched before (earlier canary steps, same commit): never taken for this dispatch's. */
  knownRunIds?: number[];
}

export interface DispatchedRun {
  runId: number;
  htmlUrl: string;
  /** How the run was identified: exactly (return_run_details) or by matching the runs list. */
  identifiedBy: 'return_run_details' | 'runs_list';
}

export interface FinishedRun {
  runId: number;
  conclusion: string;
  htmlUrl: string;
  headSha: string;
  /** One line per job and step, then the tail of each failed job's log. */
  logLines: string[];
}

export interface ActionsSettings {
  workflowFile: string;
  pollInterval: Duration;
}

const LOG_TAIL_LINES = 15;
// Runs list times are GitHub's clock, notBefore is the record's creation time (also GitHub's); a little slack
// covers second truncation.
const CLOCK_SLACK_MS = 2000;

function rejectsRunDetails(error: unknown): boolean {
  return isHttpError(error) && [400, 422].includes(error.status) && /return_run_details/.test(error.message);
}

/** GitHub refused the dispatch itself (unknown ref, inputs cd.yml does not declare): retrying cannot help. */
function refusedDispatch(error: unknown): never {
  if (hasStatus(error, 422)) {
    throw ApplicationFailure.nonRetryable(
      `GitHub refused to dispatch the deploy workflow (422: ${(error as Error).message}). Check that it declares workflow_dispatch with the inputs environment and skip_tests (and a canary's traffic-weight input), and that the ref is a branch or tag`,
      'DispatchRefused',
    );
  }
  throw error;
}

export function actionsRunActivities(github: GitHubRepo, settings: ActionsSettings) {
  const repo = { owner: github.owner, repo: github.repo };
  const workflowFileMissing = {
    notFoundFix: `Check CD_WORKFLOW (${settings.workflowFile}): it must name a workflow file under .github/workflows on the default branch of ${github.owner}/${github.repo}; and check GITHUB_REPOSITORY and that GITHUB_TOKEN can see the repository`,
  };

  /** The newest workflow_dispatch run of the deploy workflow for `sha` created since `notBefore`, not known yet. */
  async function findRun(sha: string, notBefore: string, knownRunIds: number[] = []): Promise<DispatchedRun | null> {
    const since = new Date(Date.parse(notBefore) - CLOCK_SLACK_MS).toISOString();
    const { data } = await github.octokit.rest.actions.listWorkflowRuns({
      ...repo,
      workflow_id: settings.workflowFile,
      event: 'workflow_dispatch',
      head_sha: sha,
      created: `>=${since}`,
      per_page: 10,
    });
    const run = data.workflow_runs.find((each) => !knownRunIds.includes(each.id));
    return run ? { runId: run.id, htmlUrl: run.html_url, identifiedBy: 'runs_list' } : null;
  }

  return {
    /**
     * Dispatches the deploy workflow once. A retried attempt first looks for the run an earlier attempt may have
     * started, so a lost answer never deploys twice. Returns null when GitHub cannot say which run it started
     * (servers without return_run_details): `findDispatchedRun` then finds it.
     */
    async dispatchDeploymentRun(request: DispatchRequest): Promise<DispatchedRun | null> {
      return withGitHubErrors(
        `dispatching ${settings.workflowFile} for ${request.ref}`,
        async () => {
          if (Context.current().info.attempt > 1) {
            const earlier = await findRun(request.sha, request.notBefore, request.knownRunIds);
            if (earlier) return earlier;
          }
          const dispatch = {
            ...repo,
            workflow_id: settings.workflowFile,
            ref: request.ref,
            inputs: {
              environment: request.environment,
              skip_tests: String(request.skipTests),
              ...(request.trafficWeight ? { [request.trafficWeight.input]: String(request.trafficWeight.weight) } : {}),
            },
          };
          try {
            const response = await github.octokit.rest.actions.createWorkflowDispatch({
              ...dispatch,
              return_run_details: true,
            });
            // Octokit 22 types this endpoint's answer as the 204 only; the 200 carries the run.
            const details = response.data as unknown as { workflow_run_id?: number; html_url?: string } | undefined;
            if (typeof details?.workflow_run_id === 'number' && typeof details.html_url === 'string') {
              return {
                runId: details.workflow_run_id,
                htmlUrl: details.html_url,
                identifiedBy: 'return_run_details',
              };
            }
            return null;
          } catch (error) {
            if (rejectsRunDetails(error)) {
              await github.octokit.rest.actions.createWorkflowDispatch(dispatch).catch(refusedDispatch);
              return null;
            }
            return refusedDispatch(error);
          }
        },
        workflowFileMissing,
      );
    },

    /** Finds a dispatched run by commit and time; retried (without new history) until GitHub lists it. */
    async findDispatchedRun(request: {
      sha: string;
      notBefore: string;
      knownRunIds?: number[];
    }): Promise<DispatchedRun> {
      const run = await withGitHubErrors(
        'looking for the dispatched run',
        () => findRun(request.sha, request.notBefore, request.knownRunIds),
        workflowFileMissing,
      );
      if (run) return run;
      throw ApplicationFailure.create({
        message: `GitHub does not list the dispatched run of ${settings.workflowFile} yet`,
        type: 'RunNotListedYet',
        nextRetryDelay: settings.pollInterval,
      });
    },

    /**
     * Checks the run once. While it runs, the activity fails with a retryable "not finished", so the retry policy
     * is the poll loop: no history grows per check, and a crashed worker resumes the wait.
     */
    async awaitWorkflowRun(runId: number): Promise<FinishedRun> {
      const { data: run } = await withGitHubErrors(`reading workflow run ${runId}`, () =>
        github.octokit.rest.actions.getWorkflowRun({ ...repo, run_id: runId }),
      );
      if (run.status !== 'completed') {
        throw ApplicationFailure.create({
          message: `Workflow run ${runId} is ${run.status ?? 'pending'}`,
          type: 'RunNotFinished',
          nextRetryDelay: settings.pollInterval,
          details: [run.status],
        });
      }
      return {
        runId,
        conclusion: run.conclusion ?? 'unknown',
        htmlUrl: run.html_url,
        headSha: run.head_sha,
        logLines: await withGitHubErrors(`reading the jobs of run ${runId}`, () => runLogLines(github, runId)),
      };
    },

    /** Asks GitHub to stop a run; one that already finished is left as it is. */
    async cancelWorkflowRun(runId: number): Promise<void> {
      await withGitHubErrors(`cancelling workflow run ${runId}`, async () => {
        try {
          await github.octokit.rest.actions.cancelWorkflowRun({ ...repo, run_id: runId });
        } catch (error) {
          if (!hasStatus(error, 409)) throw error;
        }
      });
    },
  };
}

async function runLogLines(github: GitHubRepo, runId: number): Promise<string[]> {
  const repo = { owner: github.owner, repo: github.repo };
  const { data } = await github.octokit.rest.actions.listJobsForWorkflowRun({ ...repo, run_id: runId, per_page: 50 });
  const lines: string[] = [];
  for (const job of data.jobs) {
    lines.push(`job ${job.name}: ${job.conclusion ?? job.status}`);
    for (const step of job.steps ?? [])
      lines.push(`  step ${step.number} ${step.name}: ${step.conclusion ?? step.status}`);
  }
  for (const job of data.jobs.filter((each) => each.conclusion === 'failure')) {
    // GitHub keeps logs for a while only, and a token may lack the right to read them: the tail is a bonus.
    const log = await github.octokit.rest.actions
      .downloadJobLogsForWorkflowRun({ ...repo, job_id: job.id })
      .then((response) => String(response.data))
      .catch(() => null);
    if (log === null) continue;
    lines.push(`log tail of job ${job.name}:`);
    lines.push(
      ...log
        .trimEnd()
        .split('\n')
        .slice(-LOG_TAIL_LINES)
        .map((line) => `  ${line}`),
    );
  }
  return lines;
}
