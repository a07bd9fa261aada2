// End to end: a real MCP client over Streamable HTTP → gateway → Temporal dev server → worker → sandbox GitHub/apps.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, beforeEach, describe, it } from 'node:test';
import { parseHttpGatewayConfig } from '../../domain/config.js';
import { rawPost, toolCall, toolsList } from '../helpers/http-request.js';
import { errorText, type McpStack, startMcpGateway, startMcpStack } from '../helpers/mcp-stack.js';
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

/** A raw tools/list POST with chosen headers, answered with its status. */
const postStatus = async (headers: Record<string, string>, url = stack.gateway.url) =>
  (await rawPost(url, headers, toolsList)).status;
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
        'get_deployment_metrics',
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
      'get_deployment_metrics',
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
    const values: { progress: number; total?: number }[] = [];
    const result = await stack.call(
      'validate_deployment',
      { environment: 'staging', git_ref: 'main' },
      (message, at) => {
        messages.push(message);
        values.push(at);
      },
    );
    assert.equal(structured(result).valid, true);
    assert.ok(messages.length >= 1, 'at least one progress notification');
    assert.match(messages.join('\n'), /\d\/6 done; now: /);
    // The step count is known: the notifications say so, and progress only grows.
    const counted = values.filter((each) => each.total !== undefined);
    assert.ok(counted.length >= 1, JSON.stringify(values));
    assert.ok(
      counted.every((each) => each.total === 6),
      JSON.stringify(values),
    );
    assert.ok(values.every((each, index) => index === 0 || each.progress > (values[index - 1]?.progress ?? 0)));
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

describe('exposing the gateway safely', () => {
  const token = randomBytes(32).toString('hex');

  it('asks for the bearer token when one is set, even on loopback, and serves whoever has it', async () => {
    const secured = await startMcpGateway(stack.harness, { MCP_AUTH_TOKEN: token });
    try {
      const missing = await rawPost(secured.gateway.url, {}, toolsList);
      assert.equal(missing.status, 401);
      assert.match(String(missing.headers['www-authenticate']), /^Bearer error="invalid_token"/);
      const wrong = await rawPost(secured.gateway.url, { authorization: `Bearer ${token.slice(0, -1)}x` }, toolsList);
      assert.equal(wrong.status, 401);
      assert.ok(!wrong.body.includes(token.slice(0, 16)), 'the answer does not echo the token');
      assert.equal(await postStatus({ authorization: `Basic ${token}` }, secured.gateway.url), 401);
      assert.equal(await postStatus({ authorization: `Bearer ${token}` }, secured.gateway.url), 200);
      // The SDK client with the token in its requestInit headers: a whole tool call.
      const listed = await secured.call('list_deployments', { limit: 1 });
      assert.equal(listed.isError, undefined, errorText(listed));

      const health = await fetch(new URL('/healthz', secured.gateway.url));
      assert.equal(health.status, 200);
      assert.deepEqual(await health.json(), { status: 'ok' });
    } finally {
      await secured.close();
    }
  });

  it('binds beyond localhost only with a token, and still checks Host and Origin there', async () => {
    // 127.0.0.2 is not one of the loopback names the gateway trusts: it stands in for a LAN address.
    assert.throws(() => parseHttpGatewayConfig({ MCP_HOST: '127.0.0.2' }), /set MCP_AUTH_TOKEN/);
    const exposed = await startMcpGateway(stack.harness, {
      MCP_HOST: '127.0.0.2',
      MCP_AUTH_TOKEN: token,
      MCP_ALLOWED_ORIGINS: 'https://console.example.com',
    });
    try {
      assert.match(exposed.gateway.url, /^http:\/\/127\.0\.0\.2:\d+\/mcp$/);
      const auth = { authorization: `Bearer ${token}` };
      assert.equal(await postStatus(auth, exposed.gateway.url), 200);
      assert.equal(await postStatus({ ...auth, host: 'evil.example' }, exposed.gateway.url), 403);
      assert.equal(await postStatus({ ...auth, origin: 'https://evil.example' }, exposed.gateway.url), 403);
      assert.equal(await postStatus({ ...auth, origin: 'https://console.example.com' }, exposed.gateway.url), 200);
      assert.equal(await postStatus({}, exposed.gateway.url), 401);
    } finally {
      await exposed.close();
    }
  });

  it('refuses a body over MCP_MAX_REQUEST_BYTES with 413, whatever its content type, and keeps serving', async () => {
    const big = toolCall('validate_deployment', { environment: 'staging', git_ref: 'x'.repeat(70 * 1024) });
    for (const contentType of ['application/json', 'text/plain']) {
      const answer = await rawPost(stack.gateway.url, { 'content-type': contentType }, big);
      assert.equal(answer.status, 413, contentType);
      assert.match(JSON.parse(answer.body).error.message, /at most 65536 bytes \(MCP_MAX_REQUEST_BYTES\)/);
    }
    const notJson = await rawPost(stack.gateway.url, {}, '{"jsonrpc": ');
    assert.equal(notJson.status, 400);
    assert.equal(JSON.parse(notJson.body).error.code, -32700);
    assert.equal(await postStatus({}), 200);
  });

  it('holds each client to MCP_MAX_CONCURRENT_CALLS_PER_CLIENT calls in flight, and frees a slot when a call ends', async () => {
    // No worker polls this queue, so each call waits on its workflow until the test terminates it.
    const parkedQueue = `parked-${randomBytes(4).toString('hex')}`;
    const limited = await startMcpGateway(stack.harness, {
      TEMPORAL_TASK_QUEUE: parkedQueue,
      MCP_MAX_CONCURRENT_CALLS_PER_CLIENT: '2',
    });
    try {
      const held = [1, 2].map(() => limited.call('run_smoke_tests', { environment: 'staging' }));
      const parked = await visibleWorkflows(`TaskQueue = "${parkedQueue}"`, 2);
      const refused = await rawPost(limited.gateway.url, {}, toolsList);
      assert.equal(refused.status, 429);
      assert.equal(refused.headers['retry-after'], '1');
      assert.match(
        JSON.parse(refused.body).error.message,
        /at most 2 at a time \(MCP_MAX_CONCURRENT_CALLS_PER_CLIENT\)/,
      );
      const otherClient = await rawPost(limited.gateway.url, {}, toolsList, '127.0.0.2');
      assert.equal(otherClient.status, 200, 'another client is not held back');

      for (const id of parked) await stack.harness.env.client.workflow.getHandle(id).terminate('test over');
      for (const result of await Promise.all(held)) {
        assert.equal(result.isError, true);
        assert.match(errorText(result), /terminated|test over/i);
      }
      assert.equal(await postStatus({}, limited.gateway.url), 200);
      const listed = await limited.call('list_deployments', { limit: 1 });
      assert.equal(listed.isError, undefined, errorText(listed));
    } finally {
      await limited.close();
    }
  });
});

/** The ids of the workflows a visibility query finds, once it finds `count` of them (bounded wait). */
async function visibleWorkflows(query: string, count: number): Promise<string[]> {
  for (let attempt = 0; attempt < 100; attempt++) {
    const ids: string[] = [];
    for await (const workflow of stack.harness.env.client.workflow.list({ query })) ids.push(workflow.workflowId);
    if (ids.length >= count) return ids;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`fewer than ${count} workflows for ${query}`);
}
