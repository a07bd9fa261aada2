import type { SearchAttributePair } from '@temporalio/common';
import {
  CancellationScope,
  condition,
  executeChild,
  isCancellation,
  log,
  ParentClosePolicy,
  proxyActivities,
  setCurrentDetails,
  setHandler,
  TemporalFailure,
  upsertMemo,
  upsertSearchAttributes,
  uuid4,
  workflowInfo,
} from '@temporalio/workflow';
import type { FinishedRun } from '../activities/github/actions-runs.js';
import type { DeploymentRecordState } from '../activities/github/deployment-records.js';
import type { Activities } from '../activities/index.js';
import { SYSTEM_USER } from '../domain/audit.js';
import type { CheckStatus } from '../domain/check.js';
import {
  type ApproveSignal,
  DEPLOYMENT_OPERATIONS,
  type DeploymentRequest,
  type DeploymentState,
  type DeploymentStatus,
  deploymentInfo,
  initialDeploymentState,
  type RejectSignal,
} from '../domain/deployment.js';
import { failureReason } from '../domain/failure-reason.js';
import { SEARCH_ATTRIBUTES } from '../domain/search-attributes.js';
import type { SmokeTestsResult } from '../domain/smoke-tests.js';
import { GITHUB_OPTIONS, GITHUB_WRITE_OPTIONS, RUN_WATCH_OPTIONS, WORKER_LOCAL_OPTIONS } from './activity-options.js';
import { approveSignal, deploymentStateQuery, rejectSignal } from './deployment-messages.js';
import { type PlannedDeployment, planDeploymentSteps } from './deployment-plan.js';
import { type EnvironmentLock, holdEnvironment, releaseEnvironment } from './environment-lock.js';
import { runSmokeTests } from './run-smoke-tests.js';

const github = proxyActivities<Activities>(GITHUB_OPTIONS);
const githubWrite = proxyActivities<Activities>(GITHUB_WRITE_OPTIONS);
const local = proxyActivities<Activities>(WORKER_LOCAL_OPTIONS);
const runWatch = proxyActivities<Activities>(RUN_WATCH_OPTIONS);

const SMOKE_TIMEOUT_SECONDS = 300;

class DeploymentRefused extends Error {}

/**
 * One deployment of one environment: a staging deploy, a production promotion (which waits for a person's approval)
 * or a rollback. The workflow id is the deployment id. After dispatching cd.yml it always ends with the environment
 * in a known state: the new version proven by its smoke tests, or the previous one restored by an automatic
 * rollback that runs even when the deployment is cancelled.
 */
