// Deployments record their commits' times when they go live: real promotions and a rollback on the real dev server
// (the memo is kept where search attributes are registered, as in the product), real activities against the sandbox
// GitHub, whose compare answers from its own git history and whose fault injection makes compare fail.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, afterEach, before, beforeEach, describe, it } from 'node:test';
import type { WorkflowHandle } from '@temporalio/client';
import { infoFromVisibility } from '../../mcp-gateway/deployment-client.js';
import { githubTimestamp } from '../../sandbox/timestamps.js';
import { MAX_RECORDED_COMMITS } from '../../workflows/deployment/commit-times-step.js';
import type { deployment } from '../../workflows/deployment.js';
import { approveSignal } from '../../workflows/deployment-messages.js';
import {
  deploymentRequest,
  deploymentResult,
  startDeploymentWorkflow,
  terminateStartedDeployments,
} from '../helpers/deployments.js';
import { githubRequests, steer } from '../helpers/sandbox-control.js';
import { TEST_ADMIN_TOKEN } from '../helpers/sandbox-worker.js';
import { startDevServerEnv } from '../helpers/temporal-env.js';
import { type Harness, startHarness } from '../helpers/workflow-harness.js';

let harness: Harness;
before(async () => {
  harness = await startHarness(startDevServerEnv);
});
after(() => harness.close());
afterEach(terminateStartedDeployments);
beforeEach(async () => {
  await steer(harness.sandbox, 'POST', '/reset');
  await steer(harness.sandbox, 'PUT', '/actions/timing', { queued_ms: 20, run_ms: 80 });
});

/** A promotion, approved at its gate, run to its end. */
async function promote(version: string): Promise<WorkflowHandle<typeof deployment>> {
  const handle = await startDeploymentWorkflow(
    harness,
    deploymentRequest({ version, skipSmokeTests: true }),
    `promotion-${randomUUID()}`,
    true,
  );
  await handle.signal(approveSignal, { token: TEST_ADMIN_TOKEN, approver: 'alice' });
  const result = await deploymentResult(handle);
  assert.equal(result.status, 'success', result.failure_reason ?? '');
  return handle;
}

/** The deployment as the gateway reads it from Temporal: its memo, parsed by the gateway's own reader. */
async function memoOf(handle: WorkflowHandle<typeof deployment>) {
  const info = infoFromVisibility(await handle.describe());
  assert.ok(info, 'the memo parses as a DeploymentInfo');
  return info;
}

/** What the sandbox's git history says: the committer times of the commits ahead of `base`, oldest first. */
function commitsBetween(base: string, head: string): string[] {
  const { repository } = harness.sandbox.state.world;
  const baseSha = repository.resolve(base)?.sha as string;
  const behind = new Set(repository.history(baseSha).map((commit) => commit.sha));
  const ahead = repository.history(repository.resolve(head)?.sha as string).filter((commit) => !behind.has(commit.sha));
  return ahead.reverse().map((commit) => githubTimestamp(commit.date));
}

async function commit(index: number, date?: string): Promise<string> {
  const { sha } = (await steer(harness.sandbox, 'POST', '/commits', {
    branch: 'main',
    files: { [`backend/app/change_${index}.py`]: `# change ${index}\n` },
    ...(date ? { date } : {}),
  })) as { sha: string };
  return sha;
}

const compareRequests = async () =>
  (await githubRequests(harness.sandbox)).filter((request) => request.path.includes('/compare/'));

describe('lead times recorded at go-live', () => {
  it('a promotion’s memo carries the committer times of the commits between the previous live commit and its own; a rollback’s none', async () => {
    // Production runs v1.0.0 (the seed's deployment record): v1.2.0 brings v1.1.0's commit and its own.
    const first = await promote('v1.2.0');
    const shipped = commitsBetween('v1.0.0', 'v1.2.0');
    assert.equal(shipped.length, 2);
    assert.deepEqual((await memoOf(first)).commit_times, shipped);
    assert.deepEqual((await deploymentResult(first)).commit_times, shipped);

    // Two new commits on main, tagged: the next promotion brings them and the seed's newest commit after v1.2.0.
    const dates = ['2026-11-20T09:15:00Z', '2026-11-21T16:40:00Z'];
    await commit(1, dates[0]);
    await steer(harness.sandbox, 'POST', '/tags', { tag: 'v1.3.0', ref: await commit(2, dates[1]) });
    const second = await promote('v1.3.0');
    const recorded = (await memoOf(second)).commit_times;
    assert.deepEqual(recorded, commitsBetween('v1.2.0', 'v1.3.0'));
    assert.deepEqual(recorded?.slice(-2), dates);
    assert.equal(recorded?.length, 3);

    const rollback = await startDeploymentWorkflow(
      harness,
      deploymentRequest({ kind: 'rollback', version: null, reason: 'test', skipTests: true, skipSmokeTests: true }),
      `rollback-${randomUUID()}`,
      true,
    );
    const rolledBack = await deploymentResult(rollback);
    assert.equal(rolledBack.status, 'success', rolledBack.failure_reason ?? '');
    assert.equal(rolledBack.versions?.to_version, 'v1.2.0');
    assert.equal((await memoOf(rollback)).commit_times, undefined);
    assert.equal(rolledBack.commit_times, undefined);
  });

  it('still ends success when GitHub cannot compare at go-live: no commit_times, a log line, three attempts', async () => {
    await steer(harness.sandbox, 'POST', '/faults', { match: '/compare/', status: 503, count: 0 });
    const handle = await promote('v1.1.0');
    const result = await deploymentResult(handle);
    assert.equal(result.commit_times, undefined);
    assert.equal((await memoOf(handle)).commit_times, undefined);
    assert.ok(
      result.logs.some((line) =>
        /commit times not recorded: GitHub could not compare [0-9a-f]{40}\.\.\.[0-9a-f]{40}: /.test(line),
      ),
      result.logs.join('\n'),
    );
    // The quick, bounded retries of an optional read, not the five of a GitHub call the deployment needs.
    assert.equal((await compareRequests()).length, 3);
    assert.equal(await runningVersion(), 'v1.1.0');
  });

  it(`records nothing for a promotion of more than ${MAX_RECORDED_COMMITS} commits, after one compare request`, async () => {
    let head = '';
    for (let index = 0; index <= MAX_RECORDED_COMMITS; index++) head = await commit(index);
    await steer(harness.sandbox, 'POST', '/tags', { tag: 'v2.0.0', ref: head });
    await steer(harness.sandbox, 'DELETE', '/requests');
    const handle = await promote('v2.0.0');
    const result = await deploymentResult(handle);
    assert.equal(result.commit_times, undefined);
    assert.equal((await memoOf(handle)).commit_times, undefined);
    assert.ok(
      result.logs.some((line) => line.includes(`lists more than ${MAX_RECORDED_COMMITS} commits`)),
      result.logs.join('\n'),
    );
    assert.equal((await compareRequests()).length, 1);
  });
});

async function runningVersion(): Promise<string> {
  const body = (await (await fetch(`${harness.sandbox.productionUrl}/api/version`)).json()) as { version: string };
  return body.version;
}
