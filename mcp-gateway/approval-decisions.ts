import { createHash } from 'node:crypto';
import { WorkflowNotFoundError, WorkflowUpdateFailedError } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import { INVALID_APPROVAL_TOKEN_MESSAGE } from '../domain/approval-token.js';
import { identityLabel } from '../domain/caller-identity.js';
import type { ApprovalAnswer, ApproveSignal, RejectSignal } from '../domain/deployment.js';
import type { deployment } from '../workflows/deployment.js';
import { APPROVAL_REFUSALS, approveUpdate, rejectUpdate } from '../workflows/deployment-messages.js';
import { WORKFLOW_TYPES } from '../workflows/workflow-types.js';
import { DeploymentNotFound, readDeployment } from './deployment-client.js';
import { reportWhileWaiting } from './progress-while-waiting.js';
import type { ToolContext } from './tool-definition.js';

export type Decision = { signal: 'approve'; input: ApproveSignal } | { signal: 'reject'; input: RejectSignal };

/** What approve_deployment / reject_deployment return: the deployment's own answer, in words that agree with it. */
export interface DecisionResult extends Omit<ApprovalAnswer, 'outcome' | 'token_hash'> {
  deployment_id: string;
  signal: Decision['signal'];
  delivered: true;
  outcome: 'approved' | 'rejected';
  message: string;
}

/**
 * One id per request: the same call retried (a lost answer, a client retry) names the same Update, which the
 * deployment applies once. Hashed, so the token never appears in the id.
 */
function updateIdOf(deploymentId: string, { signal, input }: Decision): string {
  const digest = createHash('sha256')
    .update(JSON.stringify([deploymentId, signal, input]))
    .digest('hex');
  return `${signal}-${digest.slice(0, 24)}`;
}

function describeDecision(deploymentId: string, { signal }: Decision, answer: ApprovalAnswer): string {
  const { decided_by, token_hash, reason } = answer.approval;
  const what =
    signal === 'approve'
      ? `Approved by ${decided_by ?? 'an admin'} (${token_hash ? `token hash ${token_hash}` : 'signed in'})`
      : `Rejected${decided_by ? ` by ${decided_by}` : ''}: ${reason}`;
  const then = signal === 'approve' ? 'it ships' : 'it ends as failure without deploying anything';
  if (answer.at_gate) return `${what}: ${then} now; follow ${deploymentId} with get_deployment_status`;
  return (
    `${what}. ${deploymentId} has not reached its approval gate yet (now: ${answer.current_step}); the decision is ` +
    `held until the approval gate, where ${then} without waiting`
  );
}

/** Why a deployment that is not running cannot take a decision, from what it says of itself. */
async function endedMessage(context: ToolContext, deploymentId: string): Promise<string> {
  const state = await readDeployment(context.temporal, deploymentId);
  const why = state.failure_reason ? `: ${state.failure_reason}` : '';
  return `Deployment ${deploymentId} has ended (${state.status}${why}, approval ${state.approval.state}); there is nothing to decide`;
}

/** A refused approver (four-eyes, approver group) leaves no trace in the workflow's history: the gateway audits it. */
async function auditNotAllowed(context: ToolContext, deploymentId: string, why: string): Promise<void> {
  await context.audit.append({
    timestamp: new Date().toISOString(),
    operation: 'approve_deployment',
    user: context.caller ? identityLabel(context.caller) : 'anonymous',
    environment: 'production',
    success: false,
    dry_run: false,
    details: { deployment_id: deploymentId, error: why },
  });
}

/**
 * Sends an approve or reject to a deployment as an Update and reports what the deployment made of it: decided (at
 * the gate or held until it), or refused with the deployment's reason (an invalid token, already decided, not a
 * promotion). Waits for the deployment's answer however long no worker answers, reporting progress meanwhile: a
 * silence is never turned into a verdict.
 */
export async function decide(context: ToolContext, deploymentId: string, decision: Decision): Promise<DecisionResult> {
  const handle = context.temporal.workflow.getHandle<typeof deployment>(deploymentId);
  const description = await handle.describe().catch((error: unknown) => {
    throw error instanceof WorkflowNotFoundError ? new DeploymentNotFound(deploymentId) : error;
  });
  if (description.type !== WORKFLOW_TYPES.deployment) throw new DeploymentNotFound(deploymentId);
  if (description.status.name !== 'RUNNING') throw new Error(await endedMessage(context, deploymentId));
  const options = { updateId: updateIdOf(deploymentId, decision) };
  const sent =
    decision.signal === 'approve'
      ? handle.executeUpdate(approveUpdate, { ...options, args: [decision.input] })
      : handle.executeUpdate(rejectUpdate, { ...options, args: [decision.input] });
  let answer: ApprovalAnswer;
  try {
    answer = await reportWhileWaiting(
      sent,
      context,
      async () => `waiting for ${deploymentId} to answer the ${decision.signal} (a worker must pick it up)`,
    );
  } catch (error) {
    if (error instanceof WorkflowUpdateFailedError && error.cause instanceof ApplicationFailure) {
      if (error.cause.type === APPROVAL_REFUSALS.approverNotAllowed) {
        await auditNotAllowed(context, deploymentId, error.cause.message);
      }
      throw new Error(error.cause.message);
    }
    // It ended between the describe and the Update.
    if (error instanceof WorkflowNotFoundError) throw new Error(await endedMessage(context, deploymentId));
    throw error;
  }
  // The contract's message, exactly; the deployment audited the attempt (hash only) and keeps waiting.
  if (answer.outcome === 'refused') throw new Error(INVALID_APPROVAL_TOKEN_MESSAGE);
  if (answer.outcome === 'already_decided') {
    throw new Error(
      `Deployment ${deploymentId}'s approval is already decided: ${answer.approval.state}${answer.approval.decided_by ? ` by ${answer.approval.decided_by}` : ''}`,
    );
  }
  const { outcome, at_gate, status, current_step, approval } = answer;
  return {
    deployment_id: deploymentId,
    signal: decision.signal,
    delivered: true,
    outcome,
    at_gate,
    status,
    current_step,
    approval,
    message: describeDecision(deploymentId, decision, answer),
  };
}
