// The audit log on a real file: one JSON line per entry, a retried step's line written once, lines whole under
// concurrent writers, and a clear refusal with the fix when the path cannot be written.
import assert from 'node:assert/strict';
import { chmod, mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { describe, it } from 'node:test';
import { createAuditLog, ensureAuditLogWritable } from '../../activities/audit/audit-log.js';
import { ConfigError } from '../../domain/config.js';
import { testAuditLogPath } from '../helpers/sandbox-worker.js';

const entry = (operation: string) => ({
  timestamp: '2026-11-24T10:30:00.000Z',
  operation,
  user: 'token-hash-abc123',
  environment: 'production' as const,
  success: true,
  dry_run: false,
  details: { deployment_id: 'promotion-1' },
});

async function lines(path: string) {
  return (await readFile(path, 'utf8'))
    .trimEnd()
    .split('\n')
    .map((line) => JSON.parse(line));
}

describe('audit log', () => {
  it("writes one JSON line per entry with the contract's fields, creating its folder", async () => {
    const path = testAuditLogPath();
    await ensureAuditLogWritable(path);
    const log = createAuditLog(path);
    await log.append(entry('promote_to_production'));
    assert.deepEqual(await lines(path), [entry('promote_to_production')]);
  });

  it('writes a keyed line once, however often the step is retried', async () => {
    const path = testAuditLogPath();
    const log = createAuditLog(path);
    await log.append(entry('approve_deployment'), 'promotion-1/run/7');
    await log.append(entry('approve_deployment'), 'promotion-1/run/7');
    await createAuditLog(path).append(entry('approve_deployment'), 'promotion-1/run/7');
    await log.append(entry('deployment_finished'), 'promotion-1/run/8');
    assert.deepEqual(
      (await lines(path)).map((line) => [line.operation, line.audit_id]),
      [
        ['approve_deployment', 'promotion-1/run/7'],
        ['deployment_finished', 'promotion-1/run/8'],
      ],
    );
  });

  it('keeps every line whole when two writers append at once', async () => {
    const path = testAuditLogPath();
    const [first, second] = [createAuditLog(path), createAuditLog(path)];
    await Promise.all(
      Array.from({ length: 200 }, (_, index) => (index % 2 ? first : second).append(entry(`op-${index}`))),
    );
    const written = await lines(path);
    assert.equal(written.length, 200);
    assert.equal(new Set(written.map((line) => line.operation)).size, 200);
  });

  it('refuses a path it cannot write, naming the variable and the fix', async () => {
    const folder = join(dirname(testAuditLogPath()), 'read-only');
    await mkdir(folder, { recursive: true });
    const blocker = join(folder, 'not-a-folder');
    await writeFile(blocker, '');
    await chmod(blocker, 0o400);
    await assert.rejects(ensureAuditLogWritable(join(blocker, 'deployments.log')), (error: unknown) => {
      assert.ok(error instanceof ConfigError);
      assert.match(error.message, /DEPLOYMENT_AUDIT_LOG: the audit log .* cannot be written \((EEXIST|ENOTDIR)\)/);
      assert.match(error.message, /point DEPLOYMENT_AUDIT_LOG at a writable file/);
      return true;
    });
  });
});
