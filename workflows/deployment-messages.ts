import { defineQuery, defineSignal } from '@temporalio/workflow';
import type { ApproveSignal, DeploymentState, RejectSignal } from '../domain/deployment.js';

// The deployment workflow's messages; the gateway, the CLI and the Web UI send them by these names.

/** `{"token": "...", "approver": "alice"}`: approves a production promotion when the token is an admin token. */
export const approveSignal = defineSignal<[ApproveSignal]>('approve');
/** `{"reason": "...", "rejected_by": "bob"}`: ends a promotion that waits for approval. */
export const rejectSignal = defineSignal<[RejectSignal]>('reject');
/** The deployment as it stands: status, step, versions, checks and log lines so far. */
export const deploymentStateQuery = defineQuery<DeploymentState>('deploymentState');

// Between a deployment and its environment's lock.
export const releaseLockSignal = defineSignal('release');
/** Asks the lock to tell the asking workflow (by id) which deployment holds it. */
export const whoHoldsLockSignal = defineSignal<[string]>('whoHolds');
export const lockHolderSignal = defineSignal<[string]>('lockHolder');
