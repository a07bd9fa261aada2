import type { SearchAttributePair } from '@temporalio/common';
import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import type {
  ApprovalAnswer,
  ApproveSignal,
  DeploymentRequest,
  DeploymentState,
  RejectSignal,
  StartDeploymentInput,
} from '../domain/deployment-model.js';

export interface AutomaticRollbackHandOver {
  rollbackId: string;
  request: DeploymentRequest;
  searchAttributes: SearchAttributePair[];
}

// The deployment workflow's messages; the gateway, the CLI and the Web UI send them by these names.

/** `{"token": "...", "approver": "alice"}`: approves a production promotion when the token is an admin token. */
export const approveSignal = defineSignal<[ApproveSignal]>('approve');
/** `{"reason": "...", "rejected_by": "bob"}`: ends a promotion that waits for approval. */
export const rejectSignal = defineSignal<[RejectSignal]>('reject');
/**
 * The same decisions as Updates, for callers that need the deployment's answer: validated first (a promotion whose
 * approval is undecided, well-formed input; a refused Update leaves no trace in the history), then handled by the
 * signal's own handler, whose verdict is the result.
 */
export const approveUpdate = defineUpdate<ApprovalAnswer, [ApproveSignal]>('approve');
export const rejectUpdate = defineUpdate<ApprovalAnswer, [RejectSignal]>('reject');
/** Sent with the start (update-with-start): answers with the deployment once it is planned or refused. */
export const startDeploymentUpdate = defineUpdate<DeploymentState, [StartDeploymentInput]>('startDeployment');

/** Why an approve or reject Update was refused before it reached the deployment (its ApplicationFailure type). */
export const APPROVAL_REFUSALS = {
  notAPromotion: 'NotAPromotion',
  alreadyDecided: 'AlreadyDecided',
  finished: 'DeploymentFinished',
  badInput: 'BadApprovalInput',
  /** The approver may not approve this promotion: four-eyes, or not in an approver group. */
  approverNotAllowed: 'ApproverNotAllowed',
} as const;

/** The deployment as it stands: status, step, versions, checks and log lines so far. */
export const deploymentStateQuery = defineQuery<DeploymentState>('deploymentState');

// Between a deployment and its environment's lock.
export const releaseLockSignal = defineSignal('release');
/** Asks the lock to tell the asking workflow (by id) which deployment holds it. */
export const whoHoldsLockSignal = defineSignal<[string]>('whoHolds');
export const lockHolderSignal = defineSignal<[string]>('lockHolder');
/** A failing deployment hands its environment to its automatic rollback, which the lock runs and holds through. */
export const handOverLockSignal = defineSignal<[AutomaticRollbackHandOver]>('handOver');
/** The lock tells the deployment that handed over how its rollback ended. */
export const rollbackEndedSignal = defineSignal<[DeploymentState]>('rollbackEnded');
