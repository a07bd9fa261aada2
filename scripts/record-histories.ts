// `npm run record-histories`: runs each workflow through its main paths against the sandbox on the time-skipping
// server and saves the histories under test/histories/, where the replay tier replays them against today's code.
// Re-record only on purpose: a recorded history is the contract that running workflows hold us to.
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { WithStartWorkflowOperation, type WorkflowHandle } from '@temporalio/client';
import { historyToJSON } from '@temporalio/common/lib/proto-utils.js';
import { deliveryLedgerId, ledgerEntry, ledgerId, mergeEntries, packLedger } from '../domain/delivery-ledger.js';
import type { DeliveryRecord } from '../domain/delivery-metrics.js';
import type { DeploymentState, StartDeploymentInput } from '../domain/deployment.js';
import { deploymentRequest, waitForState } from '../test/helpers/deployments.js';
import { steer } from '../test/helpers/sandbox-control.js';
import { TEST_ADMIN_TOKEN } from '../test/helpers/sandbox-worker.js';
import { startTimeSkippingEnv } from '../test/helpers/temporal-env.js';
import { startHarness } from '../test/helpers/workflow-harness.js';
import { adjustBakeUpdate } from '../workflows/bake-messages.js';
import {
  deliveryFiguresQuery,
  recordCommitTimesUpdate,
  recordDeploymentsUpdate,
} from '../workflows/delivery-ledger-messages.js';
import { deploymentOutcome } from '../workflows/deployment-failure.js';
import {
  approveSignal,
  approveUpdate,
  rejectSignal,
  rejectUpdate,
  startDeploymentUpdate,
} from '../workflows/deployment-messages.js';
import { WORKFLOW_TYPES, type WorkflowType } from '../workflows/workflow-types.js';
import { PROJECT_ROOT } from './temporal-binaries.js';

const FOLDER = join(PROJECT_ROOT, 'test', 'histories');
/** `npm run record-histories -- <name>...` records only those scenarios (new ones), leaving every other file as is. */
const ONLY = process.argv.slice(2);
const RECORDED_BAKE = { seconds: 120, probeIntervalSeconds: 10, failedRoundsToRollBack: 2, errorRate: null };
const RECORDED_CANARY = {
  weightInput: 'traffic_weight',
  steps: [10, 50, 100],
  analysis: { ...RECORDED_BAKE, seconds: 60 },
};
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

/** Approves a promotion at its gate through the approve Update, as the gateway does. */
async function approveByUpdate(handle: WorkflowHandle) {
  await waitForState(handle, (state) => state.status === 'awaiting_approval');
  await handle.executeUpdate(approveUpdate, { args: [{ token: TEST_ADMIN_TOKEN, approver: 'recorder' }] });
}

/** Approves a promotion once it waits, as a person would. */
async function approveWhenAsked(handle: WorkflowHandle) {
  await waitForState(handle, (state) => state.status === 'awaiting_approval');
  await handle.signal(approveSignal, { token: TEST_ADMIN_TOKEN, approver: 'recorder' });
}

/** A successful promotion of v1.1.0, so a rollback has something to go back from. */
async function promoteFirst() {
  const handle = await harness.env.client.workflow.start(WORKFLOW_TYPES.deployment, {
    taskQueue: harness.worker.config.taskQueue,
    workflowId: `setup-${Date.now()}`,
    args: [deploymentRequest({ version: 'v1.1.0', skipSmokeTests: true })],
  });
  await approveWhenAsked(handle);
  await handle.result();
}

