import { executeChild } from '@temporalio/workflow';
import type { SmokeTestsResult } from '../../domain/smoke-suites.js';
import { runSmokeTests } from '../run-smoke-tests.js';
import { local } from './activities.js';
import type { DeploymentRun } from './deployment-run.js';
import type { Target } from './plan-step.js';

const SMOKE_TIMEOUT_SECONDS = 300;

/** The full smoke tests of an environment, as a child workflow; whether they passed. */
export async function smokeTestsStep(
  run: DeploymentRun,
  environment: 'staging' | 'production',
  checkName: string,
): Promise<boolean> {
  const since = Date.now();
  run.enter(`running the full smoke tests on ${environment}`);
  const result: SmokeTestsResult = await executeChild(runSmokeTests, {
    workflowId: `${run.deploymentId}/smoke-${environment}`,
    args: [{ environment, test_suite: 'full', timeout_seconds: SMOKE_TIMEOUT_SECONDS, dry_run: false }],
  });
  if (environment === run.request.environment) run.state.health_status = result.passed ? 'healthy' : 'unhealthy';
  run.check(
    checkName,
    result.passed ? 'passed' : 'failed',
    result.passed ? `all ${result.results.length} probes passed` : result.failures.join('; '),
    since,
    { results: result.results },
  );
  return result.passed;
}

/** Step 4, verify: does the environment run the commit, and is it healthy? Null when it is, else why not. */
export async function verifyStep(run: DeploymentRun, target: Target): Promise<string | null> {
  const { environment, skipSmokeTests } = run.request;
  const since = Date.now();
  run.enter(`checking that ${environment} runs ${target.ref}`);
  const running = await local.readRunningVersion(environment);
  if (!running.ok || running.sha !== target.sha) {
    const why = running.ok
      ? `${environment} reports ${running.version ?? '?'} (${running.sha ?? 'no sha'}), not ${target.sha}`
      : running.reason;
    run.check('deployed_version', 'failed', why, since);
    return `the deployed version is not live: ${why}`;
  }
  run.check('deployed_version', 'passed', `${environment} reports ${running.version} (${running.sha})`, since);
  if (skipSmokeTests) {
    run.state.checks.push({
      check_name: `${environment}_smoke_tests`,
      status: 'skipped',
      message: 'skip_smoke_tests=true - not recommended',
      details: {},
      duration_ms: 0,
    });
    return null;
  }
  const healthy = await smokeTestsStep(run, environment, `${environment}_smoke_tests`);
  return healthy ? null : `${environment} smoke tests failed after the deploy`;
}
