import { randomUUID } from 'node:crypto';
import {
  type Client,
  WithStartWorkflowOperation,
  WorkflowExecutionAlreadyStartedError,
  type WorkflowExecutionInfo,
  WorkflowNotFoundError,
} from '@temporalio/client';
import type { SearchAttributePair } from '@temporalio/common';
import {
  type ApproveSignal,
  DEPLOYMENT_KINDS,
  type DeploymentInfo,
  type DeploymentKind,
  type DeploymentRequest,
  type DeploymentState,
  deploymentInfoSchema,
  initialDeploymentState,
  newDeploymentRequest,
} from '../domain/deployment.js';
import type { DeploymentPlan } from '../domain/deployment-tools.js';
import type { Environment } from '../domain/environment.js';
import { failureReason } from '../domain/failure-reason.js';
import { DEPLOYMENT_INITIATOR } from '../domain/initiator-search-attribute.js';
import { SEARCH_ATTRIBUTES } from '../domain/search-attributes.js';
import type { deployment } from '../workflows/deployment.js';
import { stateOfFailedDeployment } from '../workflows/deployment-failure.js';
import { deploymentStateQuery, startDeploymentUpdate } from '../workflows/deployment-messages.js';
import type { planDeployment } from '../workflows/plan-deployment.js';
import { WORKFLOW_TYPES } from '../workflows/workflow-types.js';
import { reportWhileWaiting } from './progress-while-waiting.js';
import type { ToolContext } from './tool-definition.js';

const DEFAULT_ESTIMATE_MINUTES = 10;
const ESTIMATE_SAMPLE = 10;

export class DeploymentNotFound extends Error {
  constructor(id: string) {
    super(`Deployment ${id} not found`);
  }
}

function searchAttributes(kind: string, environment: Environment, version: string | null): SearchAttributePair[] {
  return [
    { key: SEARCH_ATTRIBUTES.kind, value: kind },
    { key: SEARCH_ATTRIBUTES.environment, value: environment },
    ...(version ? [{ key: SEARCH_ATTRIBUTES.version, value: version }] : []),
  ] as SearchAttributePair[];
}

/** How a deploying call starts its deployment: with an approval, and under an idempotency key. */
export interface StartOptions {
  approval?: ApproveSignal | undefined;
  /** The caller's request_id: the deployment id is derived from it, so a retried call finds the same deployment. */
  requestId?: string | undefined;
}

/**
 * Starts a deployment with an Update (update-with-start) that the deployment answers once it holds its environment
 * and knows its versions, or has refused: the caller learns of a busy environment or an unknown version from the
 * workflow itself. An approval given with the call is checked and decided before that answer. With a request id, a
 * retried call attaches to the deployment the first call started (the same Update id, applied once) instead of
 * starting another; a finished one is read, never run again.
 */
export async function startDeployment(
  request: DeploymentRequest,
  context: ToolContext,
  { approval, requestId }: StartOptions = {},
): Promise<DeploymentState> {
  const deploymentId = `${request.kind}-${requestId ?? randomUUID()}`;
  const startWorkflowOperation = new WithStartWorkflowOperation<typeof deployment>(WORKFLOW_TYPES.deployment, {
    taskQueue: context.config.taskQueue,
    workflowId: deploymentId,
    args: [request],
    typedSearchAttributes: [
      ...searchAttributes(request.kind, request.environment, request.version),
      { key: SEARCH_ATTRIBUTES.status, value: 'queued' },
      ...(request.initiator ? [{ key: DEPLOYMENT_INITIATOR, value: request.initiator.subject }] : []),
    ] as SearchAttributePair[],
    // A running deployment of this id is the one to attach to; a finished one is never run again.
    workflowIdConflictPolicy: 'USE_EXISTING',
    workflowIdReusePolicy: 'REJECT_DUPLICATE',
  });
  const planned = context.temporal.workflow.executeUpdateWithStart(startDeploymentUpdate, {
    args: [approval ? { approval } : {}],
    updateId: `start-${deploymentId}`,
    startWorkflowOperation,
  });
  let state: DeploymentState;
  try {
    // Progress says the deployment's step as it reports it; the answer itself comes from the Update.
    state = await reportWhileWaiting(planned, context, async () => {
      // Not the operation's own handle: that one resolves with the answer, in the same call as the start.
      const handle = context.temporal.workflow.getHandle<typeof deployment>(deploymentId);
      const now = await handle.query(deploymentStateQuery).catch(() => null);
      return now ? now.current_step : 'waiting for a worker to pick up the deployment';
    });
  } catch (error) {
    if (!(requestId && isAlreadyStarted(error))) throw error;
    state = await readDeployment(context.temporal, deploymentId);
  }
  if (requestId) {
    refuseOtherRequest(requestId, request, state);
    // A retry gets the first call's Update answer again (same Update id): say where the deployment stands now.
    if (state.phase === 'started') state = await readDeployment(context.temporal, deploymentId);
  }
  if (state.phase === 'refused') throw new Error(state.failure_reason ?? 'The deployment was refused');
  return state;
}

