// The gateway holds no deployment state: killed (SIGKILL) in the middle of a deploying call and started again on the
// same port, it lets the client recover the deployment it lost with the connection, by an idempotent retry
// (request_id) or by finding it with list_deployments, and nothing is deployed twice. Each start of the gateway also
// brings up the environments' delivery ledgers.
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { Client as McpClient } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import type { Env } from '../../domain/config.js';
import { deliveryLedgerId } from '../../domain/delivery-ledger.js';
import { infoFromVisibility } from '../../mcp-gateway/deployment-client.js';
import { ledgerCoverageQuery } from '../../workflows/delivery-ledger-messages.js';
import { actionsRuns, deploymentRecordsOf } from '../helpers/crash-checks.js';
import { auditLines } from '../helpers/deployments.js';
import { errorText } from '../helpers/mcp-stack.js';
import { freePort, type ProductProcess, startGatewayProcess } from '../helpers/product-process.js';
import { steer } from '../helpers/sandbox-control.js';
import { TEST_ADMIN_TOKEN } from '../helpers/sandbox-worker.js';
import { startDevServerEnv, TEST_PAYLOAD_CODEC_KEYS } from '../helpers/temporal-env.js';
import { type Harness, startHarness } from '../helpers/workflow-harness.js';

// biome-ignore lint/suspicious/noExplicitAny: tool results are JSON read field by field in assertions
type Result = any;

let harness: Harness;
let gatewayEnv: Env;
let gateway: ProductProcess | null = null;
let url: string;

before(async () => {
  harness = await startHarness(startDevServerEnv);
  const port = await freePort();
  url = `http://127.0.0.1:${port}/mcp`;
  gatewayEnv = {
    MCP_PORT: String(port),
    TEMPORAL_TASK_QUEUE: harness.worker.config.taskQueue,
    MCP_PROGRESS_INTERVAL_MS: '200',
    DEPLOYMENT_AUDIT_LOG: harness.worker.config.auditLogPath,
    DEPLOYMENT_ADMIN_TOKENS: harness.worker.config.adminTokens.join(','),
    PAYLOAD_CODEC_KEYS: TEST_PAYLOAD_CODEC_KEYS,
    STAGING_URL: harness.sandbox.stagingUrl,
    PRODUCTION_URL: harness.sandbox.productionUrl,
  };
});
after(async () => {
  await gateway?.kill();
  await harness?.close();
});
beforeEach(async () => {
  await steer(harness.sandbox, 'POST', '/reset');
  await steer(harness.sandbox, 'PUT', '/actions/timing', { queued_ms: 50, run_ms: 3000 });
});

const temporal = () => ({ address: harness.env.address, namespace: harness.env.namespace ?? 'default' });

async function connect(): Promise<McpClient> {
  const mcp = new McpClient({ name: 'gateway-restart-test', version: '1.0.0' });
  await mcp.connect(new StreamableHTTPClientTransport(new URL(url)));
  return mcp;
}

async function call(mcp: McpClient, name: string, args: Record<string, unknown>): Promise<Result> {
  const result = (await mcp.callTool({ name, arguments: args })) as CallToolResult;
  assert.equal(result.isError, undefined, `${name}: ${errorText(result)}`);
  return result.structuredContent;
}

/**
 * Calls a deploying tool and SIGKILLs the gateway while the call waits for the deployment's plan (the sandbox
 * answers slowly meanwhile); the call fails, as it would for the user, and the gateway starts again on its port.
 */
async function callCutOff(name: string, args: Record<string, unknown>): Promise<unknown> {
  await steer(harness.sandbox, 'POST', '/latency', { delay_ms: 1500 });
  const mcp = await connect();
  const giveUp = new AbortController();
  let progressed: () => void = () => undefined;
  const inProgress = new Promise<void>((resolve) => {
    progressed = resolve;
  });
  const calling = mcp
    .callTool({ name, arguments: args }, undefined, {
      onprogress: (progress) => {
        if (progress.message?.startsWith('planning')) progressed();
      },
      // The SDK client does not see the response stream break (it would wait for its request timeout): the user
      // gives up on the dead call instead.
      signal: giveUp.signal,
    })
    .then(
      () => assert.fail('the call should have been cut off'),
      (error: unknown) => error,
    );
  await Promise.race([inProgress, calling]);
  await gateway?.kill();
  giveUp.abort();
  const error = await calling;
  await mcp.close().catch(() => undefined);
  await steer(harness.sandbox, 'POST', '/latency', { delay_ms: 0 });
  gateway = await startGatewayProcess(gatewayEnv, temporal());
  return error;
}

async function untilFinished(mcp: McpClient, deploymentId: string): Promise<Result> {
  for (let attempt = 0; attempt < 120; attempt++) {
    const status = await call(mcp, 'get_deployment_status', { deployment_id: deploymentId });
    if (['success', 'failure'].includes(status.deployment.status)) return status;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`${deploymentId} never finished`);
}

async function workflowsWithId(workflowId: string): Promise<number> {
  const { count } = await harness.env.client.workflow.count(`WorkflowId = '${workflowId}'`);
  return count;
}

