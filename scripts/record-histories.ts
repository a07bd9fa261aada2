// `npm run record-histories`: runs each workflow through its main paths against the sandbox on the time-skipping
// server and saves the histories under test/histories/, where the replay tier replays them against today's code.
// Re-record only on purpose: a recorded history is the contract that running workflows hold us to.
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { historyToJSON } from '@temporalio/common/lib/proto-utils.js';
import { steer } from '../test/helpers/sandbox-control.js';
import { startTimeSkippingEnv } from '../test/helpers/temporal-env.js';
import { startHarness } from '../test/helpers/workflow-harness.js';
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

const scenarios: {
  name: string;
  workflowType: string;
  args: unknown[];
  prepare?: () => Promise<unknown>;
  children?: string[];
}[] = [
  {
    name: 'validate-main-valid',
    workflowType: 'validateDeployment',
    args: [validateInput('staging', 'main')],
    children: ['security-scan'],
  },
  { name: 'validate-unresolved-ref', workflowType: 'validateDeployment', args: [validateInput('staging', 'nope')] },
  {
    name: 'validate-ci-failing',
    workflowType: 'validateDeployment',
    args: [validateInput('production', 'v1.2.0')],
    prepare: () => steer(harness.sandbox, 'POST', '/checks', { ref: 'v1.2.0', conclusion: 'failure' }),
    children: ['security-scan'],
  },
  { name: 'scan-main', workflowType: 'runSecurityScan', args: [scanInput('main')] },
  {
    name: 'scan-critical',
    workflowType: 'runSecurityScan',
    args: [scanInput('main')],
    prepare: () => steer(harness.sandbox, 'POST', '/alerts/dependabot', { severity: 'critical' }),
  },
  { name: 'smoke-full-passed', workflowType: 'runSmokeTests', args: [smokeInput('full')] },
  {
    name: 'smoke-basic-failed',
    workflowType: 'runSmokeTests',
    args: [smokeInput('basic')],
    prepare: () => steer(harness.sandbox, 'POST', '/apps/staging/components/redis', { mode: 'unhealthy' }),
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
    await scenario.prepare?.();
    const workflowId = scenario.name;
    await harness.env.client.workflow.execute(scenario.workflowType, {
      taskQueue: harness.worker.config.taskQueue,
      workflowId,
      args: scenario.args,
    });
    await save(workflowId);
    for (const child of scenario.children ?? []) await save(`${workflowId}/${child}`);
  }
} finally {
  await harness.close();
}
