// Deployment vocabulary: token hashing and checking, rollback targets from GitHub's deployment history, tool inputs.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { hashToken } from '../../domain/approval-token.js';
import { ConfigError, parseGatewayConfig } from '../../domain/config.js';
import { type DeploymentRecordSummary, environmentVersions } from '../../domain/deployment-history.js';
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

describe('what runs in an environment now and what ran before it (environmentVersions)', () => {
  /** Versions as they happened, oldest first; each one's record as GitHub lists it afterwards (newest first). */
  function timeline(...events: [ref: string, outcome: 'success' | 'failure', kind?: 'rollback'][]) {
    const records = events.map(([ref, outcome, kind], index) =>
      record(index + 1, ref, `sha-${ref}`, outcome, outcome === 'success', kind === 'rollback'),
    );
    // GitHub turns every earlier successful deployment inactive when a newer one succeeds.
    const live = records.findLast((each) => each.latestState === 'success');
    return records
      .map((each) => (each.latestState === 'success' && each !== live ? { ...each, latestState: 'inactive' } : each))
      .reverse();
  }
  const versions = (history: DeploymentRecordSummary[]) => {
    const { current, previous } = environmentVersions(history);
    return [current?.ref ?? null, previous?.ref ?? null];
  };
  const history = [
    record(5, 'v1.3.0', 'e', 'failure', false),
    record(4, 'v1.2.0', 'd', 'success', true),
    record(3, 'v1.2.0-rc', 'd', 'inactive', true),
    record(2, 'v1.1.0', 'b', 'inactive', true),
    record(1, 'v1.0.0', 'a', 'inactive', true),
  ];

  it('now: the newest deployment whose newest status is success; nothing when none succeeded', () => {
    assert.equal(environmentVersions(history).current?.ref, 'v1.2.0');
    assert.deepEqual(environmentVersions([record(1, 'x', 'x', 'failure', false)]), { current: null, previous: null });
    assert.deepEqual(environmentVersions([]), { current: null, previous: null });
  });

  it('before: the newest earlier version that ran and is other code; failed deployments never ran', () => {
    assert.equal(environmentVersions(history).previous?.ref, 'v1.1.0');
    assert.deepEqual(versions(timeline(['v1.0.0', 'success'])), ['v1.0.0', null]);
    assert.deepEqual(versions(timeline(['v1.0.0', 'success'], ['v1.1.0', 'failure'])), ['v1.0.0', null]);
    assert.deepEqual(versions(timeline(['v1.0.0', 'success'], ['v1.1.0', 'success'])), ['v1.1.0', 'v1.0.0']);
  });

  it('a failed promotion rolled back automatically leaves the version before it, with nothing earlier', () => {
    const afterAutomaticRollback = timeline(
      ['v1.0.0', 'success'],
      ['v1.1.0', 'failure'],
      ['v1.0.0', 'success', 'rollback'],
    );
    assert.deepEqual(versions(afterAutomaticRollback), ['v1.0.0', null]);
  });

  it('a rollback after a rollback goes further back, not to the version just rolled away from', () => {
    type Event = Parameters<typeof timeline>[number];
    const rolledBackOnce: Event[] = [
      ['v1.0.0', 'success'],
      ['v1.1.0', 'success'],
      ['v1.2.0', 'success'],
      ['v1.1.0', 'success', 'rollback'],
    ];
    assert.deepEqual(versions(timeline(...rolledBackOnce)), ['v1.1.0', 'v1.0.0']);
    assert.deepEqual(versions(timeline(...rolledBackOnce, ['v1.0.0', 'success', 'rollback'])), ['v1.0.0', null]);
  });

  it('promote v1.1.0, roll back, promote v1.1.0, roll back: nothing earlier than v1.0.0, never forward to v1.1.0', () => {
    const repeated = timeline(
      ['v1.0.0', 'success'],
      ['v1.1.0', 'success'],
      ['v1.0.0', 'success', 'rollback'],
      ['v1.1.0', 'success'],
      ['v1.0.0', 'success', 'rollback'],
    );
    assert.deepEqual(versions(repeated), ['v1.0.0', null]);
    const withOlder = timeline(
      ['v0.9.0', 'success'],
      ['v1.0.0', 'success'],
      ['v1.1.0', 'success'],
      ['v1.0.0', 'success', 'rollback'],
      ['v1.1.0', 'success'],
      ['v1.0.0', 'success', 'rollback'],
    );
    assert.deepEqual(versions(withOlder), ['v1.0.0', 'v0.9.0']);
  });

  it('a plain redeploy of an older version is not a rollback: what ran before it is the version it replaced', () => {
    assert.deepEqual(
      versions(timeline(['v1.0.0', 'success'], ['v1.1.0', 'success'], ['v1.2.0', 'success'], ['v1.1.0', 'success'])),
      ['v1.1.0', 'v1.2.0'],
    );
    // The same commit deployed again (a tag and its branch) is one version, not two.
    assert.equal(environmentVersions(history).previous?.sha, 'b');
  });

  it('a rollback to a version never seen before (named target) stacks on top of what ran', () => {
    assert.deepEqual(versions(timeline(['v1.1.0', 'success'], ['v1.0.0', 'success', 'rollback'])), [
      'v1.0.0',
      'v1.1.0',
    ]);
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
