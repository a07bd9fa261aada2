// The audit log on a real file: one JSON line per entry chained to the one before, a retried step's line written
// once, one unbroken chain from several real writer processes at once (and after one was killed holding the lock),
// the verify command's verdicts, and a clear refusal with the fix when the path cannot be written.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { once } from 'node:events';
import { appendFile, chmod, mkdir, readFile, utimes, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { auditLockPath, createAuditLog, ensureAuditLogWritable } from '../../activities/audit/audit-log.js';
import { LockTimeoutError } from '../../activities/audit/file-lock.js';
import { type ChainResult, chainVerifier, GENESIS_HASH, lineHash, logLines } from '../../domain/audit-chain.js';
import { ConfigError } from '../../domain/config.js';
import { testAuditLogPath } from '../helpers/sandbox-worker.js';

const WRITER = fileURLToPath(new URL('../fixtures/audit-writer.js', import.meta.url));
const VERIFY = fileURLToPath(new URL('../../scripts/verify-audit-log.js', import.meta.url));

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

async function verifyFile(path: string): Promise<ChainResult> {
  const verifier = chainVerifier();
  for (const line of logLines(await readFile(path))) verifier.add(line);
  return verifier.result();
}

interface Finished {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** Runs a node script to its end, with a bound so a stuck one fails the test instead of hanging it. */
async function run(script: string, args: string[], env: NodeJS.ProcessEnv = process.env): Promise<Finished> {
  const child = spawn(process.execPath, [script, ...args], { env, timeout: 60_000 });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => {
    stdout += chunk;
  });
  child.stderr.on('data', (chunk: Buffer) => {
    stderr += chunk;
  });
  const [code, signal] = (await once(child, 'close')) as [number | null, NodeJS.Signals | null];
  return { code, signal, stdout, stderr };
}

describe('audit log', () => {
  it("writes one JSON line per entry with the contract's fields, creating its folder", async () => {
    const path = join(dirname(testAuditLogPath()), `folder-${randomUUID()}`, 'deployments.log');
    await ensureAuditLogWritable(path);
    const log = createAuditLog(path);
    await log.append(entry('promote_to_production'));
    assert.deepEqual(await lines(path), [{ ...entry('promote_to_production'), prev_hash: GENESIS_HASH }]);
  });

  it('chains every line to the one before, keyed or not', async () => {
    const path = testAuditLogPath();
    const log = createAuditLog(path);
    for (let index = 0; index < 20; index++)
      await log.append(entry(`op-${index}`), index % 2 ? `step-${index}` : undefined);
    const text = await readFile(path, 'utf8');
    const raw = text.trimEnd().split('\n');
    assert.equal(JSON.parse(raw[5]!).prev_hash, lineHash(Buffer.from(raw[4]!)));
    assert.deepEqual(await verifyFile(path), {
      ok: true,
      lines: 20,
      legacyLines: 0,
      tornLines: [],
      lastHash: lineHash(Buffer.from(raw[19]!)),
      missingAnchors: [],
    });
  });

  it('continues the chain from a log written before it, and over a torn line a killed writer left', async () => {
    const path = testAuditLogPath();
    await ensureAuditLogWritable(path);
    await writeFile(path, `${JSON.stringify(entry('legacy'))}\n{"timestamp":"2026-11-24T10:31:00.000Z","opera`);
    await createAuditLog(path).append(entry('after-the-crash'));
    const raw = (await readFile(path, 'utf8')).trimEnd().split('\n');
    assert.equal(raw.length, 3, 'the torn line is closed, not glued to the next one');
    assert.equal(
      JSON.parse(raw[2]!).prev_hash,
      lineHash(Buffer.from('{"timestamp":"2026-11-24T10:31:00.000Z","opera')),
    );
    const result = await verifyFile(path);
    assert.deepEqual(result.ok && [result.legacyLines, result.tornLines], [1, [2]]);
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
    assert.equal((await verifyFile(path)).ok, true);
  });

  it('keeps one unbroken chain, every line whole and none lost, with three writer processes at once', async () => {
    const path = testAuditLogPath();
    await ensureAuditLogWritable(path);
    const writers = ['a', 'b', 'c'];
    const results = await Promise.all(writers.map((writer) => run(WRITER, ['append', path, '150', writer])));
    assert.deepEqual(
      results.map((result) => [result.code, result.stderr]),
      writers.map(() => [0, '']),
    );
    const written = await lines(path);
    assert.equal(written.length, 450);
    const expected = writers.flatMap((writer) => Array.from({ length: 150 }, (_, index) => `${writer}-${index}`));
    assert.deepEqual(written.map((line) => line.audit_id).sort(), expected.sort());
    const result = await verifyFile(path);
    assert.deepEqual(result.ok && [result.lines, result.legacyLines, result.tornLines], [450, 0, []]);
  });

  it('writes a step retried in two processes at once only once', async () => {
    const path = testAuditLogPath();
    await ensureAuditLogWritable(path);
    const results = await Promise.all([
      run(WRITER, ['append', path, '100', 'step']),
      run(WRITER, ['append', path, '100', 'step']),
    ]);
    assert.deepEqual(
      results.map((result) => result.code),
      [0, 0],
    );
    const written = await lines(path);
    assert.equal(written.length, 100);
    assert.equal(new Set(written.map((line) => line.audit_id)).size, 100);
    assert.equal((await verifyFile(path)).ok, true);
  });

  it('takes over the lock of a writer killed (SIGKILL) while holding it', { timeout: 60_000 }, async () => {
    const path = testAuditLogPath();
    await ensureAuditLogWritable(path);
    await createAuditLog(path).append(entry('before'));
    const holder = spawn(process.execPath, [WRITER, 'hold', path], { timeout: 60_000 });
    const [firstOutput] = (await once(holder.stdout, 'data')) as [Buffer];
    assert.equal(firstOutput.toString(), 'locked\n');
    holder.kill('SIGKILL');
    await once(holder, 'close');
    assert.match(
      await readFile(auditLockPath(path), 'utf8'),
      new RegExp(`"pid":${holder.pid}`),
      'the lock outlived its holder',
    );
    // A stale bound longer than the wait: only seeing that the holder's pid is dead lets this append through.
    await createAuditLog(path, { staleMs: 60_000, timeoutMs: 5_000 }).append(entry('after'));
    assert.deepEqual(
      (await lines(path)).map((line) => line.operation),
      ['before', 'after'],
    );
    assert.equal((await verifyFile(path)).ok, true);
  });

  it("takes over another host's lock once it is older than the stale bound, and waits for a fresh one", async () => {
    const path = testAuditLogPath();
    await ensureAuditLogWritable(path);
    const foreign = JSON.stringify({
      pid: 1,
      host: 'another-container',
      token: 't',
      acquired_at: '2026-11-24T10:00:00Z',
    });
    await writeFile(auditLockPath(path), foreign);
    await assert.rejects(
      createAuditLog(path, { staleMs: 60_000, timeoutMs: 200 }).append(entry('blocked')),
      LockTimeoutError,
    );
    assert.equal(await readFile(path, 'utf8'), '', 'nothing was written without the lock');
    const past = new Date(Date.now() - 120_000);
    await utimes(auditLockPath(path), past, past);
    await createAuditLog(path, { staleMs: 60_000, timeoutMs: 200 }).append(entry('after-takeover'));
    assert.deepEqual(
      (await lines(path)).map((line) => line.operation),
      ['after-takeover'],
    );
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

  describe('verify command', () => {
    async function chainedLog(count: number) {
      const path = testAuditLogPath();
      const log = createAuditLog(path);
      for (let index = 0; index < count; index++) await log.append(entry(`op-${index}`));
      return path;
    }

    it('says OK with the line count and the last hash, exit code 0', async () => {
      const path = await chainedLog(4);
      const raw = (await readFile(path, 'utf8')).trimEnd().split('\n');
      const result = await run(VERIFY, [path]);
      assert.equal(result.code, 0, result.stderr);
      assert.match(result.stdout, new RegExp(`^OK: ${path}: 4 lines, chain intact\n`));
      assert.match(result.stdout, new RegExp(`last line hash: ${lineHash(Buffer.from(raw[3]!))}`));
    });

    it('names the first bad line and why, exit code 1', async () => {
      const path = await chainedLog(4);
      const raw = (await readFile(path, 'utf8')).trimEnd().split('\n');
      raw[1] = raw[1]!.replace('"success":true', '"success":false');
      await writeFile(path, `${raw.join('\n')}\n`);
      const result = await run(VERIFY, [path]);
      assert.equal(result.code, 1);
      assert.match(result.stdout, /^TAMPERED: .*: line 3: prev_hash does not match line 2: line 2 was edited/);
    });

    it('finds a cut mid-line, and a cut of whole lines through an anchor, exit code 1', async () => {
      const path = await chainedLog(4);
      const raw = (await readFile(path, 'utf8')).trimEnd().split('\n');
      const anchor = lineHash(Buffer.from(raw[3]!));
      await writeFile(path, `${raw.slice(0, 3).join('\n')}\n${raw[3]!.slice(0, 20)}`);
      assert.match((await run(VERIFY, [path])).stdout, /^TAMPERED: .*: line 4: the last line is incomplete/);
      await writeFile(path, `${raw.slice(0, 3).join('\n')}\n`);
      assert.equal((await run(VERIFY, [path])).code, 0, 'without the anchor, a shorter chain is a valid chain');
      const anchored = await run(VERIFY, [path, '--anchor', anchor]);
      assert.equal(anchored.code, 1);
      assert.match(
        anchored.stdout,
        new RegExp(`no line has the anchored hash ${anchor}: the log was cut before that line`),
      );
      await appendFile(path, `${raw[3]}\n`);
      assert.equal((await run(VERIFY, [path, '--anchor', anchor])).code, 0);
    });

    it('reads DEPLOYMENT_AUDIT_LOG without a path; an unreadable file or a bad argument is exit code 2', async () => {
      const path = await chainedLog(1);
      const fromEnv = await run(VERIFY, [], { ...process.env, DEPLOYMENT_AUDIT_LOG: path });
      assert.equal(fromEnv.code, 0);
      assert.match(fromEnv.stdout, new RegExp(`^OK: ${path}: 1 line, chain intact`));
      const missing = await run(VERIFY, [join(dirname(path), 'no-such.log')]);
      assert.deepEqual(
        [missing.code, missing.stderr],
        [2, `Cannot read the audit log ${join(dirname(path), 'no-such.log')}: ENOENT\n`],
      );
      const badAnchor = await run(VERIFY, [path, '--anchor', 'abc']);
      assert.equal(badAnchor.code, 2);
      assert.match(badAnchor.stderr, /--anchor must be a line hash as printed by an earlier run/);
      assert.equal((await run(VERIFY, [path, '--bogus'])).code, 2);
    });
  });
});