const scenarios: {
  name: string;
  workflowType: WorkflowType;
  args: unknown[];
  prepare?: () => Promise<unknown>;
  drive?: (handle: WorkflowHandle) => Promise<unknown>;
  /** Started with an Update (update-with-start), as the gateway starts deployments. */
  startUpdate?: StartDeploymentInput;
  /** Saves the environment lock's history after this scenario, under this name. */
  lockHistory?: string;
  children?: string[];
  /** Children whose ids the workflow made up, read from its result. */
  resultChildren?: (result: DeploymentState) => string[];
}[] = [
  {
    name: 'validate-main-valid-audited',
    workflowType: WORKFLOW_TYPES.validateDeployment,
    args: [validateInput('staging', 'main')],
    children: ['security-scan'],
  },
  {
    name: 'validate-unresolved-ref-audited',
    workflowType: WORKFLOW_TYPES.validateDeployment,
    args: [validateInput('staging', 'nope')],
  },
  {
    name: 'validate-ci-failing-audited',
    workflowType: WORKFLOW_TYPES.validateDeployment,
    args: [validateInput('production', 'v1.2.0')],
    prepare: () => steer(harness.sandbox, 'POST', '/checks', { ref: 'v1.2.0', conclusion: 'failure' }),
    children: ['security-scan'],
  },
  { name: 'scan-main-audited', workflowType: WORKFLOW_TYPES.runSecurityScan, args: [scanInput('main')] },
  {
    name: 'scan-critical-audited',
    workflowType: WORKFLOW_TYPES.runSecurityScan,
    args: [scanInput('main')],
    prepare: () => steer(harness.sandbox, 'POST', '/alerts/dependabot', { severity: 'critical' }),
  },
  { name: 'smoke-full-passed-audited', workflowType: WORKFLOW_TYPES.runSmokeTests, args: [smokeInput('full')] },
  {
    name: 'smoke-basic-failed-audited',
    workflowType: WORKFLOW_TYPES.runSmokeTests,
    args: [smokeInput('basic')],
    prepare: () => steer(harness.sandbox, 'POST', '/apps/staging/components/redis', { mode: 'unhealthy' }),
  },
  {
    // A short timeout, waited in real time: the recorder's history must not depend on the test server skipping a day.
    name: 'promotion-timed-out',
    workflowType: WORKFLOW_TYPES.deployment,
    args: [deploymentRequest({ skipSmokeTests: true, approvalTimeoutSeconds: 2 })],
  },
  {
    name: 'promotion-approved',
    workflowType: WORKFLOW_TYPES.deployment,
    args: [deploymentRequest({ version: 'v1.1.0' })],
    drive: approveWhenAsked,
    children: ['smoke-staging', 'smoke-production'],
  },
  {
    name: 'promotion-run-failed',
    workflowType: WORKFLOW_TYPES.deployment,
    args: [deploymentRequest({ version: 'v1.2.0', skipSmokeTests: true })],
    prepare: () =>
      steer(harness.sandbox, 'POST', '/actions/outcomes', { environment: 'production', conclusion: 'failure' }),
    drive: approveWhenAsked,
    resultChildren: (result) => (result.automatic_rollback ? [result.automatic_rollback.rollback_id] : []),
  },
  {
    name: 'promotion-rejected',
    workflowType: WORKFLOW_TYPES.deployment,
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
    workflowType: WORKFLOW_TYPES.deployment,
    args: [deploymentRequest({ kind: 'rollback', version: null, reason: 'recorded', skipTests: true })],
    prepare: promoteFirst,
  },
  {
    name: 'rollback-nothing-earlier',
    workflowType: WORKFLOW_TYPES.deployment,
    args: [deploymentRequest({ kind: 'rollback', version: null, reason: 'recorded' })],
  },
  {
    name: 'deploy-staging',
    workflowType: WORKFLOW_TYPES.deployment,
    args: [deploymentRequest({ kind: 'deploy', environment: 'staging', version: 'main' })],
    children: ['smoke-staging'],
  },
  // Since approvals are Updates decided on arrival, the lock hands over to the automatic rollback, and deployments
  // start by update-with-start (the histories above hold the earlier behaviour, and keep replaying).
  {
    name: 'promotion-started-with-token',
    workflowType: WORKFLOW_TYPES.deployment,
    args: [deploymentRequest({ version: 'v1.1.0', skipSmokeTests: true })],
    startUpdate: { approval: { token: TEST_ADMIN_TOKEN, approver: 'recorder' } },
  },
  {
    name: 'promotion-approved-by-update',
    workflowType: WORKFLOW_TYPES.deployment,
    args: [deploymentRequest({ version: 'v1.1.0' })],
    startUpdate: {},
    drive: approveByUpdate,
    children: ['smoke-staging', 'smoke-production'],
  },
  {
    name: 'promotion-approved-before-gate',
    workflowType: WORKFLOW_TYPES.deployment,
    args: [deploymentRequest({ version: 'v1.1.0' })],
    prepare: () => steer(harness.sandbox, 'POST', '/apps/staging/components/celery_beat', { mode: 'hold' }),
    drive: async (handle) => {
      await waitForState(handle, (state) => state.current_step === 'running the full smoke tests on staging');
      await handle.executeUpdate(approveUpdate, { args: [{ token: TEST_ADMIN_TOKEN, approver: 'recorder' }] });
      await steer(harness.sandbox, 'POST', '/apps/staging/components/celery_beat', { mode: 'healthy' });
    },
    children: ['smoke-staging'],
  },
  {
    name: 'promotion-rejected-by-update',
    workflowType: WORKFLOW_TYPES.deployment,
    args: [deploymentRequest({ skipSmokeTests: true })],
    drive: async (handle) => {
      await waitForState(handle, (state) => state.status === 'awaiting_approval');
      await handle.executeUpdate(approveUpdate, { args: [{ token: 'not-an-admin-token' }] });
      await handle.executeUpdate(rejectUpdate, { args: [{ reason: 'release freeze', rejected_by: 'recorder' }] });
    },
  },
  // Since the bake window (patched 'bake-window'): a bake an operator extends, then ends early; a bake whose health
  // fails, rolled back automatically.
  {
    name: 'promotion-baked-adjusted',
    workflowType: WORKFLOW_TYPES.deployment,
    args: [deploymentRequest({ version: 'v1.1.0', skipSmokeTests: true, bake: RECORDED_BAKE })],
    startUpdate: { approval: { token: TEST_ADMIN_TOKEN, approver: 'recorder' } },
    drive: async (handle) => {
      await waitForState(handle, (state) => (state.bake?.probe_rounds ?? 0) >= 1);
      await handle.executeUpdate(adjustBakeUpdate, { args: [{ action: 'extend', seconds: 60, reason: 'recorded' }] });
      await waitForState(handle, (state) => (state.bake?.probe_rounds ?? 0) >= 2);
      await handle.executeUpdate(adjustBakeUpdate, {
        args: [{ action: 'end_now', reason: 'recorded', by: 'recorder' }],
      });
    },
  },
  {
    name: 'promotion-bake-breached',
    workflowType: WORKFLOW_TYPES.deployment,
    args: [deploymentRequest({ version: 'v1.1.0', skipSmokeTests: true, bake: RECORDED_BAKE })],
    startUpdate: { approval: { token: TEST_ADMIN_TOKEN, approver: 'recorder' } },
    drive: async (handle) => {
      await waitForState(handle, (state) => (state.bake?.probe_rounds ?? 0) >= 1);
      await steer(harness.sandbox, 'POST', '/apps/production/components/api', { mode: 'unhealthy' });
    },
    resultChildren: (result) => (result.automatic_rollback ? [result.automatic_rollback.rollback_id] : []),
  },
  // Since canary steps (patched 'canary-steps'): a canary of three steps that breaches at 50% and rolls back; one
  // that reaches 100%, verifies and bakes.
  {
    name: 'promotion-canary-breached',
    workflowType: WORKFLOW_TYPES.deployment,
    args: [deploymentRequest({ version: 'v1.1.0', skipSmokeTests: true, canary: RECORDED_CANARY })],
    startUpdate: { approval: { token: TEST_ADMIN_TOKEN, approver: 'recorder' } },
    drive: async (handle) => {
      await waitForState(handle, (state) => state.canary?.weight === 50 && state.bake?.outcome === 'baking');
      await steer(harness.sandbox, 'POST', '/apps/production/components/api', { mode: 'unhealthy' });
    },
    resultChildren: (result) => (result.automatic_rollback ? [result.automatic_rollback.rollback_id] : []),
  },
  {
    name: 'promotion-canary-completed',
    workflowType: WORKFLOW_TYPES.deployment,
    args: [
      deploymentRequest({ version: 'v1.1.0', skipSmokeTests: true, canary: RECORDED_CANARY, bake: RECORDED_BAKE }),
    ],
    startUpdate: { approval: { token: TEST_ADMIN_TOKEN, approver: 'recorder' } },
  },
  // Since deployments record their commits' times going live: the compare read, and GitHub failing at it.
  {
    name: 'promotion-recorded-commit-times',
    workflowType: WORKFLOW_TYPES.deployment,
    args: [deploymentRequest({ version: 'v1.2.0', skipSmokeTests: true })],
    startUpdate: { approval: { token: TEST_ADMIN_TOKEN, approver: 'recorder' } },
  },
  // Since deployments tell the delivery ledger how they ended: a promotion whose ledger runs, and one whose does not.
  {
    name: 'promotion-told-delivery-ledger',
    workflowType: WORKFLOW_TYPES.deployment,
    args: [deploymentRequest({ version: 'v1.2.0', skipSmokeTests: true })],
    prepare: () =>
      harness.env.client.workflow.start(WORKFLOW_TYPES.deliveryLedger, {
        taskQueue: harness.worker.config.taskQueue,
        workflowId: deliveryLedgerId(harness.worker.config.taskQueue, 'production'),
        args: [{ environment: 'production' }],
      }),
    startUpdate: { approval: { token: TEST_ADMIN_TOKEN, approver: 'recorder' } },
  },
  {
    name: 'promotion-no-delivery-ledger',
    workflowType: WORKFLOW_TYPES.deployment,
    args: [deploymentRequest({ version: 'v1.2.0', skipSmokeTests: true })],
    prepare: () =>
      harness.env.client.workflow
        .getHandle(deliveryLedgerId(harness.worker.config.taskQueue, 'production'))
        .terminate('recording a promotion whose ledger does not run')
        .catch(() => undefined),
    startUpdate: { approval: { token: TEST_ADMIN_TOKEN, approver: 'recorder' } },
  },
  {
    name: 'promotion-commit-times-unreadable',
    workflowType: WORKFLOW_TYPES.deployment,
    args: [deploymentRequest({ version: 'v1.2.0', skipSmokeTests: true })],
    prepare: () => steer(harness.sandbox, 'POST', '/faults', { match: '/compare/', status: 503, count: 0 }),
    startUpdate: { approval: { token: TEST_ADMIN_TOKEN, approver: 'recorder' } },
  },
  {
    name: 'plan-promotion',
    workflowType: WORKFLOW_TYPES.planDeployment,
    args: [deploymentRequest({ version: 'v1.2.0' })],
  },
];

