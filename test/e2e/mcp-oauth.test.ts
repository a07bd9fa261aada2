// End to end with a real identity provider: `oidc-provider` on loopback issues real JWT access tokens (resource
// indicators); the MCP SDK client's own OAuth support signs in, with the client credentials grant
// (ClientCredentialsProvider) or authorization code + PKCE after registering itself (its login page answered
// headlessly), and calls the gateway over Streamable HTTP → Temporal dev server → worker → sandbox GitHub/apps.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, afterEach, before, beforeEach, describe, it } from 'node:test';
import { UnauthorizedError } from '@modelcontextprotocol/sdk/client/auth.js';
import { ClientCredentialsProvider } from '@modelcontextprotocol/sdk/client/auth-extensions.js';
import { Client as McpClient } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { WorkflowNotFoundError } from '@temporalio/client';
import { generateKeyPair, SignJWT } from 'jose';
import { auditLines, terminateRunningDeployments } from '../helpers/deployments.js';
import { HeadlessSignIn } from '../helpers/headless-sign-in.js';
import { rawPost, toolCall, toolsList } from '../helpers/http-request.js';
import { errorText, type McpGateway, startMcpGateway } from '../helpers/mcp-stack.js';
import { PEOPLE, startIdentityProvider, type TestIdentityProvider, type TestPerson } from '../helpers/oidc-provider.js';
import { freePort } from '../helpers/product-process.js';
import { steer } from '../helpers/sandbox-control.js';
import { TEST_ADMIN_TOKEN } from '../helpers/sandbox-worker.js';
import { startDevServerEnv } from '../helpers/temporal-env.js';
import { type Harness, startHarness } from '../helpers/workflow-harness.js';

// biome-ignore lint/suspicious/noExplicitAny: tool results are JSON read field by field in assertions
type Result = any;

const BREAK_GLASS_TOKEN = randomBytes(32).toString('hex');
let harness: Harness;
let idp: TestIdentityProvider;
let gateway: McpGateway;
let resource: string;
const signedIn: McpClient[] = [];

before(async () => {
  [harness, idp] = await Promise.all([startHarness(startDevServerEnv), startIdentityProvider()]);
  const port = await freePort();
  resource = `http://127.0.0.1:${port}/mcp`;
  // The helper's own client connects with MCP_AUTH_TOKEN: the break-glass path.
  gateway = await startMcpGateway(harness, {
    MCP_PORT: String(port),
    MCP_AUTH_TOKEN: BREAK_GLASS_TOKEN,
    MCP_OAUTH_ISSUER: idp.issuer,
    MCP_OAUTH_RESOURCE: resource,
    MCP_OAUTH_APPROVER_GROUPS: 'release-managers',
  });
});
after(async () => {
  for (const client of signedIn) await client.close();
  await gateway?.close();
  await idp?.close();
  await harness?.close();
});
beforeEach(async () => {
  await steer(harness.sandbox, 'POST', '/reset');
  await steer(harness.sandbox, 'PUT', '/actions/timing', { queued_ms: 50, run_ms: 300 });
});
afterEach(() => terminateRunningDeployments(harness.env.client));

/** A person signed in the way an MCP client does it: discovery from the gateway's challenge, then the grant. */
async function signIn(person: TestPerson): Promise<McpClient> {
  const client = new McpClient({ name: `e2e-${person.clientId}`, version: '1.0.0' });
  const authProvider = new ClientCredentialsProvider({
    clientId: person.clientId,
    clientSecret: person.clientSecret,
    scope: person.scopes,
    expectedIssuer: idp.issuer,
  });
  await client.connect(new StreamableHTTPClientTransport(new URL(resource), { authProvider }));
  signedIn.push(client);
  return client;
}

/**
 * A person signed in as a desktop client does it: the first connection is challenged, the client registers itself,
 * sends the person to the authorization endpoint (PKCE, resource = this gateway) and exchanges the code it gets back.
 */
