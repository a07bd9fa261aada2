import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { checkRunState, commitStatusState } from '../../domain/ci-results.js';
import { destructiveMigrationPolicy, findDestructiveStatements } from '../../domain/migration-policy.js';
import { findSecrets, isAllowlisted } from '../../domain/secret-rules.js';
import { scanBlockers, summarizeSeverities, type Vulnerability } from '../../domain/security.js';
import { judgeHealthResponse } from '../../domain/smoke-tests.js';
import { combineOutcomes, skippedCheck } from '../../domain/validation.js';

const finding = (severity: Vulnerability['severity']): Vulnerability => ({
  id: 'x',
  title: 'x',
  severity,
  package: 'p',
  affected_versions: '',
  fixed_version: '',
  description: '',
  cvss_score: 0,
  references: [],
});

describe('security policy', () => {
  it('counts all five severities', () => {
    const summary = summarizeSeverities(
      ['critical', 'high', 'high', 'info'].map((s) => finding(s as Vulnerability['severity'])),
    );
    assert.deepEqual(summary, { critical: 1, high: 2, medium: 0, low: 0, info: 1 });
  });

  it('blocks on any critical and on more than 3 high, by default', () => {
    const thresholds = { maxCritical: 0, maxHigh: 3 };
    assert.deepEqual(scanBlockers({ critical: 0, high: 3, medium: 9, low: 9, info: 9 }, thresholds), []);
    assert.deepEqual(scanBlockers({ critical: 1, high: 4, medium: 0, low: 0, info: 0 }, thresholds), [
      '1 critical vulnerability found (at most 0 allowed)',
      '4 high vulnerabilities found (at most 3 allowed)',
    ]);
  });

  it('honours configured thresholds', () => {
    assert.deepEqual(
      scanBlockers({ critical: 1, high: 0, medium: 0, low: 0, info: 0 }, { maxCritical: 1, maxHigh: 0 }),
      [],
    );
  });
});

describe('secret rules', () => {
  const awsKey = ['AKIA', 'Q3EGRTXJ5B7LD2WN'].join('');
  const githubToken = `ghp_${'a1B2c3D4e5'.repeat(4)}`;

  it('finds credentials with their line, and skips documentation placeholders', () => {
    const text = `ok\naws_key = "${awsKey}"\nexample = "AKIAIOSFODNN7EXAMPLE"\ntoken: ${githubToken}\n`;
    const found = findSecrets('config.py', text).map((f) => [f.rule.id, f.line]);
    assert.deepEqual(found, [
      ['aws-access-key-id', 2],
      ['github-token', 4],
    ]);
  });

  it('finds private keys and passwords in URLs, not placeholder passwords', () => {
    const text =
      '-----BEGIN RSA PRIVATE KEY-----\npostgres://app:s3cr3tPassw0rd@db/app\npostgres://app:changeme@db/app';
    assert.deepEqual(
      findSecrets('x', text).map((f) => f.rule.id),
      ['private-key', 'password-in-url'],
    );
  });

  it('allowlists by path prefix', () => {
    assert.equal(isAllowlisted('tests/fixtures/key.pem', ['tests/fixtures']), true);
    assert.equal(isAllowlisted('tests/fixtures2/key.pem', ['tests/fixtures']), false);
    assert.equal(isAllowlisted('docs/example.env', ['docs/example.env']), true);
  });
});

describe('migration policy', () => {
  it('finds destructive statements, ignoring comments', () => {
    const text = [
      "op.create_table('a')",
      "# op.drop_table('old')",
      "op.drop_column('users', 'email')",
      'op.execute("DROP TABLE sessions")',
      "op.alter_column('t', 'a', new_column_name='b')",
      'op.execute("TRUNCATE audit")',
    ].join('\n');
    assert.deepEqual(
      findDestructiveStatements('m.py', text).map((s) => [s.line, s.what]),
      [
        [3, 'drops a column'],
        [4, 'drops a table, column, schema or database'],
        [5, 'renames a column'],
        [6, 'truncates a table'],
      ],
    );
  });

  it('does not read an Alembic downgrade(), which undoes upgrade() by design', () => {
    const text =
      "def upgrade():\n    op.add_column('t', sa.Column('c'))\n\n\ndef downgrade():\n    op.drop_column('t', 'c')\n";
    assert.deepEqual(findDestructiveStatements('m.py', text), []);
    const dropsOnUpgrade = "def downgrade():\n    pass\n\ndef upgrade():\n    op.drop_table('t')\n";
    assert.deepEqual(
      findDestructiveStatements('m.py', dropsOnUpgrade).map((s) => s.line),
      [5],
    );
  });

  it('warns on staging and blocks production unless configured', () => {
    assert.equal(destructiveMigrationPolicy('staging', undefined), 'warn');
    assert.equal(destructiveMigrationPolicy('production', undefined), 'block');
    assert.equal(destructiveMigrationPolicy('production', 'warn'), 'warn');
  });
});

describe('health responses', () => {
  it('accepts 2xx JSON that says healthy or says nothing', () => {
    assert.equal(judgeHealthResponse(200, '{"status":"healthy"}').healthy, true);
    assert.equal(judgeHealthResponse(204, '{}').healthy, true);
  });
  it('rejects errors, garbage and unhealthy statuses with the reason', () => {
    assert.deepEqual(judgeHealthResponse(503, '{"status":"unhealthy"}'), {
      healthy: false,
      reason: 'answered HTTP 503',
    });
    assert.match(judgeHealthResponse(200, '<html>').reason, /not JSON/);
    assert.match(judgeHealthResponse(200, '{"status":"degraded"}').reason, /"degraded"/);
    assert.match(judgeHealthResponse(200, '"ok"').reason, /not an object/);
  });
});

describe('CI results', () => {
  it('reads check runs and statuses', () => {
    assert.equal(checkRunState('completed', 'success'), 'success');
    assert.equal(checkRunState('completed', 'skipped'), 'success');
    assert.equal(checkRunState('completed', 'timed_out'), 'failure');
    assert.equal(checkRunState('in_progress', null), 'pending');
    assert.equal(commitStatusState('error'), 'failure');
    assert.equal(commitStatusState('pending'), 'pending');
  });
});

describe('validation verdict', () => {
  it('is valid when nothing blocks, and keeps warnings', () => {
    const skipped = skippedCheck('tests_passed', 'Skipped', 'skipped - not recommended');
    assert.deepEqual(combineOutcomes([skipped]).valid, true);
    assert.deepEqual(combineOutcomes([skipped]).warnings, ['skipped - not recommended']);
    const blocked = { ...skipped, blockers: ['no'] };
    assert.equal(combineOutcomes([skipped, blocked]).valid, false);
  });
});
