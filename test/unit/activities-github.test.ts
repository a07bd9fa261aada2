// Activities against the sandbox GitHub over real HTTP, through the same Octokit client the worker uses.
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { ApplicationFailure } from '@temporalio/common';
import type { Activities } from '../../activities/index.js';
import { type Sandbox, startSandbox } from '../../sandbox/start-sandbox.js';
import { githubRequests, SANDBOX_REPO, sandboxOctokit, steer } from '../helpers/sandbox-control.js';
import { sandboxActivities } from '../helpers/sandbox-worker.js';

let sandbox: Sandbox;
let activities: Activities;

before(async () => {
  sandbox = await startSandbox();
  activities = sandboxActivities(sandbox);
});
after(() => sandbox.close());
beforeEach(() => steer(sandbox, 'POST', '/reset'));

async function shaOf(ref: string): Promise<string> {
  const resolved = await activities.resolveGitRef(ref);
  assert.ok(resolved, `${ref} should resolve`);
  return resolved.sha;
}

describe('resolveGitRef', () => {
  it('tells branches, tags and commits apart, and returns null for an unknown ref', async () => {
    const branch = await activities.resolveGitRef('main');
    assert.equal(branch?.kind, 'branch');
    assert.equal(branch?.fullRef, 'refs/heads/main');
    const tag = await activities.resolveGitRef('v1.1.0');
    assert.equal(tag?.kind, 'tag');
    assert.notEqual(tag?.sha, branch?.sha);
    const commit = await activities.resolveGitRef(branch?.sha ?? '');
    assert.deepEqual(commit, { ref: branch?.sha, sha: branch?.sha, kind: 'commit', fullRef: null });
    assert.equal(await activities.resolveGitRef('no-such-branch'), null);
  });

  it('resolves a branch with a slash in its name', async () => {
    const { sha } = (await steer(sandbox, 'POST', '/commits', {
      branch: 'feature/login',
      files: { 'x.txt': 'x' },
    })) as {
      sha: string;
    };
    assert.equal((await activities.resolveGitRef('feature/login'))?.sha, sha);
  });

  it('fails fast, non-retryable, naming the fix, on bad credentials', async () => {
    const badlyAuthed = sandboxActivities(sandbox, {}, 'not-the-token');
    await assert.rejects(
      badlyAuthed.resolveGitRef('main'),
      (error: unknown) =>
        error instanceof ApplicationFailure &&
        error.nonRetryable &&
        /401 Bad credentials\)\. Set GITHUB_TOKEN/.test(error.message),
    );
  });
});

describe('CI checks', () => {
  it('passes a commit whose CI is green', async () => {
    const outcome = await activities.checkTestsPassed(await shaOf('main'));
    assert.equal(outcome.check.status, 'passed', outcome.check.message);
    assert.deepEqual(outcome.blockers, []);
    assert.ok(outcome.check.duration_ms >= 0);
  });

  it('blocks on a failing check run, naming it', async () => {
    await steer(sandbox, 'POST', '/checks', { ref: 'main', conclusion: 'failure', name: 'ci / test' });
    const outcome = await activities.checkTestsPassed(await shaOf('main'));
    assert.equal(outcome.check.status, 'failed');
    assert.match(outcome.blockers[0] ?? '', /tests_passed: CI checks failing: ci \/ test \(failure\)/);
  });

  it('blocks on pending CI and says so', async () => {
    await steer(sandbox, 'POST', '/statuses', { ref: 'main', state: 'pending' });
    const outcome = await activities.checkTestsPassed(await shaOf('main'));
    assert.match(outcome.blockers[0] ?? '', /still running: .*wait for them to finish/);
  });

  it('checks the image build apart from the tests', async () => {
    const sha = await shaOf('main');
    await steer(sandbox, 'POST', '/checks', { ref: 'main', conclusion: 'failure', name: 'build-images' });
    assert.equal((await activities.checkImagesBuilt(sha)).check.status, 'failed');
    assert.equal((await activities.checkTestsPassed(sha)).check.status, 'passed');
  });
});