async function signInInteractively(person: TestPerson): Promise<McpClient> {
  const authProvider = new HeadlessSignIn(person.clientId);
  const first = new StreamableHTTPClientTransport(new URL(resource), { authProvider });
  await assert.rejects(new McpClient({ name: 'e2e', version: '1.0.0' }).connect(first), UnauthorizedError);
  assert.ok(authProvider.code, 'the provider redirected back with a code');
  await first.finishAuth(authProvider.code);
  const client = new McpClient({ name: `e2e-${person.clientId}-interactive`, version: '1.0.0' });
  await client.connect(new StreamableHTTPClientTransport(new URL(resource), { authProvider }));
  signedIn.push(client);
  return client;
}

async function call(client: McpClient, name: string, args: Record<string, unknown>): Promise<Result> {
  const result = (await client.callTool({ name, arguments: args }, undefined, {
    resetTimeoutOnProgress: true,
  })) as CallToolResult;
  assert.equal(result.isError, undefined, `${name}: ${errorText(result)}`);
  return result.structuredContent;
}

async function refusal(client: McpClient, name: string, args: Record<string, unknown>): Promise<string> {
  const result = (await client.callTool({ name, arguments: args })) as CallToolResult;
  assert.equal(result.isError, true, `${name} should be refused`);
  return errorText(result);
}

