// validateDeployment on the real time-skipping test server, with real activities against the sandbox GitHub.
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import type { ValidateDeploymentInput } from '../../domain/validation.js';
import type { validateDeployment } from '../../workflows/validate-deployment.js';
import { githubRequests, steer } from '../helpers/sandbox-control.js';
import { startTimeSkippingEnv } from '../helpers/temporal-env.js';
import { type Harness, startHarness } from '../helpers/workflow-harness.js';

let harness: Harness;
before(async () => {
  harness = await startHarness(startTimeSkippingEnv);
});
after(() => harness.close());
beforeEach(() => steer(harness.sandbox, 'POST', '/reset'));

function validate(input: Partial<ValidateDeploymentInput>) {
  return harness.execute<typeof validateDeployment>('validateDeployment', [
    { environment: 'staging', git_ref: 'main', dry_run: false, skip_tests: false, skip_security_scan: false, ...input },
  ]);
}

describe('validateDeployment', () => {
  it('validates a ref of 2,000 more files in at most 30 GitHub requests, its migration past the 300th changed file seen', async () => {
    // The generated files sort before the migrations folder: the migration is the 301st changed file of the diff.
    await steer(harness.sandbox, 'POST', '/large-repository', {
      branch: 'big-repo',
      files: 2000,
      folder: 'api/generated',
    });
    await steer(harness.sandbox, 'POST', '/commits', {
      branch: 'big-repo',
      files: {
        'backend/alembic/versions/005_add_rota_notes.py': "def upgrade():\n    op.add_column('rotas', notes)\n",
      },
    });
    await steer(harness.sandbox, 'DELETE', '/requests');
    const result = await validate({ git_ref: 'big-repo' });
    const requests = await githubRequests(harness.sandbox);
    assert.ok(requests.length <= 30, `${requests.length} requests:\n${requests.map((r) => r.path).join('\n')}`);
    assert.equal(result.valid, true, result.blockers.join('; '));
    const migrations = result.checks.find((check) => check.check_name === 'migrations_safe');
    assert.ok(
      ((migrations?.details.changed ?? []) as string[]).includes('backend/alembic/versions/005_add_rota_notes.py'),
      migrations?.message,
    );
  });

  it('finds main valid for staging with every check passed and timed', async () => {
    const result = await validate({});
    assert.equal(result.valid, true, result.blockers.join('; '));
    assert.deepEqual(
      result.checks.map((check) => check.check_name),
      [
        'git_ref_resolves',
        'tests_passed',
        'security_scan',
        'migrations_safe',
        'environment_configuration',
        'images_built',
      ],
    );
    for (const check of result.checks) {
      assert.notEqual(check.status, 'failed', `${check.check_name}: ${check.message}`);
      assert.ok(Number.isInteger(check.duration_ms) && check.duration_ms >= 0);
    }
    assert.match(result.commit_sha ?? '', /^[0-9a-f]{40}$/);
    assert.equal(result.dry_run, false);
  });

  it('is not valid when CI fails, and names the blocker', async () => {
    await steer(harness.sandbox, 'POST', '/checks', { ref: 'v1.2.0', conclusion: 'failure', name: 'ci / test' });
    const result = await validate({ git_ref: 'v1.2.0' });
    assert.equal(result.valid, false);
    assert.deepEqual(result.blockers, ['tests_passed: CI checks failing: ci / test (failure)']);
  });

  it('is not valid for a ref that does not resolve, and runs nothing else', async () => {
    await steer(harness.sandbox, 'DELETE', '/requests');
    const result = await validate({ git_ref: 'no-such-ref' });
    assert.equal(result.valid, false);
    assert.deepEqual(result.blockers, ["Git ref 'no-such-ref' does not resolve to a commit in the repository"]);
    assert.ok(result.checks.slice(1).every((check) => check.status === 'skipped'));
    const paths = (await githubRequests(harness.sandbox)).map((request) => request.path);
    assert.ok(!paths.some((path) => /check-runs|alerts|environments|compare/.test(path)), paths.join('\n'));
  });

  it('skips tests and the scan when asked, with the warnings, without calling GitHub for them', async () => {
    await steer(harness.sandbox, 'DELETE', '/requests');
    const result = await validate({ skip_tests: true, skip_security_scan: true, dry_run: true });
    assert.equal(result.valid, true);
    assert.equal(result.dry_run, true);
    const statuses = Object.fromEntries(result.checks.map((check) => [check.check_name, check.status]));
    assert.equal(statuses.tests_passed, 'skipped');
    assert.equal(statuses.security_scan, 'skipped');
    assert.deepEqual(result.warnings, [
      'Test verification skipped (skip_tests=true) - not recommended',
      'Security scan skipped (skip_security_scan=true) - not recommended',
    ]);
    const paths = (await githubRequests(harness.sandbox)).map((request) => request.path);
    // The scan's requests: the alert lists and the tarball of the files (migrations_safe reads git trees itself).
    assert.ok(!paths.some((path) => /alerts|\/tarball\//.test(path)), paths.join('\n'));
  });

  it('blocks, with the fix, when GitHub refuses the credentials', async () => {
    await harness.reconfigure({ GITHUB_TOKEN: 'revoked-token' });
    try {
      const result = await validate({});
      assert.equal(result.valid, false);
      assert.match(
        result.blockers[0] ?? '',
        /git_ref_resolves: could not verify \(.*401 Bad credentials\)\. Set GITHUB_TOKEN/,
      );
    } finally {
      await harness.reconfigure({});
    }
  });

  it('blocks production on a critical vulnerability found by the security scan child workflow', async () => {
    await steer(harness.sandbox, 'POST', '/alerts/dependabot', { severity: 'critical', package: 'requests' });
    const result = await validate({ environment: 'production' });
    assert.equal(result.valid, false);
    assert.deepEqual(result.blockers, ['security_scan: 1 critical vulnerability found (at most 0 allowed)']);
  });
});
