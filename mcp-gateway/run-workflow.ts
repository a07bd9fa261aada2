import { randomUUID } from 'node:crypto';
import type { WorkflowStartOptions } from '@temporalio/client';
import type { SearchAttributePair } from '@temporalio/common';
import type { Workflow } from '@temporalio/workflow';
import { REQUESTED_BY_MEMO } from '../domain/audit.js';
import { identityLabel } from '../domain/caller-identity.js';
import { failureReason } from '../domain/failure-reason.js';
import { SEARCH_ATTRIBUTES, type WorkflowKind } from '../domain/search-attributes.js';
import { type Progress, progressQuery } from '../workflows/progress.js';
import type { WorkflowType } from '../workflows/workflow-types.js';
import { reportWhileWaiting } from './progress-while-waiting.js';
import type { ToolContext } from './tool-definition.js';

export interface WorkflowRun<W extends Workflow> {
  /** By its typed name, so the gateway never loads workflow code outside the workflow sandbox. */
  workflowType: WorkflowType;
  kind: WorkflowKind;
  args: Parameters<W>;
  environment?: string;
  version?: string;
}

function describe(progress: Progress): string {
  return `${progress.completed}/${progress.total} done; now: ${progress.step}`;
}

/**
 * Starts one workflow for one tool call and waits for its result, telling the caller how far it is meanwhile
 * (progress notifications also keep the client's request timeout from firing on long runs).
 */
export async function runWorkflow<W extends Workflow>(
  run: WorkflowRun<W>,
  context: ToolContext,
): Promise<{ result: Awaited<ReturnType<W>>; workflowId: string }> {
  const workflowId = `${run.kind.replace('_', '-')}-${randomUUID()}`;
  const searchAttributes: SearchAttributePair[] = [{ key: SEARCH_ATTRIBUTES.kind, value: run.kind }];
  if (run.environment) searchAttributes.push({ key: SEARCH_ATTRIBUTES.environment, value: run.environment });
  if (run.version) searchAttributes.push({ key: SEARCH_ATTRIBUTES.version, value: run.version });
  // The SDK's conditional type for `args` cannot be resolved for a generic W; run.args is already Parameters<W>.
  const options = {
    taskQueue: context.config.taskQueue,
    workflowId,
    args: run.args,
    typedSearchAttributes: searchAttributes,
    // Who asked, for the run's audit line (workflows/audit-trail.ts); memo is encrypted like every payload.
    ...(context.caller ? { memo: { [REQUESTED_BY_MEMO]: identityLabel(context.caller) } } : {}),
  } as unknown as WorkflowStartOptions<W>;
  const handle = await context.temporal.workflow.start<W>(run.workflowType, options);
  try {
    // A query can fail while the workflow is between tasks; the next tick asks again.
    const progress = async () => {
      const now = await handle.query(progressQuery).catch(() => null);
      return now
        ? { message: describe(now), steps: { completed: now.completed, total: now.total } }
        : 'waiting for the workflow';
    };
    const result = (await reportWhileWaiting(handle.result(), context, progress)) as Awaited<ReturnType<W>>;
    return { result, workflowId };
  } catch (error) {
    throw new Error(`Workflow ${workflowId} failed: ${failureReason(error)}. Its history is in the Temporal Web UI.`);
  }
}