function isAlreadyStarted(error: unknown): boolean {
  return (
    error instanceof WorkflowExecutionAlreadyStartedError ||
    (error instanceof Error && error.cause instanceof WorkflowExecutionAlreadyStartedError)
  );
}

/** A request id names one request: reused for another environment or version, it is refused, not attached. */
function refuseOtherRequest(requestId: string, request: DeploymentRequest, state: DeploymentState): void {
  const asked = request.version ? `${request.version} to ${request.environment}` : request.environment;
  const other =
    state.environment !== request.environment || (request.version !== null && state.version !== request.version);
  if (other) {
    throw new Error(
      `request_id ${requestId} was used for another request (${state.kind} of ${state.version ?? '(previous version)'} to ${state.environment}, deployment ${state.deployment_id}), not for ${asked}; use a new request_id`,
    );
  }
}

function queuedState(deploymentId: string, request: DeploymentRequest): DeploymentState {
  return {
    ...initialDeploymentState(deploymentId, request, new Date().toISOString()),
    current_step: 'queued: no worker has picked it up yet',
  };
}

/** A dry run: the deployment's plan, computed by a short workflow of its own, with nothing held or dispatched. */
export async function planDeploymentDryRun(
  request: DeploymentRequest,
  context: ToolContext,
): Promise<{ plan: DeploymentPlan; workflowId: string }> {
  const workflowId = `plan-${request.kind}-${randomUUID()}`;
  const plan = await context.temporal.workflow.execute<typeof planDeployment>(WORKFLOW_TYPES.planDeployment, {
    taskQueue: context.config.taskQueue,
    workflowId,
    args: [request],
    typedSearchAttributes: searchAttributes('deployment_plan', request.environment, request.version),
  });
  if (plan.blockers.length > 0)
    throw new Error(`Dry run: the ${request.kind} would be refused: ${plan.blockers.join('; ')}`);
  return { plan, workflowId };
}

/** The deployment's state: live by query, and for a closed one from its result or a replay of its history. */
export async function readDeployment(temporal: Client, deploymentId: string): Promise<DeploymentState> {
  const handle = temporal.workflow.getHandle<typeof deployment>(deploymentId);
  const description = await handle.describe().catch((error: unknown) => {
    throw error instanceof WorkflowNotFoundError ? new DeploymentNotFound(deploymentId) : error;
  });
  if (description.type !== WORKFLOW_TYPES.deployment) throw new DeploymentNotFound(deploymentId);
  if (description.status.name === 'COMPLETED') return handle.result();
  // A failed deployment's workflow fails carrying its state (deployments from before completed either way).
  if (description.status.name === 'FAILED') {
    const state = await handle.result().then(
      () => null,
      (error: unknown) => stateOfFailedDeployment(error),
    );
    if (state) return state;
  }
  try {
    const state = await handle.query(deploymentStateQuery);
    // A deployment stopped from outside (terminated, timed out) never reached its own end.
    return description.status.name === 'RUNNING' || state.completed_at ? state : closedOutside(state, description);
  } catch (error) {
    const info = infoFromVisibility(description);
    if (!info) throw new Error(`Deployment ${deploymentId} cannot be read: ${failureReason(error)}`);
    return { ...queuedState(deploymentId, { ...requestOf(info) }), ...info, phase: 'started' };
  }
}

/** The parts of a listing or a describe that say how an execution ended. */
type ExecutionSummary = Pick<WorkflowExecutionInfo, 'status' | 'closeTime' | 'memo'>;

function closedOutside(state: DeploymentState, description: ExecutionSummary): DeploymentState {
  const closedAt = description.closeTime ?? new Date();
  return {
    ...state,
    status: 'failure',
    failure_reason: `the workflow was ${description.status.name.toLowerCase()} from outside`,
    completed_at: closedAt.toISOString(),
    duration_ms: closedAt.getTime() - Date.parse(state.initiated_at),
  };
}

