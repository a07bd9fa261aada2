import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { after, before, beforeEach, describe, test } from 'node:test';
import { gunzipSync } from 'node:zlib';
import type { Octokit } from '@octokit/rest';
import { extract } from 'tar-stream';
import { type Sandbox, startSandbox } from '../../sandbox/start-sandbox.js';
import { SANDBOX_REPO, sandboxOctokit, steer as steerSandbox } from '../helpers/sandbox-control.js';

const repo = SANDBOX_REPO;
let sandbox: Sandbox;
let octokit: Octokit;

before(async () => {
  sandbox = await startSandbox();
  octokit = sandboxOctokit(sandbox);
});
after(() => sandbox.close());
beforeEach(() => sandbox.state.reset());

const steer = (method: string, path: string, body?: unknown) => steerSandbox(sandbox, method, path, body);

/** Asserts the call fails the way GitHub would: that status, and a message containing `message`. */
async function rejectsWith(call: Promise<unknown>, status: number, message: string): Promise<void> {
  await assert.rejects(call, (error: unknown) => {
    assert.ok(error instanceof Error);
    assert.equal((error as Error & { status?: number }).status, status);
    assert.match(error.message, new RegExp(message.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')));
    return true;
  });
}

function decode(base64: string): string {
  return Buffer.from(base64, 'base64').toString('utf8');
}

async function shaOf(ref: string): Promise<string> {
  return (await octokit.rest.repos.getCommit({ ...repo, ref })).data.sha;
}

describe('repository and refs', () => {
  test('serves the repository with main as default branch and rate-limit headers that count down', async () => {
    const first = await octokit.rest.repos.get(repo);
    const second = await octokit.rest.repos.get(repo);
    assert.equal(first.data.full_name, 'sandbox-org/scheduler');
    assert.equal(first.data.default_branch, 'main');
    assert.equal(first.headers['x-ratelimit-limit'], '5000');
    assert.equal(first.headers['x-ratelimit-resource'], 'core');
    assert.equal(Number(first.headers['x-ratelimit-remaining']) - 1, Number(second.headers['x-ratelimit-remaining']));
    assert.ok(Number(first.headers['x-ratelimit-reset']) > Date.now() / 1000);
  });

  test('resolves branches, tags, full and abbreviated SHAs to the same commits', async () => {
    const head = await shaOf('main');
    assert.match(head, /^[0-9a-f]{40}$/);
    assert.equal(await shaOf(head), head);
    assert.equal(await shaOf(head.slice(0, 7)), head);
    assert.equal(await shaOf('refs/heads/main'), head);
    const v1 = await shaOf('v1.0.0');
    assert.notEqual(v1, head);
    const mainCommit = await octokit.rest.repos.getCommit({ ...repo, ref: 'main' });
    assert.equal(mainCommit.data.parents.length, 1);
    assert.equal((await octokit.rest.repos.getCommit({ ...repo, ref: 'v1.0.0' })).data.parents.length, 0);
    await rejectsWith(
      octokit.rest.repos.getCommit({ ...repo, ref: 'no-such-branch' }),
      422,
      'No commit found for SHA: no-such-branch',
    );
  });

  test('the seed SHAs are deterministic across resets', async () => {
    const before = await shaOf('main');
    sandbox.state.reset();
    assert.equal(await shaOf('main'), before);
  });

  test('git refs answer only for qualified names, as on GitHub', async () => {
    const branch = await octokit.rest.git.getRef({ ...repo, ref: 'heads/main' });
    assert.equal(branch.data.ref, 'refs/heads/main');
    assert.equal(branch.data.object.sha, await shaOf('main'));
    const tag = await octokit.rest.git.getRef({ ...repo, ref: 'tags/v1.0.0' });
    assert.equal(tag.data.object.sha, await shaOf('v1.0.0'));
    await rejectsWith(octokit.rest.git.getRef({ ...repo, ref: 'heads/v1.0.0' }), 404, 'Not Found');
    await rejectsWith(octokit.rest.git.getRef({ ...repo, ref: await shaOf('main') }), 404, 'Not Found');
    const matching = await octokit.rest.git.listMatchingRefs({ ...repo, ref: 'tags/v1.' });
    assert.deepEqual(
      matching.data.map((ref) => ref.ref),
      ['refs/tags/v1.0.0', 'refs/tags/v1.1.0', 'refs/tags/v1.2.0'],
    );
  });

  test('lists branches and tags, newest tag first, with Link pagination', async () => {
    const branches = await octokit.rest.repos.listBranches(repo);
    assert.deepEqual(
      branches.data.map((branch) => [branch.name, branch.protected]),
      [['main', true]],
    );
    const firstPage = await octokit.rest.repos.listTags({ ...repo, per_page: 2 });
    assert.deepEqual(
      firstPage.data.map((tag) => tag.name),
      ['v1.2.0', 'v1.1.0'],
    );
    assert.match(firstPage.headers.link ?? '', /[?&]page=2>; rel="next", <[^>]*[?&]page=2>; rel="last"/);
    const all = await octokit.paginate(octokit.rest.repos.listTags, { ...repo, per_page: 1 });
    assert.deepEqual(
      all.map((tag) => tag.name),
      ['v1.2.0', 'v1.1.0', 'v1.0.0'],
    );
  });

  test('unknown repositories and paths are 404, bad or missing credentials 401', async () => {
    await rejectsWith(octokit.rest.repos.get({ owner: 'sandbox-org', repo: 'other' }), 404, 'Not Found');
    const intruder = sandboxOctokit(sandbox, 'wrong-token');
    await rejectsWith(intruder.rest.repos.get(repo), 401, 'Bad credentials');
    const anonymous = await fetch(`${sandbox.githubApiUrl}/repos/sandbox-org/scheduler`);
    assert.equal(anonymous.status, 401);
    assert.equal(anonymous.headers.get('x-ratelimit-limit'), '60');
    assert.deepEqual(await anonymous.json(), {
      message: 'Bad credentials',
      documentation_url: 'https://docs.github.com/rest',
      status: '401',
    });
    const bearer = await fetch(`${sandbox.githubApiUrl}/repos/sandbox-org/scheduler`, {
      headers: { authorization: `Bearer ${sandbox.token}` },
    });
    assert.equal(bearer.status, 200);
  });
});

describe('CI results', () => {
  test('every seeded commit has green check runs and a green combined status', async () => {
    for (const ref of ['v1.0.0', 'v1.1.0', 'v1.2.0', 'main']) {
      const { data } = await octokit.rest.checks.listForRef({ ...repo, ref });
      assert.equal(data.total_count, 2);
      assert.deepEqual(data.check_runs.map((run) => run.name).sort(), ['build-images', 'ci / test']);
      for (const run of data.check_runs) {
        assert.equal(run.status, 'completed');
        assert.equal(run.conclusion, 'success');
        assert.equal(run.app?.slug, 'github-actions');
      }
      const status = await octokit.rest.repos.getCombinedStatusForRef({ ...repo, ref });
      assert.equal(status.data.state, 'success');
      assert.deepEqual(
        status.data.statuses.map((item) => [item.context, item.state]),
        [['ci/lint', 'success']],
      );
    }
  });

  test('steering turns one check red, all checks pending, and statuses failing or pending', async () => {
    await steer('POST', '/checks', { ref: 'main', conclusion: 'failure', name: 'ci / test' });
    const failed = await octokit.rest.checks.listForRef({ ...repo, ref: 'main', check_name: 'ci / test' });
    assert.equal(failed.data.total_count, 1);
    assert.equal(failed.data.check_runs[0]?.conclusion, 'failure');
    const others = await octokit.rest.checks.listForRef({ ...repo, ref: 'main', check_name: 'build-images' });
    assert.equal(others.data.check_runs[0]?.conclusion, 'success');

    await steer('POST', '/checks', { ref: 'main', conclusion: 'pending' });
    const pending = await octokit.rest.checks.listForRef({ ...repo, ref: 'main', status: 'in_progress' });
    assert.equal(pending.data.total_count, 2);
    assert.ok(pending.data.check_runs.every((run) => run.conclusion === null && run.completed_at === null));

    await steer('POST', '/statuses', { ref: 'main', state: 'failure' });
    assert.equal((await octokit.rest.repos.getCombinedStatusForRef({ ...repo, ref: 'main' })).data.state, 'failure');
    await steer('POST', '/statuses', { ref: 'main', state: 'pending', context: 'ci/lint' });
    assert.equal((await octokit.rest.repos.getCombinedStatusForRef({ ...repo, ref: 'main' })).data.state, 'pending');
    // Other commits are untouched.
    assert.equal((await octokit.rest.repos.getCombinedStatusForRef({ ...repo, ref: 'v1.2.0' })).data.state, 'success');
  });

  test('unknown refs are unprocessable for check runs and statuses', async () => {
    await rejectsWith(octokit.rest.checks.listForRef({ ...repo, ref: 'nope' }), 422, 'No commit found for SHA: nope');
    await rejectsWith(octokit.rest.repos.getCombinedStatusForRef({ ...repo, ref: 'nope' }), 422, 'No commit found');
  });
});

describe('history and files', () => {
  test('compares v1.0.0 with main: three commits ahead, the later migrations added', async () => {
    const { data } = await octokit.rest.repos.compareCommitsWithBasehead({ ...repo, basehead: 'v1.0.0...main' });
    assert.equal(data.status, 'ahead');
    assert.equal(data.ahead_by, 3);
    assert.equal(data.behind_by, 0);
    assert.equal(data.commits.length, 3);
    assert.equal(data.commits.at(-1)?.sha, await shaOf('main'));
    const files = new Map((data.files ?? []).map((file) => [file.filename, file]));
    for (const migration of ['002_add_rotations', '003_add_assignment_index', '004_add_audit_columns']) {
      const file = files.get(`backend/alembic/versions/${migration}.py`);
      assert.equal(file?.status, 'added');
      assert.equal(file?.deletions, 0);
      assert.equal(file?.changes, file?.additions);
      assert.match(file?.patch ?? '', /^@@ -0,0 \+1,\d+ @@/);
    }
    assert.equal(files.get('backend/app/main.py')?.status, 'modified');
    assert.equal(files.has('backend/alembic/versions/001_initial_schema.py'), false);
    assert.match(
      files.get('backend/alembic/versions/004_add_audit_columns.py')?.contents_url ?? '',
      /\/contents\/backend\/alembic/,
    );

    const reverse = await octokit.rest.repos.compareCommits({ ...repo, base: 'main', head: 'v1.0.0' });
    assert.equal(reverse.data.status, 'behind');
    assert.equal(reverse.data.behind_by, 3);
    assert.deepEqual(reverse.data.files, []);
    await rejectsWith(
      octokit.rest.repos.compareCommitsWithBasehead({ ...repo, basehead: 'v1.0.0...nope' }),
      404,
      'Not Found',
    );
  });

  test('a steered commit creates a branch from main, deletes and adds files, and gets green CI', async () => {
    const { sha } = (await steer('POST', '/commits', {
      branch: 'feature/drop-legacy',
      message: 'Drop the legacy table',
      files: {
        'backend/alembic/versions/005_drop_legacy.py': 'def upgrade():\n    op.drop_table("legacy")\n',
        'README.md': null,
      },
    })) as { sha: string };
    const commit = await octokit.rest.repos.getCommit({ ...repo, ref: 'feature/drop-legacy' });
    assert.equal(commit.data.sha, sha);
    assert.equal(commit.data.commit.message, 'Drop the legacy table');
    assert.equal(commit.data.parents[0]?.sha, await shaOf('main'));
    assert.deepEqual(
      commit.data.files?.map((file) => [file.filename, file.status]),
      [
        ['README.md', 'removed'],
        ['backend/alembic/versions/005_drop_legacy.py', 'added'],
      ],
    );
    const firstFile = await octokit.rest.repos.getCommit({ ...repo, ref: sha, per_page: 1 });
    assert.equal(firstFile.data.files?.length, 1);
    assert.equal(
      firstFile.data.stats?.total,
      (commit.data.files ?? []).reduce((sum, file) => sum + file.changes, 0),
    );
    assert.match(firstFile.headers.link ?? '', /rel="next"/);
    await rejectsWith(octokit.rest.repos.getContent({ ...repo, path: 'README.md', ref: sha }), 404, 'Not Found');
    const checks = await octokit.rest.checks.listForRef({ ...repo, ref: sha });
    assert.ok(checks.data.check_runs.every((run) => run.conclusion === 'success'));

    const other = (await steer('POST', '/commits', { branch: 'other', files: { 'x.txt': 'x\n' } })) as { sha: string };
    const diverged = await octokit.rest.repos.compareCommitsWithBasehead({ ...repo, basehead: `other...${sha}` });
    assert.equal(diverged.data.status, 'diverged');
    assert.equal(diverged.data.ahead_by, 1);
    assert.equal(diverged.data.behind_by, 1);
    assert.equal(diverged.data.merge_base_commit.sha, await shaOf('main'));
    assert.notEqual(other.sha, sha);

    await steer('POST', '/tags', { tag: 'v2.0.0-rc1', ref: 'feature/drop-legacy' });
    assert.equal(await shaOf('v2.0.0-rc1'), sha);
  });

  test('contents, trees and blobs agree with each other and with git', async () => {
    const file = await octokit.rest.repos.getContent({ ...repo, path: 'backend/requirements.txt', ref: 'v1.0.0' });
    assert.ok(!Array.isArray(file.data) && file.data.type === 'file');
    const text = decode(file.data.content);
    assert.match(text, /^jinja2==3\.1\.3$/m);
    assert.equal(file.data.encoding, 'base64');
    assert.equal(file.data.size, Buffer.byteLength(text));
    assert.equal(
      file.data.sha,
      createHash('sha1')
        .update(`blob ${Buffer.byteLength(text)}\0${text}`)
        .digest('hex'),
    );

    const versionsAt = async (ref: string) => {
      const listing = await octokit.rest.repos.getContent({ ...repo, path: 'backend/alembic/versions', ref });
      assert.ok(Array.isArray(listing.data));
      return listing.data.map((entry) => entry.name);
    };
    assert.deepEqual(await versionsAt('v1.0.0'), ['001_initial_schema.py']);
    assert.equal((await versionsAt('main')).length, 4);
    const root = await octokit.rest.repos.getContent({ ...repo, path: '' });
    assert.ok(Array.isArray(root.data));
    assert.deepEqual(
      root.data.map((entry) => [entry.name, entry.type]),
      [
        ['.github', 'dir'],
        ['README.md', 'file'],
        ['backend', 'dir'],
      ],
    );
    await rejectsWith(octokit.rest.repos.getContent({ ...repo, path: 'nope.txt' }), 404, 'Not Found');
    await rejectsWith(
      octokit.rest.repos.getContent({ ...repo, path: 'README.md', ref: 'nope' }),
      404,
      'No commit found for the ref nope',
    );

    const tree = await octokit.rest.git.getTree({ ...repo, tree_sha: 'main', recursive: 'true' });
    assert.equal(tree.data.truncated, false);
    const workflow = tree.data.tree.find((entry) => entry.path === '.github/workflows/cd.yml');
    assert.equal(workflow?.type, 'blob');
    assert.ok(tree.data.tree.some((entry) => entry.path === '.github/workflows' && entry.type === 'tree'));
    const blob = await octokit.rest.git.getBlob({ ...repo, file_sha: workflow?.sha ?? '' });
    const workflowText = decode(blob.data.content);
    assert.match(workflowText, /workflow_dispatch:/);
    assert.match(workflowText, /skip_tests:/);
    assert.equal(blob.data.size, workflow?.size);
    const topLevel = await octokit.rest.git.getTree({ ...repo, tree_sha: tree.data.sha });
    assert.equal(topLevel.data.tree.length, 3);
    await rejectsWith(octokit.rest.git.getBlob({ ...repo, file_sha: '0'.repeat(40) }), 404, 'Not Found');

    const raw = await fetch(file.data.download_url ?? '', { headers: { authorization: `token ${sandbox.token}` } });
    assert.equal(await raw.text(), text);
  });
});

describe('repository archives', () => {
  /** The entries of a gzipped tar, path → content, read with tar-stream as any client would. */
  async function tarEntries(gzipped: Buffer): Promise<Map<string, string>> {
    const entries = new Map<string, string>();
    const reader = extract();
    reader.end(gunzipSync(gzipped));
    for await (const entry of reader) {
      const chunks: Buffer[] = [];
      for await (const chunk of entry) chunks.push(Buffer.from(chunk as Uint8Array));
      entries.set(entry.header.name, Buffer.concat(chunks).toString());
    }
    return entries;
  }

  test('answers GET /tarball/{ref} with a 302 to the download host, which serves a gzip tar under one top folder', async () => {
    const sha = await shaOf('v1.1.0');
    const redirect = await fetch(`${sandbox.githubApiUrl}/repos/sandbox-org/scheduler/tarball/v1.1.0`, {
      headers: { authorization: `token ${sandbox.token}` },
      redirect: 'manual',
    });
    assert.equal(redirect.status, 302);
    const location = redirect.headers.get('location') ?? '';
    assert.match(location, new RegExp(`/legacy\\.tar\\.gz/${sha}$`));

    // The download needs no token, as a codeload link does not, and is no API request.
    await steer('DELETE', '/requests');
    const download = await fetch(location);
    assert.equal(download.status, 200);
    assert.equal(download.headers.get('content-type'), 'application/x-gzip');
    assert.deepEqual(await steer('GET', '/requests'), []);
    const entries = await tarEntries(Buffer.from(await download.arrayBuffer()));
    const folder = `sandbox-org-scheduler-${sha.slice(0, 7)}/`;
    assert.ok(
      [...entries.keys()].every((name) => name.startsWith(folder)),
      [...entries.keys()].join('\n'),
    );
    const files = (await octokit.rest.git.getTree({ ...repo, tree_sha: sha, recursive: 'true' })).data.tree.filter(
      (entry) => entry.type === 'blob',
    );
    for (const file of files) {
      const blob = await octokit.rest.git.getBlob({ ...repo, file_sha: file.sha ?? '' });
      assert.equal(entries.get(`${folder}${file.path}`), decode(blob.data.content), file.path);
    }
    assert.ok(entries.has(`${folder}backend/alembic/versions/`), 'folders are entries too');
  });

  test('through Octokit: one API request, the default branch when no ref is given, 404 for an unknown ref', async () => {
    const folder = `sandbox-org-scheduler-${(await shaOf('main')).slice(0, 7)}/`;
    await steer('DELETE', '/requests');
    const archive = await octokit.rest.repos.downloadTarballArchive({ ...repo, ref: '' });
    assert.equal(((await steer('GET', '/requests')) as unknown[]).length, 1);
    const entries = await tarEntries(Buffer.from(archive.data as ArrayBuffer));
    assert.ok(entries.has(`${folder}backend/alembic/versions/004_add_audit_columns.py`));
    await rejectsWith(octokit.rest.repos.downloadTarballArchive({ ...repo, ref: 'no-such-ref' }), 404, 'Not Found');
  });

  test('cuts a recursive tree listing past its limit and says so, as GitHub does past 100,000 entries', async () => {
    await steer('PUT', '/git/tree-limit', { entries: 3 });
    const cut = await octokit.rest.git.getTree({ ...repo, tree_sha: 'main', recursive: 'true' });
    assert.equal(cut.data.truncated, true);
    assert.equal(cut.data.tree.length, 3);
    assert.equal((await octokit.rest.git.getTree({ ...repo, tree_sha: 'main' })).data.truncated, false);
  });

  test('seeds a large repository in one commit on a branch', async () => {
    const seeded = (await steer('POST', '/large-repository', { branch: 'big', files: 2000 })) as { files: number };
    assert.equal(seeded.files, 2008);
    const tree = await octokit.rest.git.getTree({ ...repo, tree_sha: 'big', recursive: 'true' });
    assert.ok(tree.data.tree.some((entry) => entry.path === 'backend/app/generated/module_1999.py'));
  });

  test('lists at most 300 changed files in a comparison, as GitHub does', async () => {
    await steer('POST', '/large-repository', { branch: 'big', files: 400 });
    const compare = await octokit.rest.repos.compareCommitsWithBasehead({ ...repo, basehead: 'main...big' });
    assert.equal(compare.data.files?.length, 300);
  });
});

describe('environments and deployments', () => {
  test('both environments hold the app secrets (names only) and APP_ENV', async () => {
    for (const environment_name of ['staging', 'production']) {
      const scope = { ...repo, environment_name };
      assert.equal((await octokit.rest.repos.getEnvironment(scope)).data.name, environment_name);
      const secrets = await octokit.paginate(octokit.rest.actions.listEnvironmentSecrets, scope);
      assert.deepEqual(
        secrets.map((secret) => secret.name),
        ['DATABASE_URL', 'REDIS_URL', 'SECRET_KEY'],
      );
      assert.ok(secrets.every((secret) => !('value' in secret)));
      const variables = await octokit.rest.actions.listEnvironmentVariables(scope);
      assert.deepEqual(
        variables.data.variables.map((variable) => [variable.name, variable.value]),
        [['APP_ENV', environment_name]],
      );
    }
    await rejectsWith(octokit.rest.repos.getEnvironment({ ...repo, environment_name: 'qa' }), 404, 'Not Found');
  });

  test('environments can be replaced and deleted through the control API', async () => {
    await steer('PUT', '/environments/production', { secrets: ['database_url'], variables: { APP_ENV: 'prod' } });
    const scope = { ...repo, environment_name: 'production' };
    const secrets = await octokit.rest.actions.listEnvironmentSecrets(scope);
    assert.deepEqual(
      secrets.data.secrets.map((secret) => secret.name),
      ['DATABASE_URL'],
    );
    await steer('DELETE', '/environments/production');
    await rejectsWith(octokit.rest.repos.getEnvironment(scope), 404, 'Not Found');
    await rejectsWith(octokit.rest.actions.listEnvironmentSecrets(scope), 404, 'Not Found');
  });

  test('each environment has one successful deployment of v1.0.0', async () => {
    const v1 = await shaOf('v1.0.0');
    for (const environment of ['staging', 'production']) {
      const { data } = await octokit.rest.repos.listDeployments({ ...repo, environment });
      assert.equal(data.length, 1);
      const [deployment] = data;
      assert.equal(deployment?.ref, 'v1.0.0');
      assert.equal(deployment?.sha, v1);
      assert.equal(deployment?.task, 'deploy');
      assert.equal(deployment?.creator?.login, 'github-actions[bot]');
      const statuses = await octokit.rest.repos.listDeploymentStatuses({
        ...repo,
        deployment_id: Number(deployment?.id),
      });
      assert.deepEqual(
        statuses.data.map((status) => status.state),
        ['success'],
      );
      assert.equal(
        statuses.data[0]?.environment_url,
        environment === 'staging' ? sandbox.stagingUrl : sandbox.productionUrl,
      );
    }
    assert.equal((await octokit.rest.repos.listDeployments({ ...repo, sha: v1 })).data.length, 2);
    assert.equal((await octokit.rest.repos.listDeployments({ ...repo, ref: 'main' })).data.length, 0);
    await rejectsWith(octokit.rest.repos.listDeploymentStatuses({ ...repo, deployment_id: 1 }), 404, 'Not Found');
  });
});

describe('security alerts', () => {
  test('the seed has one medium Dependabot alert, one code-scanning note on main, no secret alerts', async () => {
    const dependabot = await octokit.rest.dependabot.listAlertsForRepo({ ...repo, state: 'open' });
    assert.equal(dependabot.data.length, 1);
    const [alert] = dependabot.data;
    assert.equal(alert?.dependency.package?.name, 'jinja2');
    assert.equal(alert?.dependency.package?.ecosystem, 'pip');
    assert.equal(alert?.security_advisory.severity, 'medium');
    assert.match(alert?.security_advisory.ghsa_id ?? '', /^GHSA(-[2-9cfghjmpqrvwx]{4}){3}$/);
    assert.match(alert?.security_advisory.cve_id ?? '', /^CVE-\d{4}-\d+$/);
    assert.equal(alert?.security_vulnerability.first_patched_version?.identifier, '3.1.4');
    assert.ok((alert?.security_advisory.references.length ?? 0) > 0);
    assert.deepEqual(
      (await octokit.rest.dependabot.listAlertsForRepo({ ...repo, severity: 'high,critical' })).data,
      [],
    );

    const codeScanning = await octokit.rest.codeScanning.listAlertsForRepo(repo);
    assert.equal(codeScanning.data.length, 1);
    assert.equal(codeScanning.data[0]?.rule.severity, 'note');
    assert.equal(codeScanning.data[0]?.rule.security_severity_level, null);
    assert.equal(codeScanning.data[0]?.most_recent_instance.ref, 'refs/heads/main');
    assert.equal(codeScanning.data[0]?.tool.name, 'CodeQL');
    assert.equal(
      (await octokit.rest.codeScanning.listAlertsForRepo({ ...repo, ref: 'refs/heads/other' })).data.length,
      0,
    );

    assert.deepEqual((await octokit.rest.secretScanning.listAlertsForRepo(repo)).data, []);
  });

  test('alerts added through the control API come back in GitHub shape, newest first', async () => {
    const added = (await steer('POST', '/alerts/dependabot', { severity: 'critical', package: 'requests' })) as {
      number: number;
    };
    assert.equal(added.number, 2);
    const dependabot = await octokit.rest.dependabot.listAlertsForRepo({ ...repo, severity: 'critical' });
    assert.equal(dependabot.data[0]?.dependency.package?.name, 'requests');
    assert.equal(dependabot.data[0]?.security_advisory.cvss.score, 9.8);

    await steer('POST', '/alerts/code-scanning', { severity: 'high' });
    const codeScanning = await octokit.rest.codeScanning.listAlertsForRepo({ ...repo, ref: 'main', severity: 'high' });
    assert.equal(codeScanning.data.length, 1);
    assert.equal(codeScanning.data[0]?.rule.security_severity_level, 'high');
    assert.equal(codeScanning.data[0]?.rule.severity, 'error');
    assert.ok(codeScanning.data[0]?.rule.tags?.includes('security'));

    const { sha } = (await steer('POST', '/commits', {
      branch: 'leak',
      files: { 'backend/app/settings.py': 'DEBUG = False\nTOKEN = "placeholder-token-value"\n' },
    })) as { sha: string };
    await steer('POST', '/alerts/secret-scanning', { secret: 'placeholder-token-value', ref: 'leak' });
    const secrets = await octokit.rest.secretScanning.listAlertsForRepo({ ...repo, state: 'open' });
    assert.equal(secrets.data.length, 1);
    assert.equal(secrets.data[0]?.secret, 'placeholder-token-value');
    assert.equal(secrets.data[0]?.secret_type_display_name, 'GitHub Personal Access Token');
    assert.ok(secrets.data[0]?.locations_url?.endsWith('/secret-scanning/alerts/1/locations'));
    const location = secrets.data[0]?.first_location_detected;
    assert.ok(location && 'commit_sha' in location);
    assert.equal(location.commit_sha, sha);
    assert.equal(location.path, 'backend/app/settings.py');
    assert.equal(location.start_line, 2);

    const generated = (await steer('POST', '/alerts/secret-scanning', { secret_type: 'aws_access_key_id' })) as {
      secret: string;
    };
    assert.match(generated.secret, /^AKIA[A-Z2-7]{16}$/);

    await steer('DELETE', '/alerts');
    assert.deepEqual((await octokit.rest.dependabot.listAlertsForRepo(repo)).data, []);
    assert.deepEqual((await octokit.rest.secretScanning.listAlertsForRepo(repo)).data, []);
  });

  test('disabled features answer with the errors GitHub gives', async () => {
    assert.deepEqual(
      await steer('POST', '/features', { dependabot_alerts: false, code_scanning: false, secret_scanning: false }),
      {
        dependabot_alerts: false,
        code_scanning: false,
        secret_scanning: false,
      },
    );
    await rejectsWith(
      octokit.rest.dependabot.listAlertsForRepo(repo),
      403,
      'Dependabot alerts are disabled for this repository.',
    );
    await rejectsWith(octokit.rest.codeScanning.listAlertsForRepo(repo), 404, 'no analysis found');
    await rejectsWith(
      octokit.rest.secretScanning.listAlertsForRepo(repo),
      404,
      'Secret scanning is disabled on this repository.',
    );
    await steer('POST', '/features', { code_scanning: true });
    assert.equal((await octokit.rest.codeScanning.listAlertsForRepo(repo)).data.length, 1);
  });

  test('octokit.paginate walks every page of a long alert list', async () => {
    for (let index = 0; index < 44; index++)
      sandbox.state.addDependabotAlert({ severity: 'low', package: `lib${index}` });
    sandbox.state.clearRequests();
    const alerts = await octokit.paginate(octokit.rest.dependabot.listAlertsForRepo, { ...repo, per_page: 20 });
    assert.equal(alerts.length, 45);
    assert.equal(new Set(alerts.map((alert) => alert.number)).size, 45);
    assert.equal(alerts[0]?.number, 45);
    const pages = sandbox.state.requests().map((request) => request.query.page ?? '1');
    assert.deepEqual(pages, ['1', '2', '3']);
    const middle = await octokit.rest.dependabot.listAlertsForRepo({ ...repo, per_page: 20, page: 2 });
    for (const rel of ['prev', 'next', 'last', 'first'])
      assert.match(middle.headers.link ?? '', new RegExp(`rel="${rel}"`));
  });
});
