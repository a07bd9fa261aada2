// `npm run record-histories`: runs each workflow through its main paths against the sandbox on the time-skipping
// server and saves the histories under test/histories/, where the replay tier replays them against today's code.
// Re-record only on purpose: a recorded history is the contract that running workflows hold us to.
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { WorkflowHandle } from '@temporalio/client';
import { historyToJSON } from '@temporalio/common/lib/proto-utils.js';
import type { DeploymentState } from '../domain/deployment.js';
import { deploymentRequest, waitForState } from '../test/helpers/deployments.js';
import { steer } from '../test/helpers/sandbox-control.js';
import { TEST_ADMIN_TOKEN } from '../test/helpers/sandbox-worker.js';
import { startTimeSkippingEnv } from '../test/helpers/temporal-env.js';
import { startHarness } from '../test/helpers/workflow-harness.js';
import { approveSignal, rejectSignal } from '../workflows/deployment-messages.js';
import { PROJECT_ROOT } from './temporal-binaries.js';

const FOLDER = join(PROJECT_ROOT, 'test', 'histories');
const harness = await startHarness(startTimeSkippingEnv);

const validateInput = (environment: string, git_ref: string) => ({
  environment,
  git_ref,
  dry_run: false,
  skip_tests: false,
  skip_security_scan: false,
});
const scanInput = (git_ref: string) => ({
  git_ref,
  scan_dependencies: true,
  scan_code: true,
  scan_secrets: true,
  dry_run: false,
});
const smokeInput = (test_suite: string) => ({
  environment: 'staging',
  test_suite,
  timeout_seconds: 60,
  dry_run: false,
});

/** Approves a promotion once it waits, as a person would. */
async function approveWhenAsked(handle: WorkflowHandle) {
  await waitForState(handle, (state) => state.status === 'awaiting_approval');
  await handle.signal(approveSignal, { token: TEST_ADMIN_TOKEN, approver: 'recorder' });
}

/** A successful promotion of v1.1.0, so a rollback has something to go back from. */
async function promoteFirst() {
  const handle = await harness.env.client.workflow.start('deployment', {
    taskQueue: harness.worker.config.taskQueue,
    workflowId: `setup-${Date.now()}`,
    args: [deploymentRequest({ version: 'v1.1.0', skipSmokeTests: true })],
  });
  await approveWhenAsked(handle);
  await handle.result();
}

const scenarios: {
  name: string;
  workflowType: string;
  args: unknown[];
  prepare?: () => Promise<unknown>;
  drive?: (handle: WorkflowHandle) => Promise<unknown>;
  children?: string[];
  /** Children whose ids the workflow made up, read from its result. */
  resultChildren?: (result: DeploymentState) => string[];
}[] = [
  {
    name: 'validate-main-valid-audited',
    workflowType: 'validateDeployment',
    args: [validateInput('staging', 'main')],
    children: ['security-scan'],
  },
  {
    name: 'validate-unresolved-ref-audited',
    workflowType: 'validateDeployment',
    args: [validateInput('staging', 'nope')],
  },
  {
    name: 'validate-ci-failing-audited',
    workflowType: 'validateDeployment',
    args: [validateInput('production', 'v1.2.0')],
    prepare: () => steer(harness.sandbox, 'POST', '/checks', { ref: 'v1.2.0', conclusion: 'failure' }),
    children: ['security-scan'],
  },
  { name: 'scan-main-audited', workflowType: 'runSecurityScan', args: [scanInput('main')] },
  {
    name: 'scan-critical-audited',
    workflowType: 'runSecurityScan',
    args: [scanInput('main')],
    prepare: () => steer(harness.sandbox, 'POST', '/alerts/dependabot', { severity: 'critical' }),
  },
  { name: 'smoke-full-passed-audited', workflowType: 'runSmokeTests', args: [smokeInput('full')] },
  {
    name: 'smoke-basic-failed-audited',
    workflowType: 'runSmokeTests',
    args: [smokeInput('basic')],
    prepare: () => steer(harness.sandbox, 'POST', '/apps/staging/components/redis', { mode: 'unhealthy' }),
  },
  {
    // A short timeout, waited in real time: the recorder's history must not depend on the test server skipping a day.
    name: 'promotion-timed-out',
    workflowType: 'deployment',
    args: [deploymentRequest({ skipSmokeTests: true, approvalTimeoutSeconds: 2 })],
  },
  {
    name: 'promotion-approved',
    workflowType: 'deployment',
    args: [deploymentRequest({ version: 'v1.1.0' })],
    drive: approveWhenAsked,
    children: ['smoke-staging', 'smoke-production'],
  },
  {
    name: 'promotion-run-failed',
    workflowType: 'deployment',
    args: [deploymentRequest({ version: 'v1.2.0', skipSmokeTests: true })],
    prepare: () =>
      steer(harness.sandbox, 'POST', '/actions/outcomes', { environment: 'production', conclusion: 'failure' }),
    drive: approveWhenAsked,
    resultChildren: (result) => (result.automatic_rollback ? [result.automatic_rollback.rollback_id] : []),
  },
  {
    name: 'promotion-rejected',
    workflowType: 'deployment',
    args: [deploymentRequest({ skipSmokeTests: true })],
    drive: async (handle) => {
      await waitForState(handle, (state) => state.status === 'awaiting_approval');
      await handle.signal(approveSignal, { token: 'not-an-admin-token' });
      await waitForState(handle, (state) => state.approval.refused_attempts === 1);
      await handle.signal(rejectSignal, { reason: 'release freeze', rejected_by: 'recorder' });
    },
  },
  {
    name: 'rollback-to-previous',
    workflowType: 'deployment',
    args: [deploymentRequest({ kind: 'rollback', version: null, reason: 'recorded', skipTests: true })],
    prepare: promoteFirst,
  },
  {
    name: 'rollback-nothing-earlier',
    workflowType: 'deployment',
    args: [deploymentRequest({ kind: 'rollback', version: null, reason: 'recorded' })],
  },
  {
    name: 'deploy-staging',
    workflowType: 'deployment',
    args: [deploymentRequest({ kind: 'deploy', environment: 'staging', version: 'main' })],
    children: ['smoke-staging'],
  },
  {
    name: 'plan-promotion',
    workflowType: 'planDeployment',
    args: [deploymentRequest({ version: 'v1.2.0' })],
  },
];

/** Named by the workflow id, which replay must present again (a child's id is checked against its parent's). */
async function save(workflowId: string) {
  const history = await harness.env.client.workflow.getHandle(workflowId).fetchHistory();
  await writeFile(join(FOLDER, `${encodeURIComponent(workflowId)}.json`), `${historyToJSON(history)}\n`);
  console.error(`recorded ${workflowId}`);
}

try {
  await mkdir(FOLDER, { recursive: true });
  for (const scenario of scenarios) {
    await steer(harness.sandbox, 'POST', '/reset');
    await steer(harness.sandbox, 'PUT', '/actions/timing', { queued_ms: 20, run_ms: 80 });
    await scenario.prepare?.();
    const workflowId = scenario.name;
    const handle = await harness.env.client.workflow.start(scenario.workflowType, {
      taskQueue: harness.worker.config.taskQueue,
      workflowId,
      args: scenario.args,
    });
    await scenario.drive?.(handle);
    const result = await handle.result();
    await save(workflowId);
    for (const child of scenario.children ?? []) await save(`${workflowId}/${child}`);
    for (const child of scenario.resultChildren?.(result as DeploymentState) ?? []) await save(child);
  }
  // Every deployment's lock has this one id; its latest run stands for all.
  await save('environment-lock-production');
} finally {
  await harness.close();
}
