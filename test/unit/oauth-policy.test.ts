// The resource server's pure parts: its settings, the scope of every tool, the four-eyes and approver-group rules.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  type ApprovalPolicy,
  approvalRefusal,
  type CallerIdentity,
  identityLabel,
} from '../../domain/caller-identity.js';
import { ConfigError, parseHttpGatewayConfig } from '../../domain/config.js';
import { scopeForRequest, scopeForTool, TOOL_SCOPES } from '../../mcp-gateway/oauth/tool-scopes.js';
import { TOOLS } from '../../mcp-gateway/tools/index.js';

const ISSUER = 'https://login.example.com/realms/acme';
const RESOURCE = 'https://deploy.example.com/mcp';

describe('OAuth settings', () => {
  it('leaves the gateway as it was when no identity provider is set', () => {
    assert.equal(parseHttpGatewayConfig({}).oauth, undefined);
  });

  it('takes an issuer and a resource, the resource as the default audience, four-eyes on by default', () => {
    const { oauth } = parseHttpGatewayConfig({ MCP_OAUTH_ISSUER: ISSUER, MCP_OAUTH_RESOURCE: RESOURCE });
    assert.deepEqual(oauth, {
      issuer: ISSUER,
      resource: RESOURCE,
      audiences: [RESOURCE],
      jwksUrl: undefined,
      nameClaims: ['email', 'preferred_username', 'name'],
      fourEyes: true,
      approverClaim: 'groups',
      approverGroups: [],
    });
  });

  it('names the missing half of the pair, and a bad value with the variable', () => {
    assert.throws(
      () => parseHttpGatewayConfig({ MCP_OAUTH_ISSUER: ISSUER }),
      (error: unknown) => error instanceof ConfigError && /MCP_OAUTH_RESOURCE must be too/.test(error.message),
    );
    assert.throws(
      () => parseHttpGatewayConfig({ MCP_OAUTH_RESOURCE: RESOURCE }),
      /MCP_OAUTH_RESOURCE is set but MCP_OAUTH_ISSUER is not/,
    );
    assert.throws(() => parseHttpGatewayConfig({ MCP_OAUTH_ISSUER: 'login.example.com' }), /MCP_OAUTH_ISSUER: /);
    assert.throws(
      () =>
        parseHttpGatewayConfig({ MCP_OAUTH_ISSUER: ISSUER, MCP_OAUTH_RESOURCE: RESOURCE, MCP_OAUTH_FOUR_EYES: 'no' }),
      /MCP_OAUTH_FOUR_EYES: /,
    );
  });

  it('lets a gateway with an identity provider listen beyond loopback without MCP_AUTH_TOKEN', () => {
    const config = parseHttpGatewayConfig({
      MCP_HOST: '10.0.0.5',
      MCP_OAUTH_ISSUER: ISSUER,
      MCP_OAUTH_RESOURCE: RESOURCE,
    });
    assert.equal(config.authToken, undefined);
    assert.equal(config.oauth?.issuer, ISSUER);
  });
});

describe('scopes per tool', () => {
  it('gives every tool the gateway serves a scope, and no scope to a tool it does not serve', () => {
    assert.deepEqual(Object.keys(TOOL_SCOPES).sort(), TOOLS.map((tool) => tool.name).sort());
    assert.equal(scopeForTool('approve_deployment'), 'deployments:approve');
    assert.equal(scopeForTool('promote_to_production'), 'deployments:write');
    assert.equal(scopeForTool('list_deployments'), 'deployments:read');
    assert.equal(scopeForTool('a_tool_added_later'), 'deployments:read deployments:write deployments:approve');
  });

  it("asks deployments:read of resource reads and completions, which carry the read tools' data", () => {
    assert.equal(scopeForRequest('tools/call', 'get_deployment_metrics'), 'deployments:read');
    assert.equal(scopeForRequest('resources/read', undefined), 'deployments:read');
    assert.equal(scopeForRequest('completion/complete', undefined), 'deployments:read');
    assert.equal(scopeForRequest('initialize', undefined), null);
    assert.equal(scopeForRequest('tools/list', undefined), null);
  });
});

describe('who may approve a promotion', () => {
  const person = (subject: string, groups: string[] = []): CallerIdentity => ({
    via: 'oauth',
    subject,
    name: `${subject}@example.com`,
    groups,
  });
  const policy: ApprovalPolicy = {
    identityApprovals: true,
    fourEyes: true,
    approverGroups: [],
    approverClaim: 'groups',
  };

  it('refuses the requester (four-eyes) and accepts someone else', () => {
    assert.match(
      String(approvalRefusal(policy, person('alice'), person('alice'))),
      /^Four-eyes rule: alice@example\.com \(alice\)/,
    );
    assert.equal(approvalRefusal(policy, person('alice'), person('bob')), null);
    assert.equal(approvalRefusal({ ...policy, fourEyes: false }, person('alice'), person('alice')), null);
  });

  it('limits approvers to the configured groups when there are any', () => {
    const limited = { ...policy, approverGroups: ['release-managers'] };
    assert.match(
      String(approvalRefusal(limited, person('alice'), person('dave', ['developers']))),
      /groups claim must include one of release-managers/,
    );
    assert.equal(approvalRefusal(limited, person('alice'), person('bob', ['release-managers'])), null);
  });

  it('judges nothing on the token path: no approver identity, or no policy (deployments without an identity provider)', () => {
    assert.equal(approvalRefusal(policy, person('alice'), undefined), null);
    assert.equal(approvalRefusal(undefined, person('alice'), person('alice')), null);
  });

  it('labels people by name and subject, and break-glass callers as such', () => {
    assert.equal(identityLabel(person('alice')), 'alice@example.com (alice)');
    assert.equal(identityLabel({ via: 'oauth', subject: 'x1', name: null, groups: [] }), 'x1');
    assert.equal(
      identityLabel({ via: 'break-glass', subject: 'mcp-auth-token:abc', name: null, groups: [] }),
      'break-glass:mcp-auth-token:abc',
    );
  });
});