describe('findDeployedVersion', () => {
  it('reads what runs now in two requests however long the history: statuses only until the live one', async () => {
    const github = sandboxOctokit(sandbox);
    const sha = await shaOf('v1.1.0');
    for (let index = 0; index < 20; index += 1) {
      const { data } = await github.rest.repos.createDeployment({
        ...SANDBOX_REPO,
        ref: 'v1.1.0',
        environment: 'staging',
        required_contexts: [],
        auto_merge: false,
      });
      assert.ok('id' in data);
      await github.rest.repos.createDeploymentStatus({ ...SANDBOX_REPO, deployment_id: data.id, state: 'success' });
    }
    await steer(sandbox, 'DELETE', '/requests');
    const deployed = await activities.findDeployedVersion('staging');
    assert.equal(deployed.current?.sha, sha);
    const paths = (await githubRequests(sandbox)).map((request) => request.path);
    assert.equal(paths.length, 2, paths.join('\n'));
  });
});

describe('migrations', () => {
  it('lists the migrations main adds over what staging runs, none destructive', async () => {
    const deployed = await activities.findDeployedVersion('staging');
    assert.equal(deployed.current?.ref, 'v1.0.0');
    const outcome = await activities.checkMigrationsSafe({
      environment: 'staging',
      sha: await shaOf('main'),
      deployed,
    });
    assert.equal(outcome.check.status, 'passed', outcome.check.message);
    assert.match(outcome.check.message, /3 migration\(s\) since v1\.0\.0/);
  });

  it('reads new migrations from the compare diff, fetching only files it does not hold whole', async () => {
    await steer(sandbox, 'DELETE', '/requests');
    const deployed = await activities.findDeployedVersion('staging');
    await activities.checkMigrationsSafe({ environment: 'staging', sha: await shaOf('main'), deployed });
    const paths = (await githubRequests(sandbox)).map((request) => request.path);
    assert.ok(paths.some((path) => path.includes('/compare/')));
    assert.ok(!paths.some((path) => path.includes('/contents/')), paths.join('\n'));
  });

  it('reads every migration at the ref when the environment has no successful deployment', async () => {
    const none = { environment: 'staging' as const, current: null, lookup_ms: 0 };
    const outcome = await activities.checkMigrationsSafe({
      environment: 'staging',
      sha: await shaOf('v1.1.0'),
      deployed: none,
    });
    assert.equal(outcome.check.status, 'passed', outcome.check.message);
    assert.match(
      outcome.check.message,
      /2 migration\(s\) \(no successful staging deployment recorded, so all of them\)/,
    );
  });

  it('finds a migration that is the 301st changed file, past what the compare API lists', async () => {
    // 300 generated files sort before the migrations folder, so GitHub's 300-file compare list stops short of it.
    await steer(sandbox, 'POST', '/large-repository', { branch: 'wide-diff', files: 300, folder: 'api/generated' });
    const { sha } = (await steer(sandbox, 'POST', '/commits', {
      branch: 'wide-diff',
      files: { 'backend/alembic/versions/005_drop_legacy.py': "def upgrade():\n    op.drop_table('legacy_shifts')\n" },
    })) as { sha: string };
    const deployed = await activities.findDeployedVersion('production');
    const compare = await sandboxOctokit(sandbox).rest.repos.compareCommitsWithBasehead({
      ...SANDBOX_REPO,
      basehead: `${deployed.current?.sha}...${sha}`,
    });
    assert.equal(compare.data.files?.length, 300);
    assert.ok(!compare.data.files?.some((file) => file.filename.includes('005_drop_legacy')));

    const outcome = await activities.checkMigrationsSafe({ environment: 'production', sha, deployed });
    assert.equal(outcome.check.status, 'failed');
    assert.match(outcome.blockers.join(), /005_drop_legacy\.py:2 drops a table/);
    assert.ok((outcome.check.details.changed as string[]).includes('backend/alembic/versions/005_drop_legacy.py'));
  });

  it('walks down to the migrations folder when GitHub cuts the recursive tree listing short', async () => {
    const deployed = await activities.findDeployedVersion('staging');
    const sha = await shaOf('main');
    // Room for the migrations folder's 4 files, not for the whole tree's 15 entries.
    await steer(sandbox, 'PUT', '/git/tree-limit', { entries: 6 });
    await steer(sandbox, 'DELETE', '/requests');
    const outcome = await activities.checkMigrationsSafe({ environment: 'staging', sha, deployed });
    assert.equal(outcome.check.status, 'passed', outcome.check.message);
    assert.match(outcome.check.message, /3 migration\(s\) since v1\.0\.0/);
    const walked = (await githubRequests(sandbox)).filter(
      (request) => request.path.includes('/git/trees/') && !('recursive' in request.query),
    );
    assert.equal(walked.length, 2 * 3, 'one listing per segment of backend/alembic/versions, at both commits');
  });

  it('warns on staging and blocks production for a destructive migration', async () => {
    const { sha } = (await steer(sandbox, 'POST', '/commits', {
      branch: 'drop-legacy',
      files: { 'backend/alembic/versions/005_drop_legacy.py': "def upgrade():\n    op.drop_table('legacy_shifts')\n" },
    })) as { sha: string };
    const staging = await activities.checkMigrationsSafe({
      environment: 'staging',
      sha,
      deployed: await activities.findDeployedVersion('staging'),
    });
    assert.equal(staging.check.status, 'warning');
    assert.deepEqual(staging.blockers, []);
    assert.match(staging.warnings.join(), /005_drop_legacy\.py:2 drops a table/);
    const production = await activities.checkMigrationsSafe({
      environment: 'production',
      sha,
      deployed: await activities.findDeployedVersion('production'),
    });
    assert.equal(production.check.status, 'failed');
    assert.match(production.blockers.join(), /005_drop_legacy\.py:2 drops a table/);
  });
});

