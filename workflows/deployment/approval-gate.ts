import { ApplicationFailure, condition, log, patched, setHandler } from '@temporalio/workflow';
import { approvalRefusal } from '../../domain/caller-identity.js';
import type { ApprovalAnswer, ApproveSignal, RejectSignal } from '../../domain/deployment-model.js';
import { failureReason } from '../../domain/failure-reason.js';
import {
  APPROVAL_REFUSALS,
  approveSignal,
  approveUpdate,
  rejectSignal,
  rejectUpdate,
  startDeploymentUpdate,
} from '../deployment-messages.js';
import { local } from './activities.js';
import { DeploymentRefused, type DeploymentRun } from './deployment-run.js';

/**
 * Deployments started since approvals became Updates check a token when it arrives and decide at once; earlier ones
 * queued approvals until the approval gate and replay that way.
 */
const APPROVALS_DECIDED_ON_ARRIVAL = 'approvals-decided-on-arrival';

/** The approval gate of one deployment; `pass` waits there until a person decides or the approval times out. */
export interface ApprovalGate {
  pass(): Promise<void>;
}

function refuseUpdate(type: string, message: string): never {
  throw ApplicationFailure.create({ type, message, nonRetryable: true });
}

const isAtGate = (run: DeploymentRun) => run.state.status === 'awaiting_approval';

function answerOf(
  run: DeploymentRun,
  outcome: ApprovalAnswer['outcome'],
  tokenHash: string | null,
  at_gate: boolean,
): ApprovalAnswer {
  const { state } = run;
  return {
    outcome,
    at_gate,
    token_hash: tokenHash,
    status: state.status,
    current_step: state.current_step,
    approval: { ...state.approval },
  };
}

/** An approve or reject Update is refused before it touches the deployment unless there is a decision to make. */
function validateDecision(run: DeploymentRun, field: 'token' | 'reason', input: unknown): void {
  const { state, request, deploymentId } = run;
  if (request.kind !== 'promotion') {
    refuseUpdate(
      APPROVAL_REFUSALS.notAPromotion,
      `Deployment ${deploymentId} is a ${request.kind} of ${request.environment}, not a production promotion: it needs no approval`,
    );
  }
  if (state.approval.state !== 'waiting') {
    const by = state.approval.decided_by ? ` by ${state.approval.decided_by}` : '';
    refuseUpdate(
      APPROVAL_REFUSALS.alreadyDecided,
      `Deployment ${deploymentId}'s approval is already decided: ${state.approval.state}${by}`,
    );
  }
  if (state.completed_at !== null || state.phase === 'refused') {
    refuseUpdate(
      APPROVAL_REFUSALS.finished,
      `Deployment ${deploymentId} has ended (${state.status}${state.failure_reason ? `: ${state.failure_reason}` : ''}); there is nothing to decide`,
    );
  }
  const value = (input as Record<string, unknown> | null)?.[field];
  if (field === 'token' && isIdentityApproval(run, input as ApproveSignal)) {
    const notAllowed = approverRefusal(run, input as ApproveSignal);
    if (notAllowed) refuseUpdate(APPROVAL_REFUSALS.approverNotAllowed, notAllowed);
    return;
  }
  if (typeof value !== 'string' || value.trim() === '') {
    refuseUpdate(APPROVAL_REFUSALS.badInput, `${field} is required: a non-empty string`);
  }
  if (field === 'token') {
    const notAllowed = approverRefusal(run, input as ApproveSignal);
    if (notAllowed) refuseUpdate(APPROVAL_REFUSALS.approverNotAllowed, notAllowed);
  }
}

/** A signed-in approver without a token, on a promotion whose policy lets signed-in people approve. */
function isIdentityApproval(run: DeploymentRun, input: ApproveSignal | null): boolean {
  const token = input?.token;
  return (
    (token === undefined || token === '') &&
    typeof input?.identity?.subject === 'string' &&
    run.request.approvalPolicy?.identityApprovals === true
  );
}

/** Why this approver may not approve (four-eyes, approver groups), or null; only signed-in approvers are judged. */
function approverRefusal(run: DeploymentRun, input: ApproveSignal | null): string | null {
  return approvalRefusal(run.request.approvalPolicy, run.request.initiator, input?.identity);
}

/** How a decision names the token behind it; an approval by a signed-in identity has none. */
const tokenNote = (tokenHash: string | null) => (tokenHash ? `token ${tokenHash}` : 'signed in');