// The same runs again on today's code, under new names: the histories above keep the behaviour they recorded.
for (const [earlier, now] of [
  ['promotion-timed-out', 'promotion-timed-out-decided-on-arrival'],
  ['deploy-staging', 'deploy-staging-in-steps'],
  ['rollback-to-previous', 'rollback-to-previous-in-steps'],
]) {
  const scenario = scenarios.find((each) => each.name === earlier);
  if (scenario) scenarios.splice(scenarios.length - 1, 0, { ...scenario, name: now as string });
}
// A failed promotion hands its lock to the automatic rollback: the lock's own history of that is kept too.
const runFailed = scenarios.find((each) => each.name === 'promotion-run-failed');
if (runFailed) {
  scenarios.splice(scenarios.length - 1, 0, {
    ...runFailed,
    name: 'promotion-run-failed-lock-handed-over',
    lockHistory: 'environment-lock-production@handed-over',
  });
}

/**
 * Named by the workflow id, which replay must present again (a child's id is checked against its parent's); a second
 * history of the same id (the environment lock's) adds `@what` to the name.
 */
async function save(workflowId: string, as = workflowId) {
  const history = await harness.env.client.workflow.getHandle(workflowId).fetchHistory();
  const [id, variant] = as.split('@');
  const name = `${encodeURIComponent(id ?? as)}${variant ? `@${variant}` : ''}`;
  await writeFile(join(FOLDER, `${name}.json`), `${historyToJSON(history)}\n`);
  console.error(`recorded ${as}`);
}