describe('environment configuration', () => {
  it('passes with the required secrets and blocks when one is missing or the environment is gone', async () => {
    assert.equal((await activities.checkEnvironmentConfig('production')).check.status, 'passed');
    await steer(sandbox, 'PUT', '/environments/production', { secrets: ['DATABASE_URL'], variables: {} });
    const missing = await activities.checkEnvironmentConfig('production');
    assert.match(missing.blockers.join(), /missing secret REDIS_URL, secret SECRET_KEY/);
    await steer(sandbox, 'DELETE', '/environments/production');
    const gone = await activities.checkEnvironmentConfig('production');
    assert.match(gone.blockers.join(), /GitHub environment 'production' does not exist/);
  });
});

describe('security sources', () => {
  it('maps Dependabot alerts to the contract shape', async () => {
    const report = await activities.readDependabotAlerts();
    assert.equal(report.status, 'scanned');
    assert.ok(report.vulnerabilities.length >= 1);
    const [first] = report.vulnerabilities;
    assert.match(first?.id ?? '', /^GHSA-/);
    assert.ok(first && first.cvss_score > 0 && first.references.length > 0 && first.affected_versions.length > 0);
  });

  it('reports a source GitHub refuses as unavailable, with a warning, not as clean', async () => {
    await steer(sandbox, 'POST', '/features', { dependabot_alerts: false, secret_scanning: false });
    const dependabot = await activities.readDependabotAlerts();
    assert.equal(dependabot.status, 'unavailable');
    assert.match(dependabot.warnings.join(), /Dependabot alerts unavailable \(GitHub 403/);
    assert.equal((await activities.readSecretScanningAlerts()).status, 'unavailable');
  });

  it('never returns the value of a secret-scanning alert', async () => {
    const leaked = `ghp_${'Zx9Yw8Vu7T'.repeat(4)}`;
    await steer(sandbox, 'POST', '/alerts/secret-scanning', {
      secret_type: 'github_personal_access_token',
      secret: leaked,
    });
    const report = await activities.readSecretScanningAlerts();
    assert.equal(report.vulnerabilities[0]?.severity, 'critical');
    assert.ok(!JSON.stringify(report).includes(leaked));
  });

  it("finds a key committed in the ref's files, without quoting it", async () => {
    const key = ['AKIA', 'Z7QWERTY5UIOPASD'].join('');
    const { sha } = (await steer(sandbox, 'POST', '/commits', {
      branch: 'leaky',
      files: { 'backend/app/settings.py': `AWS_ACCESS_KEY_ID = "${key}"\n` },
    })) as { sha: string };
    const report = await activities.scanFilesForSecrets(sha);
    assert.equal(report.status, 'scanned');
    const [finding] = report.vulnerabilities;
    assert.equal(finding?.severity, 'critical');
    assert.equal(finding?.package, 'backend/app/settings.py:1');
    assert.ok(!JSON.stringify(report).includes(key));
    assert.deepEqual((await activities.scanFilesForSecrets(await shaOf('main'))).vulnerabilities, []);
  });

  it('reads every file of a 2,000-file ref from one tarball request and finds a key in the last one', async () => {
    const key = ['AKIA', 'Q2WSX3EDC4RFV5TG'].join('');
    await steer(sandbox, 'POST', '/large-repository', { branch: 'big', files: 2000, folder: 'backend/app/generated' });
    const { sha } = (await steer(sandbox, 'POST', '/commits', {
      branch: 'big',
      files: { 'zz/last.py': `KEY = "${key}"\n` },
    })) as { sha: string };
    await steer(sandbox, 'DELETE', '/requests');
    const report = await activities.scanFilesForSecrets(sha);
    assert.deepEqual(
      (await githubRequests(sandbox)).map((request) => `${request.method} ${request.path}`),
      [`GET /repos/sandbox-org/scheduler/tarball/${sha}`],
    );
    assert.equal(report.status, 'scanned');
    assert.match(report.message, /2009 file\(s\) read/);
    assert.deepEqual(
      report.vulnerabilities.map((finding) => finding.package),
      ['zz/last.py:1'],
    );
    assert.deepEqual(report.warnings, []);
    assert.ok(!JSON.stringify(report).includes(key));
  });

  it('names every file it does not read in a warning, and counts binary and allowlisted ones', async () => {
    const big = `# ${'x'.repeat(1024 * 1024)}\n`;
    const { sha } = (await steer(sandbox, 'POST', '/commits', {
      branch: 'odd-files',
      files: { 'assets/huge.sql': big, 'assets/logo.bin': 'PNG\u0000\u0001', 'docs/example.env': 'x' },
    })) as { sha: string };
    const allowingDocs = sandboxActivities(sandbox, { SECRET_SCAN_ALLOWLIST: 'docs' });
    const result = await allowingDocs.scanFilesForSecrets(sha);
    assert.deepEqual(result.warnings, ['Secret scan did not read 1 file(s) over 1 MiB: assets/huge.sql']);
    assert.match(result.message, /file\(s\) read \(1 binary, 1 allowlisted \(SECRET_SCAN_ALLOWLIST\) not read\)/);
  });
});

describe('readCommitTimes', () => {
  it('gives each commit ahead of the base by its committer time, and leaves out a comparison over maxCommits after one request', async () => {
    const base = await shaOf('main');
    const dates = ['2026-10-01T10:00:00Z', '2026-10-02T11:00:00Z', '2026-10-03T12:00:00Z'];
    let head = base;
    for (const [index, date] of dates.entries()) {
      ({ sha: head } = (await steer(sandbox, 'POST', '/commits', {
        branch: 'main',
        files: { [`backend/app/change_${index}.py`]: `# ${index}\n` },
        date,
      })) as { sha: string });
    }
    const comparison = `${base}...${head}`;
    const all = await activities.readCommitTimes({ comparisons: [comparison] });
    assert.deepEqual(all, { times: { [comparison]: dates }, requests: 1 });
    assert.deepEqual(await activities.readCommitTimes({ comparisons: [comparison], maxCommits: 3 }), all);

    await steer(sandbox, 'DELETE', '/requests');
    const tooMany = await activities.readCommitTimes({ comparisons: [comparison], maxCommits: 2 });
    assert.deepEqual(tooMany, { times: {}, requests: 1 });
    assert.equal((await githubRequests(sandbox)).length, 1);
  });
});
