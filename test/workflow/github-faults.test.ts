// Each GitHub fault class driven through the sandbox into real workflows on the time-skipping test server, with the
// product's Octokit client: what the workflow made of it, how many requests GitHub saw (one retry layer, never
// multiplied), and the activity attempts its history records.

import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, beforeEach, describe, it } from 'node:test';
import type { temporal } from '@temporalio/proto';
import type { ValidateDeploymentInput } from '../../domain/validation.js';
import type { deployment } from '../../workflows/deployment.js';
import { deploymentOutcome } from '../../workflows/deployment-failure.js';
import type { validateDeployment } from '../../workflows/validate-deployment.js';
import { WORKFLOW_TYPES } from '../../workflows/workflow-types.js';
import { deploymentRequest } from '../helpers/deployments.js';
import { githubRequests, SANDBOX_REPO, sandboxOctokit, steer } from '../helpers/sandbox-control.js';
import { startTimeSkippingEnv } from '../helpers/temporal-env.js';
import { type Harness, startHarness } from '../helpers/workflow-harness.js';

// Short request timeouts keep the hanging-request case quick.
const SETTINGS = { GITHUB_REQUEST_TIMEOUT_SECONDS: '2' };

let harness: Harness;
let mainSha: string;
before(async () => {
  harness = await startHarness(startTimeSkippingEnv, SETTINGS);
  const { data } = await sandboxOctokit(harness.sandbox).rest.repos.getCommit({ ...SANDBOX_REPO, ref: 'main' });
  mainSha = data.sha;
});
after(() => harness.close());
beforeEach(() => steer(harness.sandbox, 'POST', '/reset'));

async function validate(input: Partial<ValidateDeploymentInput> = {}) {
  const workflowId = `validate-${randomUUID()}`;
  const run = harness.execute<typeof validateDeployment>(
    'validateDeployment',
    [
      {
        environment: 'staging',
        git_ref: 'main',
        dry_run: false,
        skip_tests: false,
        skip_security_scan: true,
        ...input,
      },
    ],
    workflowId,
  );
  return { workflowId, result: await run };
}

/** The attempt each run of `activity` reached, from the workflow's history. */
async function attempts(workflowId: string, activity: string): Promise<number[]> {
  const history = await harness.env.client.workflow.getHandle(workflowId).fetchHistory();
  const events = (history.events ?? []) as temporal.api.history.v1.IHistoryEvent[];
  const scheduled = new Set(
    events
      .filter((event) => event.activityTaskScheduledEventAttributes?.activityType?.name === activity)
      .map((event) => String(event.eventId)),
  );
  return events
    .filter((event) => scheduled.has(String(event.activityTaskStartedEventAttributes?.scheduledEventId)))
    .map((event) => event.activityTaskStartedEventAttributes?.attempt ?? 0);
}

/** GitHub requests for the commit's combined status: only the tests_passed check reads it. */
async function statusReads(): Promise<number> {
  const requests = await githubRequests(harness.sandbox);
  return requests.filter((request) => request.path.endsWith(`${mainSha}/status`)).length;
}

async function records(): Promise<number> {
  const octokit = sandboxOctokit(harness.sandbox);
  return (await octokit.rest.repos.listDeployments({ ...SANDBOX_REPO, environment: 'staging', per_page: 100 })).data
    .length;
}

const fault = (spec: Record<string, unknown>) =>
  steer(harness.sandbox, 'POST', '/faults', { match: `${mainSha}/status`, ...spec });

describe('faults that fix themselves are retried by the activity retry policy alone', () => {
  const passing: [string, Record<string, unknown>, number][] = [
    ['a burst of two 502s', { status: 502, count: 2 }, 3],
    ['a secondary rate limit (403, retry-after)', { rate_limit: 'secondary', retry_after: 3 }, 2],
    ['a 429 with retry-after', { rate_limit: 'too_many_requests', retry_after: 3 }, 2],
    ['an exhausted primary limit resetting soon', { rate_limit: 'primary', retry_after: 3 }, 2],
    ['a request that never answers', { hang: true }, 2],
    ['a cut-short JSON body', { malformed_body: true }, 2],
  ];
  for (const [name, spec, requests] of passing) {
    it(`${name}: the check passes after ${requests - 1} retry(ies), ${requests} requests, attempt ${requests}`, async () => {
      await fault(spec);
      const { workflowId, result } = await validate();
      assert.equal(result.valid, true, result.blockers.join('; '));
      assert.equal(await statusReads(), requests);
      assert.deepEqual(await attempts(workflowId, 'checkTestsPassed'), [requests]);
    });
  }

  it('a 5xx that lasts: five attempts, five requests, then a blocker naming GitHub’s answer', async () => {
    await fault({ status: 503, count: 0 });
    const { workflowId, result } = await validate();
    assert.equal(result.valid, false);
    assert.match(result.blockers.join('\n'), /tests_passed: .*GitHub answered 503: Service Unavailable for GET/);
    assert.equal(await statusReads(), 5);
    assert.deepEqual(await attempts(workflowId, 'checkTestsPassed'), [5]);
  });

  it('a primary limit resetting in 50 minutes is not waited out: one request, a blocker saying when', async () => {
    await fault({ rate_limit: 'primary', retry_after: 3000 });
    const { workflowId, result } = await validate();
    assert.equal(result.valid, false);
    assert.match(result.blockers.join('\n'), /hourly API quota is used up.*Try again after \d{4}-/);
    assert.equal(await statusReads(), 1);
    assert.deepEqual(await attempts(workflowId, 'checkTestsPassed'), [1]);
  });
});