async function start(scenario: (typeof scenarios)[number]): Promise<WorkflowHandle> {
  const options = { taskQueue: harness.worker.config.taskQueue, workflowId: scenario.name, args: scenario.args };
  if (!scenario.startUpdate) return harness.env.client.workflow.start(scenario.workflowType, options);
  const startWorkflowOperation = new WithStartWorkflowOperation(scenario.workflowType, {
    ...options,
    workflowIdConflictPolicy: 'FAIL',
  });
  await harness.env.client.workflow.executeUpdateWithStart(startDeploymentUpdate, {
    args: [scenario.startUpdate],
    startWorkflowOperation,
  });
  return startWorkflowOperation.workflowHandle();
}

/**
 * The delivery ledger never ends: it is recorded while it runs, as a run continued from an earlier one (packed
 * entries in its input) that is fed a reading and GitHub's commit times, then ended here.
 */
async function recordLedger() {
  const name = 'delivery-ledger-fed';
  const hour = 60 * 60_000;
  const at = (hours: number) => new Date(Date.parse('2026-11-01T00:00:00Z') + hours * hour).toISOString();
  const carried = packLedger(
    mergeEntries(
      [],
      [ledgerEntry(ledgerRecord('p1', 'sha-1', 1, [0.5]))].flatMap((each) => each ?? []),
      Date.now(),
    ),
  );
  const handle = await harness.env.client.workflow.start(WORKFLOW_TYPES.deliveryLedger, {
    taskQueue: harness.worker.config.taskQueue,
    workflowId: name,
    args: [{ environment: 'production', entries: carried, until: Date.parse(at(1)) }],
  });
  await handle.executeUpdate(recordDeploymentsUpdate, {
    args: [{ records: [ledgerRecord('p2', 'sha-2', 2, [1.5]), ledgerRecord('p3', 'sha-3', 3)], readUntil: Date.now() }],
  });
  await handle.executeUpdate(recordCommitTimesUpdate, { args: [{ times: { [ledgerId('p3')]: [at(2.5)] } }] });
  await handle.query(deliveryFiguresQuery, { window_days: 365, now: Date.now(), buckets: 4 });
  await save(name);
  await handle.terminate('recorded');

  function ledgerRecord(id: string, sha: string, hours: number, commits?: number[]): DeliveryRecord {
    return {
      deployment_id: id,
      kind: 'promotion',
      status: 'success',
      git_ref: sha,
      initiated_at: at(hours - 0.2),
      completed_at: at(hours),
      dispatched: true,
      ...(commits ? { commit_times: commits.map(at) } : {}),
    };
  }
}

try {
  await mkdir(FOLDER, { recursive: true });
  if (ONLY.length === 0 || ONLY.includes('delivery-ledger-fed')) await recordLedger();
  for (const scenario of scenarios.filter((each) => ONLY.length === 0 || ONLY.includes(each.name))) {
    await steer(harness.sandbox, 'POST', '/reset');
    await steer(harness.sandbox, 'PUT', '/actions/timing', { queued_ms: 20, run_ms: 80 });
    await scenario.prepare?.();
    const workflowId = scenario.name;
    const handle = await start(scenario);
    await scenario.drive?.(handle);
    const result = await deploymentOutcome(handle.result());
    await save(workflowId);
    for (const child of scenario.children ?? []) await save(`${workflowId}/${child}`);
    for (const child of scenario.resultChildren?.(result as DeploymentState) ?? []) await save(child);
    if (scenario.lockHistory) await save('environment-lock-production', scenario.lockHistory);
  }
  // Every deployment's lock has this one id; its latest run stands for all.
  if (ONLY.length === 0) await save('environment-lock-production');
} finally {
  await harness.close();
}
