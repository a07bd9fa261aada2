import { randomUUID } from 'node:crypto';
import type { WorkflowStartOptions } from '@temporalio/client';
import type { WorkflowResultType } from '@temporalio/common';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { Workflow } from '@temporalio/workflow';
import type { Env } from '../../domain/config.js';
import { type Sandbox, startSandbox } from '../../sandbox/start-sandbox.js';
import { type RunningWorker, startSandboxWorker } from './sandbox-worker.js';

export interface Harness {
  env: TestWorkflowEnvironment;
  sandbox: Sandbox;
  worker: RunningWorker;
  execute<W extends Workflow>(
    workflowType: string,
    args: Parameters<W>,
    workflowId?: string,
  ): Promise<WorkflowResultType<W>>;
  /** A fresh worker with other settings (the old one stops) on the same task queue, for tests of configuration. */
  reconfigure(overrides: Env): Promise<void>;
  close(): Promise<void>;
}

/** A Temporal environment, the sandbox and a worker bound to both: what every workflow-tier test stands on. */
export async function startHarness(
  createEnv: () => Promise<TestWorkflowEnvironment>,
  overrides: Env = {},
): Promise<Harness> {
  const env = await createEnv();
  const sandbox = await startSandbox();
  const harness: Harness = {
    env,
    sandbox,
    worker: await startSandboxWorker(env.nativeConnection, env.namespace ?? 'default', sandbox, overrides),
    execute<W extends Workflow>(workflowType: string, args: Parameters<W>, workflowId = `test-${randomUUID()}`) {
      // As in the gateway: the SDK's conditional `args` type cannot be resolved for a generic W.
      const options = {
        taskQueue: harness.worker.config.taskQueue,
        workflowId,
        args,
      } as unknown as WorkflowStartOptions<W>;
      return env.client.workflow.execute<W>(workflowType, options);
    },
    async reconfigure(newOverrides) {
      await harness.worker.stop();
      harness.worker = await startSandboxWorker(env.nativeConnection, env.namespace ?? 'default', sandbox, {
        TEMPORAL_TASK_QUEUE: harness.worker.config.taskQueue,
        ...newOverrides,
      });
    },
    async close() {
      await harness.worker.stop();
      await sandbox.close();
      await env.teardown();
    },
  };
  return harness;
}