/**
 * Step 2, the approval gate. Its handlers are set up when the deployment starts (an approval may come with the start
 * or during the staging smoke tests): one handler per decision serves the signal (CLI, Web UI) and the Update (the
 * gateway, which needs the answer); the Update's validator refuses, without a trace in the history, whatever is not a
 * decision this deployment can take.
 */
export function setUpApprovalGate(run: DeploymentRun): ApprovalGate {
  if (!patched(APPROVALS_DECIDED_ON_ARRIVAL)) return setUpGateOfEarlierDeployments(run);
  const { state, request, deploymentId } = run;
  const atGate = () => isAtGate(run);
  const answer = (outcome: ApprovalAnswer['outcome'], tokenHash: string | null, at_gate = atGate()) =>
    answerOf(run, outcome, tokenHash, at_gate);
  const receiveApproval = async (input: ApproveSignal): Promise<ApprovalAnswer> => {
    // A signal typed by hand in the CLI or Web UI may lack its token: that is a refused attempt, not a crash.
    const token = typeof input?.token === 'string' ? input.token : '';
    const approver = typeof input?.approver === 'string' ? input.approver : null;
    // Only a signed-in approver (the gateway's, with a policy) is judged here; every earlier input skips this.
    const notAllowed = approverRefusal(run, input);
    if (notAllowed) {
      state.approval.refused_attempts += 1;
      run.writeLog(`approval refused: ${notAllowed}; still waiting`);
      return answer('refused', null);
    }
    const identity = input?.identity ? { identity: input.identity } : {};
    const identityApprovals = request.approvalPolicy?.identityApprovals ? { identityApprovals: true } : {};
    const verdict = await local.checkApproval({
      deploymentId,
      environment: request.environment,
      token,
      approver,
      ...identity,
      ...identityApprovals,
    });
    if (!verdict.valid) {
      state.approval.refused_attempts += 1;
      run.writeLog(`approval refused: invalid approval token (hash ${verdict.tokenHash}); still waiting`);
      return answer('refused', verdict.tokenHash);
    }
    if (state.approval.state !== 'waiting') return answer('already_decided', verdict.tokenHash);
    Object.assign(state.approval, { state: 'approved', decided_by: approver, token_hash: verdict.tokenHash });
    run.writeLog(`approved by ${approver ?? 'an admin'} (${tokenNote(verdict.tokenHash)})`);
    return answer('approved', verdict.tokenHash);
  };
  const receiveRejection = async ({ reason, rejected_by }: RejectSignal): Promise<ApprovalAnswer> => {
    if (state.approval.state !== 'waiting') return answer('already_decided', null);
    // Said as it was when the rejection landed: the gate ends the promotion while the rejection is audited.
    const landedAtGate = atGate();
    Object.assign(state.approval, { state: 'rejected', decided_by: rejected_by ?? null, reason });
    run.writeLog(`rejected${rejected_by ? ` by ${rejected_by}` : ''}: ${reason}`);
    await run.audit('reject_deployment', true, { rejected_by: rejected_by ?? null, reason });
    return answer('rejected', null, landedAtGate);
  };
  const logFailure = (error: unknown) => log.warn('an approval decision failed', { error: failureReason(error) });
  setHandler(approveSignal, (signal) => void receiveApproval(signal).catch(logFailure));
  setHandler(rejectSignal, (signal) => void receiveRejection(signal).catch(logFailure));
  setHandler(approveUpdate, receiveApproval, { validator: (input) => validateDecision(run, 'token', input) });
  setHandler(rejectUpdate, receiveRejection, { validator: (input) => validateDecision(run, 'reason', input) });
  setHandler(startDeploymentUpdate, async ({ approval }) => {
    if (approval) await receiveApproval(approval);
    await condition(() => state.phase !== 'planning');
    return state;
  });
  return { pass: () => awaitDecision(run) };
}

/** How long is left to decide; when the time is up the promotion is cancelled. */
function openGate(run: DeploymentRun): { since: number; deadline: number } {
  const since = Date.now();
  const deadline = run.startedAt + run.request.approvalTimeoutSeconds * 1000;
  run.state.approval.expires_at = new Date(deadline).toISOString();
  return { since, deadline };
}

