import type { BakePolicy } from './bake-policy.js';
import type { ApprovalPolicy, CallerIdentity } from './caller-identity.js';
import type { CanaryPolicy } from './canary-policy.js';
import type { DeploymentInfo, DeploymentState } from './deployment.js';
import type { Environment } from './environment.js';

// The deployment's vocabulary without its schemas (deployment.ts), so the workflow bundle needs no zod.
export type { DeploymentInfo, DeploymentState } from './deployment.js';

/** What a deployment workflow does: a staging deploy, a production promotion or a rollback. */
export const DEPLOYMENT_KINDS = ['deploy', 'promotion', 'rollback'] as const;
export type DeploymentKind = (typeof DEPLOYMENT_KINDS)[number];

/** The contract's four statuses plus the visible wait for a person and the bake window after a deploy. */
export const DEPLOYMENT_STATUSES = [
  'queued',
  'awaiting_approval',
  'in_progress',
  'baking',
  'success',
  'failure',
] as const;
export type DeploymentStatus = (typeof DEPLOYMENT_STATUSES)[number];

export const DEFAULT_APPROVAL_TIMEOUT_SECONDS = 24 * 60 * 60;

/** The tool each kind of deployment is started by; audit lines name operations by it. */
export const DEPLOYMENT_OPERATIONS: Record<DeploymentKind, string> = {
  deploy: 'deploy_to_staging',
  promotion: 'promote_to_production',
  rollback: 'rollback_deployment',
};

/** What the gateway asks the deployment workflow to do. Never holds a token: those arrive as signals. */
export interface DeploymentRequest {
  kind: DeploymentKind;
  environment: Environment;
  /** The git ref to deploy; for a rollback, the optional target (else the previous successful version). */
  version: string | null;
  skipSmokeTests: boolean;
  skipTests: boolean;
  /** A token hash or 'system', or the signed-in caller's label (domain/caller-identity.ts). */
  initiatedBy: string;
  /** The signed-in caller who asked (OAuth); absent for token-based and stdio requests and earlier deployments. */
  initiator?: CallerIdentity;
  /** How a signed-in caller may approve this promotion (four-eyes, approver groups); absent: tokens only. */
  approvalPolicy?: ApprovalPolicy;
  /** Production promotions wait this long for an approval signal. */
  approvalTimeoutSeconds: number;
  /** Why a rollback was asked for (audited). */
  reason: string | null;
  /** Set when a promotion rolls itself back: it already holds the environment and knows what it broke. */
  automaticRollbackOf: { deploymentId: string; fromVersion: string; toSha: string } | null;
  /** The bake window after the deploy is live; absent (requests made before it existed) or 0 s: no bake. */
  bake?: BakePolicy;
  /** Canary steps instead of one dispatch; absent (requests made before canaries existed, or none configured): one. */
  canary?: CanaryPolicy;
}

/**
 * The one way a deployment request is made: what was asked, and nothing else assumed (no version: a rollback's
 * previous version; smoke tests and CI run; no reason). A dry run is no request field: the caller plans instead of
 * starting (requests recorded with `dryRun` replay unchanged; the workflow never read it).
 */
export function newDeploymentRequest(
  asked: Pick<DeploymentRequest, 'kind' | 'environment' | 'initiatedBy' | 'approvalTimeoutSeconds'> &
    Partial<DeploymentRequest>,
): DeploymentRequest {
  return { version: null, skipSmokeTests: false, skipTests: false, reason: null, automaticRollbackOf: null, ...asked };
}

/** The `approve` signal's input, as the CLI or Web UI sends it: `{"token": "...", "approver": "alice"}`. */
export interface ApproveSignal {
  /** An admin token; may be empty when `identity` approves under the deployment's approval policy. */
  token: string;
  approver?: string;
  /** The signed-in approver, as the gateway verified it: judged by the deployment's approval policy. */
  identity?: CallerIdentity;
}

/** The `reject` signal's input: `{"reason": "...", "rejected_by": "bob"}`. */
export interface RejectSignal {
  reason: string;
  rejected_by?: string;
}

/** What a deployment made of an approve or reject it was sent (the `approve` / `reject` Updates' result). */
export interface ApprovalAnswer {
  /** approved / rejected: this request decided it; refused: an invalid token (audited, still waiting); already_decided: another decision came first. */
  outcome: 'approved' | 'rejected' | 'refused' | 'already_decided';
  /** False when the decision came before the approval gate: it is held, and applies when the deployment gets there. */
  at_gate: boolean;
  /** The hash of the token that was checked, never the token. */
  token_hash: string | null;
  status: DeploymentStatus;
  current_step: string;
  approval: DeploymentState['approval'];
}

/** The update a deploying call starts its deployment with: it answers once the plan is made or refused. */
export interface StartDeploymentInput {
  /** A token given with the promote call: checked and decided as an approval before the answer. */
  approval?: ApproveSignal;
}

/** A deployment as it stands before its first step: queued, nothing known but what was asked. */
export function initialDeploymentState(
  deploymentId: string,
  request: DeploymentRequest,
  initiatedAt: string,
): DeploymentState {
  const approvalRequired = request.kind === 'promotion';
  return {
    deployment_id: deploymentId,
    kind: request.kind,
    environment: request.environment,
    status: 'queued',
    phase: 'planning',
    version: request.version,
    git_ref: null,
    versions: null,
    initiated_by: request.initiatedBy,
    initiated_at: initiatedAt,
    completed_at: null,
    duration_ms: null,
    health_status: 'unknown',
    logs_url: null,
    current_step: 'queued',
    failure_reason: null,
    reason: request.reason,
    approval: {
      required: approvalRequired,
      state: approvalRequired ? 'waiting' : 'not_required',
      decided_by: null,
      token_hash: null,
      reason: null,
      expires_at: null,
      refused_attempts: 0,
    },
    github_deployment_id: null,
    workflow_run_id: null,
    automatic_rollback: null,
    rollback_of: request.automaticRollbackOf?.deploymentId ?? null,
    checks: [],
    logs: [],
  };
}

export function deploymentInfo(state: DeploymentState): DeploymentInfo {
  return {
    deployment_id: state.deployment_id,
    kind: state.kind,
    environment: state.environment,
    status: state.status,
    version: state.version,
    git_ref: state.git_ref,
    initiated_by: state.initiated_by,
    initiated_at: state.initiated_at,
    completed_at: state.completed_at,
    duration_ms: state.duration_ms,
    health_status: state.health_status,
    logs_url: state.logs_url,
    ...(state.commit_times ? { commit_times: state.commit_times } : {}),
  };
}

/** The lock workflow's id: one per environment, so the server itself refuses a second holder. */
export function environmentLockId(environment: Environment): string {
  return `environment-lock-${environment}`;
}
