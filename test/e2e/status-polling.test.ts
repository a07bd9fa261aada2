// get_deployment_status is what assistants poll: through a real MCP client over Streamable HTTP, it must start no
// workflow, write no audit line and make no GitHub request, and still report the environment's health.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { auditLines } from '../helpers/deployments.js';
import { errorText, type McpGateway, type McpStack, startMcpGateway, startMcpStack } from '../helpers/mcp-stack.js';
import { githubRequests, steer } from '../helpers/sandbox-control.js';

type Json = Record<string, unknown>;
// biome-ignore lint/suspicious/noExplicitAny: tool results are JSON read field by field in assertions
type Result = any;

let stack: McpStack;
let finishedDeploymentId: string;
before(async () => {
  stack = await startMcpStack();
  await steer(stack.harness.sandbox, 'PUT', '/actions/timing', { queued_ms: 50, run_ms: 300 });
  const started = await call('deploy_to_staging', { git_ref: 'main' });
  finishedDeploymentId = started.deployment_id;
  await stack.harness.env.client.workflow.getHandle(finishedDeploymentId).result();
});
after(() => stack.close());

async function call(name: string, args: Json, on: McpGateway = stack): Promise<Result> {
  const result = await on.call(name, args);
  assert.equal(result.isError, undefined, `${name}: ${errorText(result)}`);
  return result.structuredContent;
}

/** Workflow ids started since `since`, once `expected` is among them (visibility is eventually consistent). */
async function workflowsStartedSince(since: Date, expected: string): Promise<string[]> {
  for (let attempt = 0; attempt < 200; attempt++) {
    const ids: string[] = [];
    for await (const execution of stack.harness.env.client.workflow.list({
      query: `StartTime > "${since.toISOString()}"`,
    })) {
      ids.push(execution.workflowId);
    }
    if (ids.includes(expected)) return ids;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`${expected} never showed up in visibility`);
}

describe('get_deployment_status polling', () => {
  it('twenty calls on a finished deployment add no audit line, start no workflow and make no GitHub request', async () => {
    const auditLog = stack.harness.worker.config.auditLogPath;
    const auditBefore = await auditLines(auditLog);
    const since = new Date();
    await steer(stack.harness.sandbox, 'DELETE', '/requests');
    for (let index = 0; index < 20; index++) {
      const status = await call('get_deployment_status', { deployment_id: finishedDeploymentId });
      assert.equal(status.deployment.status, 'success');
      assert.equal(status.deployment.health_status, 'healthy');
      assert.ok(Number.isInteger(status.health_age_ms) && status.health_age_ms >= 0);
      assert.ok(Date.parse(status.health_checked_at) <= Date.now());
    }
    assert.deepEqual(await githubRequests(stack.harness.sandbox), []);
    assert.deepEqual(await auditLines(auditLog), auditBefore);

    // A workflow started after the polls; once visibility lists it, it would list anything the polls started too.
    const marker = await stack.harness.env.client.workflow.start('runSmokeTests', {
      taskQueue: stack.harness.worker.config.taskQueue,
      workflowId: `status-polling-marker-${Date.now()}`,
      args: [{ environment: 'staging', test_suite: 'basic', timeout_seconds: 30, dry_run: true }],
    });
    await marker.result();
    assert.deepEqual(await workflowsStartedSince(since, marker.workflowId), [marker.workflowId]);
  });

  it("reports health from the gateway's own probe, no older than STATUS_HEALTH_MAX_AGE_SECONDS", async () => {
    const fresh = await startMcpGateway(stack.harness, { STATUS_HEALTH_MAX_AGE_SECONDS: '0' });
    try {
      await steer(stack.harness.sandbox, 'POST', '/apps/staging/components/redis', { mode: 'unhealthy' });
      const status = await call('get_deployment_status', { deployment_id: finishedDeploymentId }, fresh);
      assert.equal(status.deployment.health_status, 'unhealthy');
      assert.match(status.health_checks.redis, /^unhealthy: redis /);
      assert.equal(status.health_checks.api, 'healthy');
    } finally {
      await steer(stack.harness.sandbox, 'POST', '/apps/staging/components/redis', { mode: 'healthy' });
      await fresh.close();
    }
  });
});
