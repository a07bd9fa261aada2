// End to end: a real MCP client over Streamable HTTP → gateway → Temporal dev server → worker → sandbox GitHub/apps.
import assert from 'node:assert/strict';
import { request } from 'node:http';
import { after, before, beforeEach, describe, it } from 'node:test';
import { errorText, type McpStack, startMcpStack } from '../helpers/mcp-stack.js';
import { githubRequests, steer } from '../helpers/sandbox-control.js';

let stack: McpStack;
before(async () => {
  stack = await startMcpStack();
});
after(() => stack.close());
beforeEach(() => steer(stack.harness.sandbox, 'POST', '/reset'));

type Json = Record<string, unknown>;

/** Visibility is eventually consistent: poll, for a bounded while, until the query finds something. */
async function visibleCount(query: string): Promise<number> {
  for (let attempt = 0; attempt < 50; attempt++) {
    let found = 0;
    for await (const _ of stack.harness.env.client.workflow.list({ query })) found += 1;
    if (found > 0) return found;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  return 0;
}

/** A raw tools/list POST with chosen headers; node:http, because fetch will not send a Host of our choosing. */
function postStatus(headers: Record<string, string>): Promise<number> {
  const body = JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list' });
  return new Promise((resolve, reject) => {
    const req = request(
      stack.gateway.url,
      {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream', ...headers },
      },
      (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}
const structured = (result: { structuredContent?: Json }) => result.structuredContent as Json;

describe('tools over Streamable HTTP', () => {
  it('lists every tool with input and output schemas and all four annotations', async () => {
    const { tools } = await stack.mcp.listTools();
    assert.deepEqual(
      tools.map((tool) => tool.name),
      [
        'validate_deployment',
        'run_security_scan',
        'run_smoke_tests',
        'deploy_to_staging',
        'promote_to_production',
        'rollback_deployment',
        'get_deployment_status',
        'list_deployments',
        'approve_deployment',
        'reject_deployment',
      ],
    );
    for (const tool of tools) {
      assert.ok(tool.outputSchema, `${tool.name} has an output schema`);
      for (const hint of ['readOnlyHint', 'destructiveHint', 'idempotentHint', 'openWorldHint'] as const) {
        assert.equal(typeof tool.annotations?.[hint], 'boolean', `${tool.name} sets ${hint}`);
      }
    }
    const readOnly = tools.filter((tool) => tool.annotations?.readOnlyHint).map((tool) => tool.name);
    assert.deepEqual(readOnly, [
      'validate_deployment',
      'run_security_scan',
      'run_smoke_tests',
      'get_deployment_status',
      'list_deployments',
    ]);
    const promote = tools.find((tool) => tool.name === 'promote_to_production');
    assert.equal(promote?.annotations?.destructiveHint, true);
    const validate = tools.find((tool) => tool.name === 'validate_deployment');
    assert.deepEqual(validate?.inputSchema.required, ['environment', 'git_ref']);
  });

  it('validates main for staging: valid, at least five checks, a text copy of the result', async () => {
    const result = await stack.call('validate_deployment', { environment: 'staging', git_ref: 'main' });
    assert.equal(result.isError, undefined, errorText(result));
    const content = structured(result);
    assert.equal(content.valid, true, JSON.stringify(content.blockers));
    assert.ok((content.checks as unknown[]).length >= 5);
    assert.deepEqual(JSON.parse(errorText(result)), content);
  });

  it('finds a ref whose CI fails not valid and names the blocker', async () => {
    await steer(stack.harness.sandbox, 'POST', '/checks', { ref: 'v1.1.0', conclusion: 'failure', name: 'ci / test' });
    const content = structured(await stack.call('validate_deployment', { environment: 'staging', git_ref: 'v1.1.0' }));
    assert.equal(content.valid, false);
    assert.deepEqual(content.blockers, ['tests_passed: CI checks failing: ci / test (failure)']);
  });

  it('scans main and returns all five severity counts', async () => {
    const content = structured(await stack.call('run_security_scan', { git_ref: 'main' }));
    assert.deepEqual(Object.keys(content.severity_summary as Json), ['critical', 'high', 'medium', 'low', 'info']);
    assert.equal(content.passed, true);
  });

  it('smoke-tests staging with the full suite', async () => {
    const content = structured(await stack.call('run_smoke_tests', { environment: 'staging', test_suite: 'full' }));
    assert.equal(content.passed, true);
    assert.equal((content.results as unknown[]).length, 5);
  });

  it('sends progress notifications while the workflow runs', async () => {
    await steer(stack.harness.sandbox, 'POST', '/latency', { delay_ms: 400 });
    const messages: string[] = [];
    const result = await stack.call('validate_deployment', { environment: 'staging', git_ref: 'main' }, (message) =>
      messages.push(message),
    );
    assert.equal(structured(result).valid, true);
    assert.ok(messages.length >= 1, 'at least one progress notification');
    assert.match(messages.join('\n'), /\d\/6 done; now: /);
  });

  it('rejects bad input with the field named, starting nothing', async () => {
    await steer(stack.harness.sandbox, 'DELETE', '/requests');
    const cases: [string, Json, RegExp][] = [
      [
        'validate_deployment',
        { environment: 'invalid', git_ref: 'main' },
        /Invalid environment: invalid\. Must be 'staging' or 'production'/,
      ],
      ['validate_deployment', { environment: 'staging', git_ref: 'main;reboot' }, /Invalid git_ref: "main;reboot"/],
      ['run_security_scan', {}, /git_ref is required/],
      ['run_smoke_tests', { environment: 'staging', timeout_seconds: 5 }, /timeout_seconds must be from 30 to 1800/],
      ['run_smoke_tests', { environment: 'staging', test_suite: 'all' }, /Invalid test_suite: all/],
    ];
    for (const [tool, args, message] of cases) {
      const result = await stack.call(tool, args);
      assert.equal(result.isError, true, `${tool} ${JSON.stringify(args)}`);
      assert.match(errorText(result), message);
    }
    assert.deepEqual(await githubRequests(stack.harness.sandbox), []);
  });

  it('makes every run visible to Temporal visibility with its search attributes (what the Web UI lists)', async () => {
    const smoke = structured(await stack.call('run_smoke_tests', { environment: 'production' }));
    assert.equal(
      await visibleCount(
        `WorkflowId = "${smoke.workflow_id}" AND DeploymentKind = "smoke_tests" AND DeploymentEnvironment = "production"`,
      ),
      1,
    );
    const validation = structured(
      await stack.call('validate_deployment', { environment: 'production', git_ref: 'v1.2.0' }),
    );
    assert.equal(
      await visibleCount(
        `WorkflowId = "${validation.workflow_id}/security-scan" AND DeploymentKind = "security_scan" AND DeploymentEnvironment = "production" AND DeploymentVersion = "v1.2.0"`,
      ),
      1,
    );
  });

  it('refuses requests from a foreign Origin or Host (DNS rebinding)', async () => {
    assert.equal(await postStatus({ origin: 'https://evil.example' }), 403);
    assert.equal(await postStatus({ host: 'evil.example' }), 403);
    assert.equal(await postStatus({ origin: 'http://localhost:5173' }), 200);
  });
});