async function timedOut(run: DeploymentRun, since: number): Promise<never> {
  const seconds = run.request.approvalTimeoutSeconds;
  run.state.approval.state = 'timed_out';
  run.check('approval', 'failed', `no approval within ${seconds} s`, since);
  await run.audit('approval_timed_out', false, { timeout_seconds: seconds });
  throw new DeploymentRefused(`No approval within ${seconds} seconds; the promotion was cancelled`);
}

/** A decision made on arrival (before or at the gate) lets the promotion through or ends it. */
async function awaitDecision(run: DeploymentRun): Promise<void> {
  const { approval } = run.state;
  const { since, deadline } = openGate(run);
  if (approval.state === 'waiting') run.enter('waiting for approval (approve or reject signal)', 'awaiting_approval');
  const remaining = deadline - Date.now();
  const decided =
    approval.state !== 'waiting' || (remaining > 0 && (await condition(() => approval.state !== 'waiting', remaining)));
  if (!decided) await timedOut(run, since);
  const { decided_by, reason, token_hash } = approval;
  if (approval.state === 'rejected') {
    run.check('approval', 'failed', `rejected${decided_by ? ` by ${decided_by}` : ''}: ${reason}`, since);
    throw new DeploymentRefused(`Rejected${decided_by ? ` by ${decided_by}` : ''}: ${reason}`);
  }
  run.check('approval', 'passed', `approved by ${decided_by ?? 'an admin'} (${tokenNote(token_hash)})`, since);
}

/** The gate as deployments started before approvals were decided on arrival replay it: tokens checked at the gate. */
function setUpGateOfEarlierDeployments(run: DeploymentRun): ApprovalGate {
  const approvals: ApproveSignal[] = [];
  let rejection: RejectSignal | null = null;
  setHandler(approveSignal, (signal) => {
    approvals.push(signal);
  });
  setHandler(rejectSignal, (signal) => {
    rejection ??= signal;
  });
  const { state, request, deploymentId } = run;
  // A deployment started before the upgrade takes the Updates too (an upgraded gateway sends them): queued like its
  // signals, and answered once the gate has judged them, however long the deployment takes to get there.
  const judged = async (): Promise<ApprovalAnswer> => {
    const refusedBefore = state.approval.refused_attempts;
    await condition(() => state.approval.state !== 'waiting' || state.approval.refused_attempts > refusedBefore);
    const decided = state.approval.state;
    const outcome =
      decided === 'approved' || decided === 'rejected'
        ? decided
        : decided === 'waiting'
          ? 'refused'
          : 'already_decided';
    return answerOf(run, outcome, state.approval.token_hash, true);
  };
  setHandler(
    approveUpdate,
    (input) => {
      approvals.push(input);
      return judged();
    },
    { validator: (input) => validateDecision(run, 'token', input) },
  );
  setHandler(
    rejectUpdate,
    (input) => {
      rejection ??= input;
      return judged();
    },
    { validator: (input) => validateDecision(run, 'reason', input) },
  );
  const pass = async (): Promise<void> => {
    const { since, deadline } = openGate(run);
    run.enter('waiting for approval (approve or reject signal)', 'awaiting_approval');
    for (;;) {
      const remaining = deadline - Date.now();
      const woke = remaining > 0 && (await condition(() => approvals.length > 0 || rejection !== null, remaining));
      if (!woke) await timedOut(run, since);
      if (rejection) {
        const { reason, rejected_by } = rejection;
        Object.assign(state.approval, { state: 'rejected', decided_by: rejected_by ?? null, reason });
        run.check('approval', 'failed', `rejected${rejected_by ? ` by ${rejected_by}` : ''}: ${reason}`, since);
        await run.audit('reject_deployment', true, { rejected_by: rejected_by ?? null, reason });
        throw new DeploymentRefused(`Rejected${rejected_by ? ` by ${rejected_by}` : ''}: ${reason}`);
      }
      const signal = approvals.shift();
      const token = typeof signal?.token === 'string' ? signal.token : '';
      const approver = typeof signal?.approver === 'string' ? signal.approver : null;
      const verdict = await local.checkApproval({ deploymentId, environment: request.environment, token, approver });
      if (verdict.valid) {
        Object.assign(state.approval, { state: 'approved', decided_by: approver, token_hash: verdict.tokenHash });
        run.check('approval', 'passed', `approved by ${approver ?? 'an admin'} (token ${verdict.tokenHash})`, since);
        return;
      }
      state.approval.refused_attempts += 1;
      run.writeLog(`approval refused: invalid approval token (hash ${verdict.tokenHash}); still waiting`);
    }
  };
  return { pass };
}
