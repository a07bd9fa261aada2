// End to end: the environment and deployment resources through a real MCP client over Streamable HTTP → gateway →
// Temporal dev server → worker → sandbox: listed, completed, read, and the same data the tools return.
import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { errorText, type McpStack, startMcpStack } from '../helpers/mcp-stack.js';
import { steer } from '../helpers/sandbox-control.js';

// biome-ignore lint/suspicious/noExplicitAny: resource and tool results are JSON read field by field in assertions
type Json = any;

let stack: McpStack;
let deploymentId: string;
before(async () => {
  stack = await startMcpStack();
  await steer(stack.harness.sandbox, 'POST', '/reset');
  await steer(stack.harness.sandbox, 'PUT', '/actions/timing', { queued_ms: 50, run_ms: 300 });
  const started: CallToolResult = await stack.call('deploy_to_staging', { git_ref: 'v1.1.0', skip_smoke_tests: true });
  assert.equal(started.isError, undefined, errorText(started));
  deploymentId = (started.structuredContent as Json).deployment_id;
  await stack.harness.env.client.workflow.getHandle(deploymentId).result();
});
after(() => stack.close());

async function readJson(uri: string): Promise<Json> {
  const { contents } = await stack.mcp.readResource({ uri });
  assert.equal(contents.length, 1);
  const [content] = contents;
  assert.ok(content && 'text' in content, 'a text resource');
  assert.equal(content.mimeType, 'application/json');
  return JSON.parse(content.text);
}

/** Visibility shows a close a moment later: list until the deployment is there. */
async function listedUris(): Promise<string[]> {
  for (let attempt = 0; attempt < 50; attempt++) {
    const { resources } = await stack.mcp.listResources();
    const uris = resources.map((resource) => resource.uri);
    if (uris.includes(`deployments://deployments/${deploymentId}`)) return uris;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`${deploymentId} never listed`);
}

it('lists both environments and the recent deployment, and names the two templates', async () => {
  const uris = await listedUris();
  assert.ok(uris.includes('deployments://environments/staging'));
  assert.ok(uris.includes('deployments://environments/production'));
  const { resourceTemplates } = await stack.mcp.listResourceTemplates();
  assert.deepEqual(resourceTemplates.map((template) => template.uriTemplate).sort(), [
    'deployments://deployments/{deployment_id}',
    'deployments://environments/{environment}',
  ]);
});

it('completes deployment ids and environments, and answers an unknown reference with nothing', async () => {
  await listedUris();
  const ids = await stack.mcp.complete({
    ref: { type: 'ref/resource', uri: 'deployments://deployments/{deployment_id}' },
    argument: { name: 'deployment_id', value: 'deploy-' },
  });
  assert.ok(ids.completion.values.includes(deploymentId), JSON.stringify(ids));
  const environments = await stack.mcp.complete({
    ref: { type: 'ref/resource', uri: 'deployments://environments/{environment}' },
    argument: { name: 'environment', value: 'pro' },
  });
  assert.deepEqual(environments.completion.values, ['production']);
  const unknown = await stack.mcp.complete({
    ref: { type: 'ref/prompt', name: 'no_such_prompt' },
    argument: { name: 'x', value: 'y' },
  });
  assert.deepEqual(unknown.completion.values, []);
});

it('reads the environment: what went live, since when, what it reports itself, its last deployment and health', async () => {
  await listedUris();
  const state = await readJson('deployments://environments/staging');
  const status = (await stack.call('get_deployment_status', { deployment_id: deploymentId })).structuredContent as Json;
  assert.equal(state.environment, 'staging');
  assert.equal(state.version, 'v1.1.0');
  assert.equal(state.commit, status.deployment.git_ref);
  assert.equal(state.live_since, status.deployment.completed_at);
  assert.equal(state.live_deployment_id, deploymentId);
  assert.deepEqual(state.reported, { version: 'v1.1.0', sha: status.deployment.git_ref });
  assert.equal(state.last_deployment.deployment_id, deploymentId);
  assert.equal(state.health_status, 'healthy');
  assert.deepEqual(state.health_checks, status.health_checks);
});

it('reads a deployment as get_deployment_status returns it, and refuses an unknown one', async () => {
  const resource = await readJson(`deployments://deployments/${deploymentId}`);
  const status = (await stack.call('get_deployment_status', { deployment_id: deploymentId })).structuredContent as Json;
  assert.deepEqual(
    { ...resource, health_age_ms: 0, health_checked_at: '' },
    { ...status, health_age_ms: 0, health_checked_at: '' },
  );
  await assert.rejects(stack.mcp.readResource({ uri: 'deployments://deployments/deploy-nope' }), /not found/);
  await assert.rejects(stack.mcp.readResource({ uri: 'deployments://environments/qa' }), /Invalid environment: qa/);
});
