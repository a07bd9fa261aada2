import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { after, afterEach, before, beforeEach } from 'node:test';
import { type Client, type WorkflowHandle, WorkflowUpdateFailedError } from '@temporalio/client';
import { ApplicationFailure, type SearchAttributePair } from '@temporalio/common';
import type { AuditEntry } from '../../domain/audit.js';
import { type DeploymentRequest, type DeploymentState, newDeploymentRequest } from '../../domain/deployment.js';
import { SEARCH_ATTRIBUTES } from '../../domain/search-attributes.js';
import type { deployment } from '../../workflows/deployment.js';
import { deploymentOutcome } from '../../workflows/deployment-failure.js';
import { deploymentStateQuery } from '../../workflows/deployment-messages.js';
import { EVENT_CEILING_MS } from './ceilings.js';
import { steer } from './sandbox-control.js';
import { startTimeSkippingEnv } from './temporal-env.js';
import { type Harness, startHarness } from './workflow-harness.js';

/** A promotion of v1.1.0 unless the test says otherwise, made by the product's own constructor. */
export function deploymentRequest(overrides: Partial<DeploymentRequest> = {}): DeploymentRequest {
  return newDeploymentRequest({
    kind: 'promotion',
    environment: 'production',
    version: 'v1.1.0',
    initiatedBy: 'system',
    approvalTimeoutSeconds: 24 * 60 * 60,
    ...overrides,
  });
}

const started: WorkflowHandle<typeof deployment>[] = [];

/**
 * Starts a deployment workflow the way the gateway does (by type name, id = deployment id). With `searchable` (a dev
 * server, which has the product's search attributes) it sets them as the gateway does, so the workflow keeps its memo.
 */
export async function startDeploymentWorkflow(
  harness: Harness,
  request: DeploymentRequest,
  deploymentId = `${request.kind}-${randomUUID()}`,
  searchable = false,
): Promise<WorkflowHandle<typeof deployment>> {
  const handle = await harness.env.client.workflow.start<typeof deployment>('deployment', {
    taskQueue: harness.worker.config.taskQueue,
    workflowId: deploymentId,
    args: [request],
    ...(searchable
      ? {
          typedSearchAttributes: [
            { key: SEARCH_ATTRIBUTES.kind, value: request.kind },
            { key: SEARCH_ATTRIBUTES.environment, value: request.environment },
            { key: SEARCH_ATTRIBUTES.status, value: 'queued' },
          ] as SearchAttributePair[],
        }
      : {}),
  });
  started.push(handle);
  return handle;
}

/** A deployment's state however it ended: a failed one's workflow fails, carrying its state. */
export function deploymentResult(handle: WorkflowHandle<typeof deployment>): Promise<DeploymentState> {
  return deploymentOutcome(handle.result());
}

/** Ends whatever the started deployments left running, so a failed test cannot hold an environment for the next. */
export async function terminateStartedDeployments(): Promise<void> {
  for (const handle of started.splice(0)) await handle.terminate('test cleanup').catch(() => undefined);
}

/** Polls the deployment's query until `until` holds; bounded, so a stuck workflow fails the test instead. */
export async function waitForState(
  handle: WorkflowHandle<typeof deployment>,
  until: (state: DeploymentState) => boolean,
  timeoutMs = EVENT_CEILING_MS,
): Promise<DeploymentState> {
  const deadline = Date.now() + timeoutMs;
  let last: DeploymentState | null = null;
  while (Date.now() < deadline) {
    last = await handle.query(deploymentStateQuery).catch(() => last);
    if (last && until(last)) return last;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`deployment state never matched; last: ${JSON.stringify(last, null, 2)}`);
}

export async function auditLines(path: string): Promise<(AuditEntry & { audit_id?: string })[]> {
  const text = await readFile(path, 'utf8').catch(() => '');
  return text
    .split('\n')
    .filter((line) => line.length > 0)
    .map((line) => JSON.parse(line) as AuditEntry);
}

export async function auditText(path: string): Promise<string> {
  return readFile(path, 'utf8').catch(() => '');
}

/**
 * The time-skipping harness of a deployment workflow test file, handed to `use` once started: a fresh sandbox with
 * quick Actions runs (time skipping skips the poll delay, so a long run would only mean more polls) before each test,
 * and nothing a test started left holding an environment after it.
 */
export function useDeploymentHarness(use: (harness: Harness) => void): void {
  let harness: Harness;
  before(async () => {
    harness = await startHarness(startTimeSkippingEnv);
    use(harness);
  });
  after(() => harness.close());
  afterEach(terminateStartedDeployments);
  beforeEach(async () => {
    await steer(harness.sandbox, 'POST', '/reset');
    await steer(harness.sandbox, 'PUT', '/actions/timing', { queued_ms: 20, run_ms: 80 });
  });
}

/** Ends every running deployment (visibility: what it lists), so a failed e2e test cannot hold an environment. */
export async function terminateRunningDeployments(client: Client): Promise<void> {
  for await (const running of client.workflow.list({
    query: "WorkflowType = 'deployment' AND ExecutionStatus = 'Running'",
  })) {
    await client.workflow
      .getHandle(running.workflowId)
      .terminate('test cleanup')
      .catch(() => undefined);
  }
}

/** The failure an Update's validator refused it with, or a test failure when the Update was applied. */
export async function updateRefusal(update: Promise<unknown>): Promise<ApplicationFailure> {
  const error = await update.then(
    () => assert.fail('the Update was applied'),
    (thrown: unknown) => thrown,
  );
  assert.ok(error instanceof WorkflowUpdateFailedError, String(error));
  assert.ok(error.cause instanceof ApplicationFailure, String(error.cause));
  return error.cause;
}