export async function deployment(request: DeploymentRequest): Promise<DeploymentState> {
  const info = workflowInfo();
  const deploymentId = info.workflowId;
  const startedAt = Date.now();
  // Search attributes exist only where the gateway registered and set them (not on the test server).
  const searchable = info.typedSearchAttributes.getAll().length > 0;
  const operation = request.automaticRollbackOf ? 'automatic_rollback' : DEPLOYMENT_OPERATIONS[request.kind];
  const approvalRequired = request.kind === 'promotion';

  const state = initialDeploymentState(deploymentId, request, new Date(startedAt).toISOString());

  const approvals: ApproveSignal[] = [];
  let rejection: RejectSignal | null = null;
  setHandler(deploymentStateQuery, () => state);
  setHandler(approveSignal, (signal) => {
    approvals.push(signal);
  });
  setHandler(rejectSignal, (signal) => {
    rejection ??= signal;
  });

  const writeLog = (line: string) => {
    state.logs.push(`${new Date().toISOString()} ${line}`);
    log.info(line, { deploymentId });
  };
  const publish = () => {
    setCurrentDetails(
      `**${state.status}**: ${state.current_step}\n\n${request.kind} of ${state.version ?? '(previous version)'} to ${request.environment}`,
    );
    if (!searchable) return;
    upsertSearchAttributes([
      { key: SEARCH_ATTRIBUTES.status, value: state.status },
      ...(state.version ? [{ key: SEARCH_ATTRIBUTES.version, value: state.version }] : []),
    ] as SearchAttributePair[]);
    upsertMemo({ deployment: deploymentInfo(state) });
  };
  const enter = (step: string, status: DeploymentStatus = state.status) => {
    state.current_step = step;
    state.status = status;
    writeLog(step);
    publish();
  };
  const check = (check_name: string, status: CheckStatus, message: string, since: number, details = {}) => {
    state.checks.push({ check_name, status, message, details, duration_ms: Date.now() - since });
    writeLog(`${check_name}: ${status}: ${message}`);
  };
  const audit = (auditOperation: string, success: boolean, details: Record<string, unknown>) =>
    local.recordAudit({
      operation: auditOperation,
      user: request.initiatedBy,
      environment: request.environment,
      success,
      dry_run: false,
      details: { deployment_id: deploymentId, kind: request.kind, ...details },
    });

  let lock: EnvironmentLock | null = null;
  let planned: PlannedDeployment | null = null;
  let recordId: number | null = null;
  let dispatched = false;

  const finish = async (status: 'success' | 'failure', why: string | null) => {
    state.failure_reason = why;
    state.completed_at = new Date().toISOString();
    state.duration_ms = Date.now() - startedAt;
    enter(status === 'success' ? 'finished' : `failed: ${why}`, status);
    // A refused request already has its one line; only a deployment that started gets a second.
    if (state.phase !== 'refused')
      await audit('deployment_finished', status === 'success', {
        version: state.version,
        status,
        ...(why ? { error: why } : {}),
        ...(state.automatic_rollback ? { automatic_rollback: state.automatic_rollback } : {}),
      });
    if (lock) await releaseEnvironment(lock);
  };

  const setRecord = async (recordState: DeploymentRecordState, description: string) => {
    if (recordId === null) return;
    await github.setDeploymentRecordStatus({
      recordId,
      environment: request.environment,
      state: recordState,
      description,
      ...(state.logs_url ? { logUrl: state.logs_url } : {}),
    });
  };

  /** Holds the environment, or refuses, naming the deployment that holds it. */
  const acquireLock = async (): Promise<void> => {
    const held = await holdEnvironment(request.environment, searchable);
    if ('lock' in held) {
      lock = held.lock;
      return;
    }
    throw new DeploymentRefused(
      `Deployment ${held.heldBy ?? '(unknown)'} is already running in ${request.environment}; one deployment per environment at a time. Wait for it to finish (get_deployment_status) or cancel it`,
    );
  };

  const plan = async (): Promise<PlannedDeployment> => {
    const since = Date.now();
    enter(`planning the ${request.kind}`);
    if (!request.automaticRollbackOf) await acquireLock();
    const result = await planDeploymentSteps(request);
    const { plan: steps, target } = result;
    state.versions = steps.versions;
    state.version = steps.versions.to_version || state.version;
    if (steps.blockers.length > 0 || !target) {
      check('plan', 'failed', steps.blockers.join('; '), since, { versions: steps.versions });
      throw new DeploymentRefused(steps.blockers.join('; '));
    }
    state.git_ref = target.sha;
    check(
      'plan',
      'passed',
      `${steps.versions.from_version ?? '(nothing recorded)'} -> ${target.ref} (${target.sha.slice(0, 7)})`,
      since,
      { versions: steps.versions, steps: steps.steps },
    );
    return result;
  };

  const smokeTests = async (environment: 'staging' | 'production', checkName: string): Promise<boolean> => {
    const since = Date.now();
    enter(`running the full smoke tests on ${environment}`);
    const result: SmokeTestsResult = await executeChild(runSmokeTests, {
      workflowId: `${deploymentId}/smoke-${environment}`,
      args: [{ environment, test_suite: 'full', timeout_seconds: SMOKE_TIMEOUT_SECONDS, dry_run: false }],
    });
    if (environment === request.environment) state.health_status = result.passed ? 'healthy' : 'unhealthy';
    check(
      checkName,
      result.passed ? 'passed' : 'failed',
      result.passed ? `all ${result.results.length} probes passed` : result.failures.join('; '),
      since,
      { results: result.results },
    );
    return result.passed;
  };

  const awaitApproval = async (): Promise<void> => {
    const since = Date.now();
    const deadline = startedAt + request.approvalTimeoutSeconds * 1000;
    state.approval.expires_at = new Date(deadline).toISOString();
    enter('waiting for approval (approve or reject signal)', 'awaiting_approval');
    for (;;) {
      const remaining = deadline - Date.now();
      const woke = remaining > 0 && (await condition(() => approvals.length > 0 || rejection !== null, remaining));
      if (!woke) {
        state.approval.state = 'timed_out';
        check('approval', 'failed', `no approval within ${request.approvalTimeoutSeconds} s`, since);
        await audit('approval_timed_out', false, { timeout_seconds: request.approvalTimeoutSeconds });
        throw new DeploymentRefused(
          `No approval within ${request.approvalTimeoutSeconds} seconds; the promotion was cancelled`,
        );
      }
      if (rejection) {
        const { reason, rejected_by } = rejection;
        Object.assign(state.approval, { state: 'rejected', decided_by: rejected_by ?? null, reason });
        check('approval', 'failed', `rejected${rejected_by ? ` by ${rejected_by}` : ''}: ${reason}`, since);
        await audit('reject_deployment', true, { rejected_by: rejected_by ?? null, reason });
        throw new DeploymentRefused(`Rejected${rejected_by ? ` by ${rejected_by}` : ''}: ${reason}`);
      }
      const signal = approvals.shift();
      // A signal typed by hand in the CLI or Web UI may lack its token: that is a refused attempt, not a crash.
      const token = typeof signal?.token === 'string' ? signal.token : '';
      const approver = typeof signal?.approver === 'string' ? signal.approver : null;
      const verdict = await local.checkApproval({
        deploymentId,
        environment: request.environment,
        token,
        approver,
      });
      if (verdict.valid) {
        Object.assign(state.approval, { state: 'approved', decided_by: approver, token_hash: verdict.tokenHash });
        check('approval', 'passed', `approved by ${approver ?? 'an admin'} (token ${verdict.tokenHash})`, since);
        return;
      }
      state.approval.refused_attempts += 1;
      writeLog(`approval refused: invalid approval token (hash ${verdict.tokenHash}); still waiting`);
    }
  };

  const ship = async (target: { ref: string; sha: string }): Promise<FinishedRun> => {
    let since = Date.now();
    enter(`recording the GitHub deployment of ${target.ref}`, 'in_progress');
    const record = await githubWrite.createDeploymentRecord({
      deploymentId,
      kind: request.kind,
      environment: request.environment,
      ref: target.ref,
      sha: target.sha,
      description: `${request.kind} of ${target.ref} (${deploymentId})`,
    });
    recordId = record.recordId;
    state.github_deployment_id = record.recordId;
    await setRecord('queued', `Dispatching ${target.ref}`);
    check('github_deployment', 'passed', `GitHub deployment ${record.recordId} recorded`, since);

    since = Date.now();
    enter('dispatching cd.yml');
    const dispatch = {
      environment: request.environment,
      ref: target.ref,
      sha: target.sha,
      skipTests: request.skipTests,
      notBefore: record.createdAt,
    };
    const identified = await githubWrite.dispatchDeploymentRun(dispatch);
    // From here on the environment may be changing: a failure or cancellation must put it back.
    dispatched = true;
    const run = identified ?? (await runWatch.findDispatchedRun({ sha: target.sha, notBefore: record.createdAt }));
    state.workflow_run_id = run.runId;
    state.logs_url = run.htmlUrl;
    check('actions_dispatch', 'passed', `cd.yml run ${run.runId} (identified by ${run.identifiedBy})`, since, {
      run_id: run.runId,
      html_url: run.htmlUrl,
    });
    await setRecord('in_progress', `cd.yml run ${run.runId}`);

    since = Date.now();
    enter(`waiting for Actions run ${run.runId}`);
    const finished = await runWatch.awaitWorkflowRun(run.runId);
    state.logs.push(...finished.logLines.map((line) => `run ${run.runId}: ${line}`));
    check(
      'actions_run',
      finished.conclusion === 'success' ? 'passed' : 'failed',
      `run ${run.runId} concluded ${finished.conclusion}`,
      since,
      {
        run_id: run.runId,
        conclusion: finished.conclusion,
        head_sha: finished.headSha,
      },
    );
    return finished;
  };

  /** After a deploy: does the environment run the commit, and is it healthy? Null when it is, else why not. */
  const verify = async (target: { ref: string; sha: string }): Promise<string | null> => {
    const since = Date.now();
    enter(`checking that ${request.environment} runs ${target.ref}`);
    const running = await local.readRunningVersion(request.environment);
    if (!running.ok || running.sha !== target.sha) {
      const why = running.ok
        ? `${request.environment} reports ${running.version ?? '?'} (${running.sha ?? 'no sha'}), not ${target.sha}`
        : running.reason;
      check('deployed_version', 'failed', why, since);
      return `the deployed version is not live: ${why}`;
    }
    check('deployed_version', 'passed', `${request.environment} reports ${running.version} (${running.sha})`, since);
    if (request.skipSmokeTests) {
      state.checks.push({
        check_name: `${request.environment}_smoke_tests`,
        status: 'skipped',
        message: 'skip_smoke_tests=true - not recommended',
        details: {},
        duration_ms: 0,
      });
      return null;
    }
    const healthy = await smokeTests(request.environment, `${request.environment}_smoke_tests`);
    return healthy ? null : `${request.environment} smoke tests failed after the deploy`;
  };

  /** The saga's compensation: put back what ran before. Runs to its end even if this deployment is cancelled. */
  const rollBack = async (why: string): Promise<void> => {
    const previous = planned?.current;
    if (request.kind === 'rollback' || !previous) {
      writeLog(request.kind === 'rollback' ? 'a failed rollback is not rolled back' : 'no earlier version to restore');
      return;
    }
    const rollbackId = `rollback-${uuid4()}`;
    state.automatic_rollback = { rollback_id: rollbackId, status: 'queued' };
    enter(`rolling back automatically to ${previous.ref} (${rollbackId})`, 'in_progress');
    const inherited = searchable
      ? ([
          { key: SEARCH_ATTRIBUTES.kind, value: 'rollback' },
          { key: SEARCH_ATTRIBUTES.environment, value: request.environment },
          { key: SEARCH_ATTRIBUTES.version, value: previous.ref },
          { key: SEARCH_ATTRIBUTES.status, value: 'queued' },
        ] as SearchAttributePair[])
      : [];
    const since = Date.now();
    const result = await executeChild(deployment, {
      workflowId: rollbackId,
      // If this deployment is terminated, the rollback still restores the environment.
      parentClosePolicy: ParentClosePolicy.ABANDON,
      typedSearchAttributes: inherited,
      args: [
        {
          kind: 'rollback',
          environment: request.environment,
          version: previous.ref,
          skipSmokeTests: false,
          skipTests: true,
          initiatedBy: SYSTEM_USER,
          approvalTimeoutSeconds: request.approvalTimeoutSeconds,
          reason: `automatic rollback of ${deploymentId}: ${why}`,
          automaticRollbackOf: { deploymentId, fromVersion: state.version ?? '', toSha: previous.sha },
          dryRun: false,
        },
      ],
    });
    state.automatic_rollback = { rollback_id: rollbackId, status: result.status };
    check(
      'automatic_rollback',
      result.status === 'success' ? 'passed' : 'failed',
      `${rollbackId} to ${previous.ref}: ${result.status}${result.failure_reason ? ` (${result.failure_reason})` : ''}`,
      since,
    );
  };

  try {
    planned = await plan();
    const target = planned.target as { ref: string; sha: string };
    state.phase = 'started';
    enter(`${request.kind} of ${target.ref} started`, 'in_progress');
    await audit(operation, true, {
      ...(request.kind === 'promotion' ? { staging_version: request.version } : {}),
      version: target.ref,
      from_version: state.versions?.from_version ?? null,
      to_version: target.ref,
      ...(request.reason ? { reason: request.reason } : {}),
      ...(request.automaticRollbackOf ? { rollback_of: request.automaticRollbackOf.deploymentId } : {}),
    });

    if (request.kind === 'promotion' && !request.skipSmokeTests) {
      if (!(await smokeTests('staging', 'staging_smoke_tests'))) {
        throw new DeploymentRefused('staging smoke tests failed; nothing was deployed');
      }
    }
    if (approvalRequired) await awaitApproval();

    const run = await ship(target);
    const problem =
      run.conclusion === 'success' ? await verify(target) : `Actions run ${run.runId} concluded ${run.conclusion}`;
    if (problem === null) {
      await setRecord('success', `${target.ref} is live and healthy`);
      await finish('success', null);
      return state;
    }
    await CancellationScope.nonCancellable(async () => {
      await setRecord('failure', problem);
      await rollBack(problem);
      await finish('failure', problem);
    });
    return state;
  } catch (error) {
    if (error instanceof DeploymentRefused) {
      if (state.phase === 'planning') {
        // The reason first: the gateway answers the caller as soon as it sees the phase turn.
        state.failure_reason = error.message;
        state.phase = 'refused';
        await audit(operation, false, { version: state.version, error: error.message });
      }
      await finish('failure', error.message);
      return state;
    }
    // Cancelled, or a step failed for good: whatever was dispatched is undone before the workflow ends.
    const why = isCancellation(error) ? 'the deployment was cancelled' : failureReason(error);
    await CancellationScope.nonCancellable(async () => {
      if (state.phase === 'planning') {
        state.failure_reason = why;
        state.phase = 'refused';
      }
      if (dispatched && state.workflow_run_id !== null) {
        await github.cancelWorkflowRun(state.workflow_run_id).catch(() => undefined);
      }
      await setRecord('error', why).catch(() => undefined);
      if (dispatched) await rollBack(why);
      await finish('failure', why);
    });
    if (isCancellation(error)) throw error;
    // A step that failed for good is a failed deployment; anything else is a bug the workflow task retries.
    if (error instanceof TemporalFailure) return state;
    throw error;
  }
}
