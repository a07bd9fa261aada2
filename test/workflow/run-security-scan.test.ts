// runSecurityScan on the real time-skipping test server, with real activities against the sandbox GitHub.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, beforeEach, describe, it } from 'node:test';
import type { SecurityScanInput } from '../../domain/security.js';
import type { runSecurityScan } from '../../workflows/run-security-scan.js';
import { decryptedHistoryText, storedHistoryText } from '../helpers/history-text.js';
import { githubRequests, steer } from '../helpers/sandbox-control.js';
import { startTimeSkippingEnv } from '../helpers/temporal-env.js';
import { type Harness, startHarness } from '../helpers/workflow-harness.js';

let harness: Harness;
before(async () => {
  harness = await startHarness(startTimeSkippingEnv);
});
after(() => harness.close());
beforeEach(() => steer(harness.sandbox, 'POST', '/reset'));

function scan(input: Partial<SecurityScanInput>, workflowId?: string) {
  return harness.execute<typeof runSecurityScan>(
    'runSecurityScan',
    [{ git_ref: 'main', scan_dependencies: true, scan_code: true, scan_secrets: true, dry_run: false, ...input }],
    workflowId,
  );
}

describe('runSecurityScan', () => {
  it('passes main with all five severity counts and every source scanned', async () => {
    const result = await scan({});
    assert.equal(result.passed, true, result.blockers.join('; '));
    assert.deepEqual(Object.keys(result.severity_summary), ['critical', 'high', 'medium', 'low', 'info']);
    assert.equal(
      result.vulnerabilities.length,
      Object.values(result.severity_summary).reduce((a, b) => a + b, 0),
    );
    assert.deepEqual(
      result.sources.map((source) => [source.source, source.status]),
      [
        ['dependabot_alerts', 'scanned'],
        ['code_scanning_alerts', 'scanned'],
        ['secret_scanning_alerts', 'scanned'],
        ['secret_scan', 'scanned'],
      ],
    );
  });

  it('blocks on more than three high findings, and lists them most severe first', async () => {
    for (let index = 0; index < 4; index++) {
      await steer(harness.sandbox, 'POST', '/alerts/dependabot', { severity: 'high', package: `lib${index}` });
    }
    const result = await scan({});
    assert.equal(result.passed, false);
    assert.deepEqual(result.blockers, ['4 high vulnerabilities found (at most 3 allowed)']);
    assert.equal(result.vulnerabilities[0]?.severity, 'high');
  });

  it('honours configured thresholds', async () => {
    await harness.reconfigure({ SECURITY_MAX_HIGH: '0' });
    try {
      await steer(harness.sandbox, 'POST', '/alerts/code-scanning', { severity: 'high' });
      const result = await scan({});
      assert.deepEqual(result.blockers, ['1 high vulnerability found (at most 0 allowed)']);
    } finally {
      await harness.reconfigure({});
    }
  });

  it('says a disabled source is unavailable rather than clean', async () => {
    await steer(harness.sandbox, 'POST', '/features', { code_scanning: false });
    const result = await scan({});
    const codeScanning = result.sources.find((source) => source.source === 'code_scanning_alerts');
    assert.equal(codeScanning?.status, 'unavailable');
    assert.match(result.warnings.join('\n'), /Code scanning alerts unavailable \(GitHub 404: no analysis found/);
  });

  it('skips sources by flag, with warnings, and makes no call for them', async () => {
    await steer(harness.sandbox, 'DELETE', '/requests');
    const result = await scan({ scan_dependencies: false, scan_secrets: false });
    assert.deepEqual(
      result.sources.map((source) => source.status),
      ['skipped', 'scanned', 'skipped', 'skipped'],
    );
    assert.equal(result.warnings.length, 3);
    const paths = (await githubRequests(harness.sandbox)).map((request) => request.path);
    assert.ok(!paths.some((path) => /dependabot|secret-scanning|\/tarball\//.test(path)), paths.join('\n'));
  });

  it('scans a 2,000-file ref in at most 10 GitHub requests and finds a key planted in its last file', async () => {
    const key = ['AKIA', 'P0OIUYTREWQLKJHG'].join('');
    await steer(harness.sandbox, 'POST', '/large-repository', { branch: 'big-repo', files: 2000 });
    await steer(harness.sandbox, 'POST', '/commits', {
      branch: 'big-repo',
      files: { 'zz/last.py': `KEY = "${key}"\n` },
    });
    await steer(harness.sandbox, 'DELETE', '/requests');
    const result = await scan({ git_ref: 'big-repo' });
    const requests = await githubRequests(harness.sandbox);
    assert.ok(requests.length <= 10, `${requests.length} requests:\n${requests.map((r) => r.path).join('\n')}`);
    assert.deepEqual(
      result.vulnerabilities.filter((found) => found.id.startsWith('secret-scan:')).map((found) => found.package),
      ['zz/last.py:1'],
    );
    const ownScan = result.sources.find((source) => source.source === 'secret_scan');
    assert.match(ownScan?.message ?? '', /2009 file\(s\) read/);
    assert.equal(result.passed, false);
  });

  it('keeps a leaked key and the GitHub token out of the result and out of the workflow history', async () => {
    const key = ['AKIA', 'M4NBVCXZ8LKJHGFD'].join('');
    await steer(harness.sandbox, 'POST', '/commits', {
      branch: 'leak',
      files: { 'deploy/env.sh': `export AWS_ACCESS_KEY_ID=${key}\n` },
    });
    const workflowId = `scan-${randomUUID()}`;
    const result = await scan({ git_ref: 'leak' }, workflowId);
    assert.equal(result.passed, false);
    assert.equal(result.severity_summary.critical, 1);
    assert.ok(!JSON.stringify(result).includes(key));
    const stored = await harness.env.client.workflow.getHandle(workflowId).fetchHistory();
    // Decrypted, as an operator sees it through the codec: the finding is there, the key and the token are not.
    const history = await decryptedHistoryText(stored);
    assert.ok(history.includes('secret-scan:aws-access-key-id:deploy/env.sh:1'), 'the history does hold the finding');
    assert.ok(!history.includes(key));
    assert.ok(!history.includes(harness.sandbox.token));
    assert.ok(!storedHistoryText(stored).includes('secret-scan:aws-access-key-id'), 'stored encrypted');
  });

  it('is not passed when a source keeps failing, and says which', async () => {
    await harness.reconfigure({ GITHUB_TOKEN: 'revoked-token' });
    try {
      const result = await scan({}, undefined);
      assert.equal(result.passed, false);
      assert.match(result.blockers.join('\n'), /does not resolve|401 Bad credentials/);
    } finally {
      await harness.reconfigure({});
    }
  });
});
