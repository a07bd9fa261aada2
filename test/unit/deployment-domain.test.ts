// Deployment vocabulary: token hashing and checking, rollback targets from GitHub's deployment history, tool inputs.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { hashToken } from '../../domain/approval-token.js';
import { ConfigError, parseGatewayConfig } from '../../domain/config.js';
import {
  currentDeployment,
  type DeploymentRecordSummary,
  previousSuccessfulDeployment,
} from '../../domain/deployment-history.js';
import {
  approveInputSchema,
  listDeploymentsInputSchema,
  promoteInputSchema,
  rollbackInputSchema,
} from '../../domain/deployment-tools.js';
import { isOneOfSecrets } from '../../domain/secret-match.js';

function record(
  id: number,
  ref: string,
  sha: string,
  latestState: string | null,
  everSucceeded: boolean,
  rollback = false,
) {
  return {
    id,
    ref,
    sha,
    createdAt: '2026-11-24T00:00:00Z',
    latestState,
    everSucceeded,
    rollback,
  } satisfies DeploymentRecordSummary;
}

function problems(result: { success: boolean; error?: { issues: { message: string; path: PropertyKey[] }[] } }) {
  return result.error?.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`) ?? [];
}

describe('approval tokens', () => {
  it("hashes as the contract does: sha256's first 12 hex digits", () => {
    // Expected values from Python's hashlib.sha256(token.encode()).hexdigest()[:12], the contract's own definition.
    assert.equal(hashToken('prod-token-abc123'), '0b1c51f836c5');
    assert.equal(hashToken('token1'), 'df3e6b0bb66c');
  });

  it('accepts exactly the admin tokens, whatever their position or length', () => {
    const admins = ['short', 'a-much-longer-admin-token-value'];
    assert.equal(isOneOfSecrets('short', admins), true);
    assert.equal(isOneOfSecrets('a-much-longer-admin-token-value', admins), true);
    assert.equal(isOneOfSecrets('shor', admins), false);
    assert.equal(isOneOfSecrets('short ', admins), false);
    assert.equal(isOneOfSecrets('', admins), false);
    assert.equal(isOneOfSecrets('short', []), false);
  });
});

describe('rollback targets from the deployment history', () => {
  const history = [
    record(5, 'v1.3.0', 'e', 'failure', false),
    record(4, 'v1.2.0', 'd', 'success', true),
    record(3, 'v1.2.0-rc', 'd', 'inactive', true),
    record(2, 'v1.1.0', 'b', 'inactive', true),
    record(1, 'v1.0.0', 'a', 'inactive', true),
  ];

  it('finds what runs: the newest deployment whose newest status is success', () => {
    assert.equal(currentDeployment(history)?.ref, 'v1.2.0');
    assert.equal(currentDeployment([record(1, 'x', 'x', 'failure', false)]), null);
  });

  it('goes back to the newest earlier version that once succeeded and is other code', () => {
    const current = currentDeployment(history);
    assert.ok(current);
    assert.equal(previousSuccessfulDeployment(history, current)?.ref, 'v1.1.0');
    assert.equal(previousSuccessfulDeployment([current], current), null);
  });

  it('goes further back after a rollback, not to the version just rolled away from', () => {
    const afterRollback = [
      record(4, 'v1.1.0', 'b', 'success', true, true),
      record(3, 'v1.2.0', 'c', 'success', true),
      record(2, 'v1.1.0', 'b', 'success', true),
      record(1, 'v1.0.0', 'a', 'success', true),
    ];
    const current = currentDeployment(afterRollback);
    assert.ok(current);
    assert.equal(previousSuccessfulDeployment(afterRollback, current)?.ref, 'v1.0.0');
    // A plain redeploy of an older version is not a rollback: its predecessor is the previous version.
    const redeployed = afterRollback.map((each, index) => (index === 0 ? { ...each, rollback: false } : each));
    assert.equal(previousSuccessfulDeployment(redeployed, redeployed[0] as DeploymentRecordSummary)?.ref, 'v1.2.0');
  });
});

describe('deployment tool inputs', () => {
  it('requires staging_version and refuses an empty approval_token', () => {
    assert.deepEqual(problems(promoteInputSchema.safeParse({})), [
      'staging_version: staging_version is required: a branch, tag or commit SHA',
    ]);
    assert.deepEqual(problems(promoteInputSchema.safeParse({ staging_version: 'v1', approval_token: '' })), [
      'approval_token: approval_token must not be empty',
    ]);
    const parsed = promoteInputSchema.parse({ staging_version: 'v1.2.3' });
    assert.deepEqual(parsed, { staging_version: 'v1.2.3', skip_smoke_tests: false, dry_run: false });
  });

  it('requires a one-line reason for a rollback and a valid target_version', () => {
    assert.deepEqual(problems(rollbackInputSchema.safeParse({ environment: 'production', reason: '  ' })), [
      'reason: reason is required and must not be empty',
    ]);
    assert.deepEqual(problems(rollbackInputSchema.safeParse({ environment: 'production', reason: 'a\nb' })), [
      'reason: reason must not contain control characters',
    ]);
    const bad = problems(rollbackInputSchema.safeParse({ environment: 'qa', reason: 'x', target_version: 'a..b' }));
    assert.equal(bad.length, 2);
    assert.match(bad[0] ?? '', /Invalid environment: qa. Must be 'staging' or 'production'/);
    assert.match(bad[1] ?? '', /^target_version: Invalid target_version: "a..b": it contains '..'/);
  });

  it('bounds list_deployments limit to 1-100 and defaults it to 10', () => {
    assert.equal(listDeploymentsInputSchema.parse({}).limit, 10);
    assert.deepEqual(problems(listDeploymentsInputSchema.safeParse({ limit: 0 })), [
      'limit: limit must be from 1 to 100',
    ]);
    assert.deepEqual(problems(listDeploymentsInputSchema.safeParse({ limit: 101 })), [
      'limit: limit must be from 1 to 100',
    ]);
    assert.deepEqual(problems(listDeploymentsInputSchema.safeParse({ limit: 2.5 })), [
      'limit: limit must be a whole number from 1 to 100',
    ]);
  });

  it('refuses deployment ids that are not ids', () => {
    const result = approveInputSchema.safeParse({ deployment_id: '../etc', approval_token: 't' });
    assert.match(problems(result)[0] ?? '', /^deployment_id: deployment_id must be a deployment id/);
  });
});

describe('gateway configuration of deployments', () => {
  it('reads admin tokens, the audit log path and the approval timeout with their defaults', () => {
    const config = parseGatewayConfig({});
    assert.deepEqual(config.adminTokens, []);
    assert.equal(config.auditLogPath, '/var/log/scheduler/deployments.log');
    assert.equal(config.approvalTimeoutSeconds, 86_400);
    const custom = parseGatewayConfig({
      DEPLOYMENT_ADMIN_TOKENS: 'token1, token2,,',
      DEPLOYMENT_APPROVAL_TIMEOUT_SECONDS: '60',
    });
    assert.deepEqual(custom.adminTokens, ['token1', 'token2']);
    assert.equal(custom.approvalTimeoutSeconds, 60);
    assert.throws(() => parseGatewayConfig({ DEPLOYMENT_APPROVAL_TIMEOUT_SECONDS: '0' }), ConfigError);
  });

  it('takes an empty variable (VAR=) as unset, as npm start does, so both agree on the audit log path', () => {
    assert.equal(parseGatewayConfig({ DEPLOYMENT_AUDIT_LOG: '' }).auditLogPath, '/var/log/scheduler/deployments.log');
  });
});