describe('gateway restart in the middle of a call (SIGKILL of node dist/mcp-gateway/main-http.js)', () => {
  before(async () => {
    gateway = await startGatewayProcess(gatewayEnv, temporal());
  });

  it('a retry with the same request_id attaches to the deployment the lost call started: one workflow, one dispatch', async () => {
    const args = { git_ref: 'v1.2.0', request_id: 'retry-after-restart-1' };
    const cutOff = await callCutOff('deploy_to_staging', args);
    assert.ok(cutOff instanceof Error, 'the first call lost its connection');
    assert.equal(await workflowsWithId('deploy-retry-after-restart-1'), 1, 'the lost call had started it');

    const mcp = await connect();
    const retried = await call(mcp, 'deploy_to_staging', args);
    assert.equal(retried.deployment_id, 'deploy-retry-after-restart-1');
    assert.notEqual(retried.status, 'success', 'attached while it runs');
    const status = await untilFinished(mcp, retried.deployment_id);
    assert.equal(status.deployment.status, 'success', status.deployment.failure_reason);

    // Retried once more after the end: the same deployment's state, nothing started again.
    const again = await call(mcp, 'deploy_to_staging', args);
    assert.equal(again.deployment_id, retried.deployment_id);
    assert.equal(again.status, 'success');

    // The same key for another request is refused, naming the deployment it belongs to.
    const other = (await mcp.callTool({
      name: 'deploy_to_staging',
      arguments: { ...args, git_ref: 'v1.1.0' },
    })) as CallToolResult;
    assert.equal(other.isError, true);
    assert.match(
      errorText(other),
      /request_id retry-after-restart-1 was used for another request .*deploy-retry-after-restart-1/,
    );

    assert.equal(await workflowsWithId(retried.deployment_id), 1, 'one deployment workflow');
    const runs = (await actionsRuns(harness.sandbox)).filter((run) => run.ref === 'v1.2.0');
    assert.equal(runs.length, 1, 'one cd.yml dispatch');
    assert.equal((await deploymentRecordsOf(harness.sandbox, retried.deployment_id)).length, 1, 'one record');
    const started = (await auditLines(harness.worker.config.auditLogPath)).filter(
      (line) => line.operation === 'deploy_to_staging' && line.details.deployment_id === retried.deployment_id,
    );
    assert.equal(started.length, 1, 'one audit line says it started');
    await mcp.close();
  });

  it('a promotion with its approval token, cut off without a request_id: list_deployments finds it, get_deployment_status follows it', async () => {
    const cutOff = await callCutOff('promote_to_production', {
      staging_version: 'v1.1.0',
      approval_token: TEST_ADMIN_TOKEN,
    });
    assert.ok(cutOff instanceof Error, 'the first call lost its connection');

    const mcp = await connect();
    let found: Result = null;
    for (let attempt = 0; attempt < 40 && !found; attempt++) {
      const listed = await call(mcp, 'list_deployments', { environment: 'production', limit: 5 });
      found = listed.deployments.find(
        (each: Result) => each.deployment_id.startsWith('promotion-') && each.version === 'v1.1.0',
      );
      if (!found) await new Promise((resolve) => setTimeout(resolve, 250));
    }
    assert.ok(found, 'list_deployments shows the promotion the lost call started');
    const status = await untilFinished(mcp, found.deployment_id);
    assert.equal(status.deployment.status, 'success', status.deployment.failure_reason);
    assert.equal(status.approval.state, 'approved');
    const runs = (await actionsRuns(harness.sandbox)).filter((run) => run.inputs.environment === 'production');
    assert.equal(runs.length, 1, 'one cd.yml dispatch');
    await mcp.close();
  });

  it('a promotion with its approval token and a request_id, retried after the cut and after its end: approved once, one dispatch', async () => {
    const args = { staging_version: 'v1.2.0', approval_token: TEST_ADMIN_TOKEN, request_id: 'promote-retry-0001' };
    assert.ok((await callCutOff('promote_to_production', args)) instanceof Error, 'the first call lost its connection');

    const mcp = await connect();
    // The retry delivers its approval signal again, to the running promotion: a second approval changes nothing.
    const retried = await call(mcp, 'promote_to_production', args);
    assert.equal(retried.deployment_id, 'promotion-promote-retry-0001');
    assert.notEqual(retried.status, 'success', 'attached while it runs');
    const status = await untilFinished(mcp, retried.deployment_id);
    assert.equal(status.deployment.status, 'success', status.deployment.failure_reason);
    assert.equal(status.approval.state, 'approved');
    assert.equal(status.approval.refused_attempts, 0);
    assert.equal(status.checks.filter((check: Result) => check.check_name === 'approval').length, 1);

    const again = await call(mcp, 'promote_to_production', args);
    assert.equal(again.deployment_id, retried.deployment_id);
    assert.equal(again.status, 'success');
    assert.equal(await workflowsWithId(retried.deployment_id), 1, 'one promotion workflow');
    const runs = (await actionsRuns(harness.sandbox)).filter((run) => run.inputs.environment === 'production');
    assert.equal(runs.length, 1, 'one cd.yml dispatch');
    assert.equal((await deploymentRecordsOf(harness.sandbox, retried.deployment_id)).length, 1, 'one record');
    await mcp.close();
  });

  it('each start of the gateway brought both delivery ledgers up: they run and hold every production deployment', async () => {
    const { client } = harness.env;
    const ledger = (environment: string) =>
      client.workflow.getHandle(deliveryLedgerId(harness.worker.config.taskQueue, environment));
    for (const environment of ['staging', 'production'])
      assert.equal((await ledger(environment).describe()).status.name, 'RUNNING', `${environment} ledger`);
    let dispatched = 0;
    for await (const execution of client.workflow.list({
      query: "WorkflowType = 'deployment' AND DeploymentEnvironment = 'production' AND ExecutionStatus != 'Running'",
    }))
      if (infoFromVisibility(execution)?.logs_url) dispatched++;
    assert.ok(dispatched >= 2, 'the promotions above ended');
    assert.equal((await ledger('production').query(ledgerCoverageQuery)).entries, dispatched);
  });
});