function requestOf(info: DeploymentInfo): DeploymentRequest {
  return newDeploymentRequest({
    kind: info.kind,
    environment: info.environment,
    version: info.version,
    initiatedBy: info.initiated_by,
    approvalTimeoutSeconds: 0,
  });
}

/** A string literal of Temporal's visibility query language; a value that would need escaping is refused instead. */
function visibilityString(value: string): string {
  if (/['\\\n]/.test(value))
    throw new Error(
      `Cannot search deployments for ${JSON.stringify(value)}: it holds a quote, backslash or line break`,
    );
  return `'${value}'`;
}

/** What visibility alone says of a deployment: its memo, kept current by the workflow. */
export function infoFromVisibility(execution: ExecutionSummary): DeploymentInfo | null {
  const parsed = deploymentInfoSchema.safeParse(execution.memo?.deployment);
  if (!parsed.success) return null;
  const info = parsed.data;
  if (execution.status.name === 'RUNNING' || execution.status.name === 'COMPLETED') return info;
  return { ...info, status: 'failure', completed_at: info.completed_at ?? execution.closeTime?.toISOString() ?? null };
}

export interface DeploymentQuery {
  environment?: Environment;
  includeFailed: boolean;
  kinds?: readonly DeploymentKind[];
  /** Only deployments this signed-in subject started. */
  initiator?: string;
}

function visibilityQuery({ environment, includeFailed, kinds = DEPLOYMENT_KINDS, initiator }: DeploymentQuery): string {
  const clauses = [
    `WorkflowType = '${WORKFLOW_TYPES.deployment}'`,
    `${SEARCH_ATTRIBUTES.kind.name} IN (${kinds.map((kind) => `'${kind}'`).join(', ')})`,
  ];
  if (environment) clauses.push(`${SEARCH_ATTRIBUTES.environment.name} = '${environment}'`);
  if (initiator !== undefined) clauses.push(`${DEPLOYMENT_INITIATOR.name} = ${visibilityString(initiator)}`);
  if (!includeFailed) {
    clauses.push(`${SEARCH_ATTRIBUTES.status.name} != 'failure'`);
    clauses.push(`ExecutionStatus IN ('Running', 'Completed')`);
  }
  return clauses.join(' AND ');
}

/**
 * Deployments newest first by start, through Temporal visibility (eventually consistent: a start may show a moment
 * later). SQL visibility cannot ORDER BY and lists running executions first, then by close time, newest first; an
 * execution that closed before the limit-th newest start so far cannot have started later, so the scan stops there.
 */
export async function listDeployments(
  temporal: Client,
  query: DeploymentQuery,
  limit: number,
): Promise<{ deployments: DeploymentInfo[]; totalCount: number }> {
  const text = visibilityQuery(query);
  // Ranked by Temporal's own start time, the one clock that close times can be compared with: visibility lists
  // newest close first, and nothing unread can have started after the close time being read, so once that close time
  // is older than the limit-th newest start, the rest of the list cannot change the answer.
  const newest: { info: DeploymentInfo; startedMs: number }[] = [];
  for await (const execution of temporal.workflow.list({ query: text, pageSize: 100 })) {
    const cutoff = newest.length >= limit ? newest[limit - 1]?.startedMs : undefined;
    if (cutoff !== undefined && execution.closeTime && execution.closeTime.getTime() < cutoff) break;
    const info = infoFromVisibility(execution);
    if (!info) continue;
    newest.push({ info, startedMs: execution.startTime.getTime() });
    newest.sort((a, b) => b.startedMs - a.startedMs);
    newest.splice(limit);
  }
  const { count } = await temporal.workflow.count(text);
  return { deployments: newest.map((each) => each.info), totalCount: count };
}

/** The mean duration of the environment's recent successful deployments of this kind, in whole minutes. */
export async function estimateDurationMinutes(
  temporal: Client,
  environment: Environment,
  kind: DeploymentKind,
): Promise<number> {
  const { deployments } = await listDeployments(
    temporal,
    { environment, includeFailed: false, kinds: [kind] },
    ESTIMATE_SAMPLE,
  ).catch(() => ({ deployments: [] as DeploymentInfo[] }));
  const durations = deployments
    .filter((each) => each.status === 'success' && each.duration_ms !== null)
    .map((each) => each.duration_ms as number);
  if (durations.length === 0) return DEFAULT_ESTIMATE_MINUTES;
  const mean = durations.reduce((sum, each) => sum + each, 0) / durations.length;
  return Math.max(1, Math.ceil(mean / 60_000));
}