async function untilStatus(client: McpClient, deploymentId: string, ...statuses: string[]): Promise<Result> {
  for (;;) {
    const status = await call(client, 'get_deployment_status', { deployment_id: deploymentId });
    if (statuses.includes(status.deployment.status)) return status;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

/** Describe is strongly consistent (visibility is not): a refused call must have left no workflow of its id. */
async function assertNeverStarted(workflowId: string): Promise<void> {
  await assert.rejects(harness.env.client.workflow.getHandle(workflowId).describe(), WorkflowNotFoundError);
}

const auditPath = () => harness.worker.config.auditLogPath;
const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
const promoteWithRequestId = (requestId: string) =>
  toolCall('promote_to_production', { staging_version: 'v1.2.0', request_id: requestId });

describe('protected resource metadata and the challenge (RFC 9728)', () => {
  it('serves the metadata at the well-known paths, and an unauthenticated call is pointed at it', async () => {
    const origin = new URL(resource).origin;
    for (const path of ['/.well-known/oauth-protected-resource', '/.well-known/oauth-protected-resource/mcp']) {
      const response = await fetch(`${origin}${path}`);
      assert.equal(response.status, 200, path);
      assert.deepEqual(await response.json(), {
        resource,
        authorization_servers: [idp.issuer],
        scopes_supported: ['deployments:read', 'deployments:write', 'deployments:approve'],
        bearer_methods_supported: ['header'],
        resource_name: 'Deployment orchestrator (MCP)',
      });
    }
    const answer = await rawPost(resource, {}, toolsList);
    assert.equal(answer.status, 401);
    const challenge = String(answer.headers['www-authenticate']);
    const pointer = challenge.match(/resource_metadata="([^"]+)"/)?.[1];
    assert.equal(pointer, `${origin}/.well-known/oauth-protected-resource/mcp`);
    assert.match(challenge, /scope="deployments:read deployments:write deployments:approve"/);
    assert.equal((await fetch(pointer)).status, 200);
    const line = (await auditLines(auditPath())).findLast((entry) => entry.operation === 'authenticate');
    assert.deepEqual([line?.user, line?.success, line?.details.error], ['anonymous', false, 'invalid_token']);
  });
});

describe('tokens the gateway refuses: nothing starts, and the refusal is audited', () => {
  it('refuses a token issued for another audience, an expired one and a badly signed one with 401', async () => {
    const otherAudience = await idp.token(PEOPLE.alice, 'https://other-service.example.com/mcp');
    const expired = await idp.token(PEOPLE.brief, resource);
    // A token signed by a key the issuer never published, with every claim otherwise right.
    const { privateKey } = await generateKeyPair('RS256');
    const forged = await new SignJWT({ scope: 'deployments:read deployments:write', client_id: 'alice' })
      .setProtectedHeader({ alg: 'RS256', kid: 'test-signing-key' })
      .setIssuer(idp.issuer)
      .setAudience(resource)
      .setSubject('alice')
      .setIssuedAt()
      .setExpirationTime('5m')
      .sign(privateKey);
    // `brief`'s tokens live one second; wait until its expiry has certainly passed.
    await new Promise((resolve) => setTimeout(resolve, 2100));
    const cases = [
      { name: 'another audience', token: otherAudience, reason: /not issued for this resource/ },
      { name: 'expired', token: expired, reason: /expired/ },
      { name: 'badly signed', token: forged, reason: /signature does not verify/ },
    ];
    for (const [index, each] of cases.entries()) {
      const requestId = `refused-token-${index}-${randomBytes(4).toString('hex')}`;
      const answer = await rawPost(resource, bearer(each.token), promoteWithRequestId(requestId));
      assert.equal(answer.status, 401, each.name);
      assert.match(String(answer.headers['www-authenticate']), /error="invalid_token"/, each.name);
      assert.match(JSON.parse(answer.body).error_description, each.reason, each.name);
      await assertNeverStarted(`promotion-${requestId}`);
      const line = (await auditLines(auditPath())).findLast((entry) => entry.operation === 'authenticate');
      assert.match(String(line?.details.reason), each.reason, each.name);
      assert.equal(line?.success, false);
    }
  });

  it('refuses a tool whose scope the token lacks with 403 insufficient_scope naming the scope', async () => {
    const readOnly = await idp.token(PEOPLE.carol, resource);
    const requestId = `no-write-${randomBytes(4).toString('hex')}`;
    const answer = await rawPost(resource, bearer(readOnly), promoteWithRequestId(requestId));
    assert.equal(answer.status, 403);
    const challenge = String(answer.headers['www-authenticate']);
    assert.match(challenge, /error="insufficient_scope"/);
    // The step-up challenge: the scopes held plus the one missing.
    assert.match(challenge, /scope="deployments:read deployments:write"/);
    assert.match(challenge, /resource_metadata="[^"]+\/\.well-known\/oauth-protected-resource\/mcp"/);
    assert.match(JSON.parse(answer.body).error_description, /promote_to_production needs the scope deployments:write/);
    await assertNeverStarted(`promotion-${requestId}`);
    const line = (await auditLines(auditPath())).findLast((entry) => entry.details.error === 'insufficient_scope');
    assert.deepEqual(
      [line?.operation, line?.user, line?.environment, line?.details.required_scope],
      ['promote_to_production', 'carol@example.com (carol)', 'production', 'deployments:write'],
    );
    // The same token reads: its scope covers list_deployments.
    const reading = await rawPost(resource, bearer(readOnly), toolCall('list_deployments', {}));
    assert.equal(reading.status, 200);
  });

  it("names the signed-in caller in a read-only tool's audit line", async () => {
    const carol = await signIn(PEOPLE.carol);
    const smoke = await call(carol, 'run_smoke_tests', { environment: 'staging' });
    const line = (await auditLines(auditPath())).find((entry) => entry.details.workflow_id === smoke.workflow_id);
    assert.deepEqual([line?.operation, line?.user], ['run_smoke_tests', 'carol@example.com (carol)']);
  });
});

describe('identities and four-eyes approval of a production promotion', () => {
  it("A promotes v1.2.0, A's own approval is refused, B's approval deploys it; both are named", async () => {
    const alice = await signIn(PEOPLE.alice);
    // B signs in interactively (authorization code + PKCE), A and the outsider D as machine clients.
    const bob = await signInInteractively(PEOPLE.bob);
    const dave = await signIn(PEOPLE.dave);
    const promotion = await call(alice, 'promote_to_production', { staging_version: 'v1.2.0', skip_smoke_tests: true });
    await untilStatus(alice, promotion.deployment_id, 'awaiting_approval');

    const own = await refusal(alice, 'approve_deployment', { deployment_id: promotion.deployment_id });
    assert.match(
      own,
      /Four-eyes rule: alice@example\.com \(alice\) requested this promotion and cannot also approve it/,
    );
    // Naming someone else in the free-text field changes nothing: the verified identity approves.
    const disguised = await refusal(alice, 'approve_deployment', {
      deployment_id: promotion.deployment_id,
      approver: 'bob',
    });
    assert.match(disguised, /Four-eyes rule/);
    const outsider = await refusal(dave, 'approve_deployment', { deployment_id: promotion.deployment_id });
    assert.match(outsider, /groups claim must include one of release-managers/);
    assert.equal((await untilStatus(alice, promotion.deployment_id, 'awaiting_approval')).approval.state, 'waiting');

    const approved = await call(bob, 'approve_deployment', { deployment_id: promotion.deployment_id });
    assert.equal(approved.outcome, 'approved');
    assert.match(approved.message, /Approved by bob@example\.com \(bob\) \(signed in\)/);
    const done = await untilStatus(bob, promotion.deployment_id, 'success', 'failure');
    assert.equal(done.deployment.status, 'success', done.deployment.failure_reason);
    assert.equal(done.deployment.version, 'v1.2.0');
    assert.equal(done.deployment.initiated_by, 'alice@example.com (alice)');
    assert.equal(done.approval.decided_by, 'bob@example.com (bob)');
    assert.equal(done.approval.token_hash, null);

    const lines = (await auditLines(auditPath())).filter(
      (entry) => entry.details.deployment_id === promotion.deployment_id,
    );
    const started = lines.find((entry) => entry.operation === 'promote_to_production');
    assert.equal(started?.user, 'alice@example.com (alice)');
    const approvals = lines.filter((entry) => entry.operation === 'approve_deployment');
    assert.deepEqual(
      approvals.map((entry) => [entry.user, entry.success]),
      [
        ['alice@example.com (alice)', false],
        ['alice@example.com (alice)', false],
        ['dave@example.com (dave)', false],
        ['bob@example.com (bob)', true],
      ],
    );

    const listed = await call(bob, 'list_deployments', { environment: 'production' });
    const entry = listed.deployments.find((each: Result) => each.deployment_id === promotion.deployment_id);
    assert.equal(entry?.initiated_by, 'alice@example.com (alice)');

    // "My deployments": the DeploymentInitiator search attribute holds the requester's subject.
    const mine = async (client: McpClient) =>
      (await call(client, 'list_deployments', { initiated_by_me: true })).deployments.map(
        (each: Result) => each.deployment_id,
      );
    while (!(await mine(alice)).includes(promotion.deployment_id)) {
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    assert.ok(!(await mine(bob)).includes(promotion.deployment_id));
    const query = `DeploymentInitiator = 'alice'`;
    assert.ok((await harness.env.client.workflow.count(query)).count >= 1);
  });

  it("says why the requester's own approval_token given with the promotion did not approve it", async () => {
    const alice = await signIn(PEOPLE.alice);
    const promotion = await call(alice, 'promote_to_production', {
      staging_version: 'v1.1.0',
      skip_smoke_tests: true,
      approval_token: TEST_ADMIN_TOKEN,
    });
    assert.equal(promotion.approval.state, 'waiting');
    assert.match(
      promotion.message,
      /^The approval_token given did not approve it: Four-eyes rule: alice@example\.com \(alice\) requested this promotion and cannot also approve it; another person with the deployments:approve scope must approve it\. Waiting for approval/,
    );
  });

  it('keeps MCP_AUTH_TOKEN as break-glass: it works with every scope and is named as such', async () => {
    const staging = await gateway.call('deploy_to_staging', { git_ref: 'v1.1.0', skip_smoke_tests: true });
    assert.equal(staging.isError, undefined, errorText(staging));
    const id = (staging.structuredContent as Result).deployment_id;
    const status = (await gateway.call('get_deployment_status', { deployment_id: id })).structuredContent as Result;
    assert.match(status.deployment.initiated_by, /^break-glass:mcp-auth-token:[0-9a-f]{12}$/);
    assert.ok(!status.deployment.initiated_by.includes(BREAK_GLASS_TOKEN));
    const mine = await gateway.call('list_deployments', { initiated_by_me: true });
    assert.match(errorText(mine), /initiated_by_me needs a caller signed in through the identity provider/);
  });
});