describe('a write whose answer is lost is retried without being repeated', () => {
  for (const [name, match] of [
    ['the deployment record', 'scheduler/deployments'],
    ['the cd.yml dispatch', 'cd.yml/dispatches'],
  ] as const) {
    it(`${name}: made once, the deployment succeeds`, async () => {
      await steer(harness.sandbox, 'PUT', '/actions/timing', { queued_ms: 20, run_ms: 50 });
      const recordsBefore = await records();
      await steer(harness.sandbox, 'POST', '/faults', {
        lost_answer: true,
        method: 'POST',
        match,
      });
      const workflowId = `deploy-${randomUUID()}`;
      const state = await harness.execute<typeof deployment>(
        WORKFLOW_TYPES.deployment,
        [deploymentRequest({ kind: 'deploy', environment: 'staging', version: 'v1.2.0', skipSmokeTests: true })],
        workflowId,
      );
      assert.equal(state.status, 'success', state.failure_reason ?? '');
      assert.equal(((await steer(harness.sandbox, 'GET', '/actions/runs')) as unknown[]).length, 1);
      assert.equal((await records()) - recordsBefore, 1);
      const activity = match.endsWith('/dispatches') ? 'dispatchDeploymentRun' : 'createDeploymentRecord';
      assert.deepEqual(await attempts(workflowId, activity), [2]);
    });
  }
});

describe('faults that will not fix themselves fail at once, naming the fix', () => {
  /** Validation turns a check that failed for good into a blocker; the ref's check comes first. */
  async function failedValidation(): Promise<string> {
    const { workflowId, result } = await validate();
    assert.equal(result.valid, false);
    assert.deepEqual(await attempts(workflowId, 'resolveGitRef'), [1]);
    assert.deepEqual(await attempts(workflowId, 'findDeployedVersion'), [1]);
    // resolveGitRef's three parallel reads and the deployed-version read, once each; nothing else ran.
    assert.equal((await githubRequests(harness.sandbox)).length, 4);
    return result.blockers[0] ?? '';
  }

  it('401: no retry, the blocker names GITHUB_TOKEN', async () => {
    await steer(harness.sandbox, 'POST', '/faults', { status: 401, count: 0 });
    assert.match(await failedValidation(), /^git_ref_resolves: .*401 Bad credentials\)\. Set GITHUB_TOKEN to a valid/);
  });

  it('403 without a rate limit: a missing permission, no retry', async () => {
    await steer(harness.sandbox, 'POST', '/faults', { status: 403, count: 0 });
    assert.match(
      await failedValidation(),
      /Resource not accessible by personal access token\)\. Give GITHUB_TOKEN the permissions/,
    );
  });

  describe('with a wrong configuration', () => {
    after(() => harness.reconfigure(SETTINGS));

    it('404 of a missing repository names GITHUB_REPOSITORY (not "no such ref")', async () => {
      await harness.reconfigure({ ...SETTINGS, GITHUB_REPOSITORY: 'sandbox-org/no-such-repo' });
      assert.match(
        await failedValidation(),
        /404 Not Found for GET \/repos\/sandbox-org\/no-such-repo\/commits\/main .*Check GITHUB_REPOSITORY/,
      );
    });

    it('404 of a missing deploy workflow names CD_WORKFLOW; nothing is dispatched, the record ends in error', async () => {
      await harness.reconfigure({ ...SETTINGS, CD_WORKFLOW: 'deploy.yml' });
      const state = await deploymentOutcome(
        harness.execute<typeof deployment>(WORKFLOW_TYPES.deployment, [
          deploymentRequest({ kind: 'deploy', environment: 'staging', version: 'v1.2.0' }),
        ]),
      );
      assert.equal(state.status, 'failure');
      assert.match(
        state.failure_reason ?? '',
        /404 Not Found for POST .*\/actions\/workflows\/deploy\.yml\/dispatches/,
      );
      assert.match(state.failure_reason ?? '', /Check CD_WORKFLOW \(deploy\.yml\)/);
      const dispatches = (await githubRequests(harness.sandbox)).filter((request) => request.method === 'POST');
      assert.equal(dispatches.filter((request) => request.path.endsWith('/dispatches')).length, 1);
      assert.deepEqual(await steer(harness.sandbox, 'GET', '/actions/runs'), []);
      const { data: statuses } = await sandboxOctokit(harness.sandbox).rest.repos.listDeploymentStatuses({
        ...SANDBOX_REPO,
        deployment_id: state.github_deployment_id ?? 0,
      });
      assert.equal(statuses[0]?.state, 'error');
    });
  });
});
