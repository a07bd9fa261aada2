// `npm run bench:audit`: what the audit log's lock and hash chain cost per append. Every append is durable (fdatasync),
// which dominates; the figure that matters is each variant's appends/s as a ratio of the baseline, measured in the same
// run on the same disk:
//   baseline      open, one write, fdatasync, close: the durability floor, no lock, no chain, no dedupe
//   chained       createAuditLog, keyed: lock file, tail read (dedupe + last line), write, fdatasync, unlock
//   N processes   N writer processes appending keyed lines to one log at once (total appends/s)
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, open, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createAuditLog } from '../activities/audit/audit-log.js';
import { chainVerifier, logLines } from '../domain/audit-chain.js';

const APPENDS = Number(process.env.BENCH_APPENDS ?? 400);
const WRITER = fileURLToPath(new URL('../test/fixtures/audit-writer.js', import.meta.url));
const entry = {
  timestamp: new Date().toISOString(),
  operation: 'validate_deployment',
  user: 'system',
  environment: 'staging' as const,
  success: true,
  dry_run: false,
  details: { deployment_id: 'validate-123', git_ref: 'main' },
};

async function timed(run: () => Promise<void>): Promise<number> {
  const startedAt = performance.now();
  await run();
  return performance.now() - startedAt;
}

async function baseline(path: string) {
  for (let index = 0; index < APPENDS; index++) {
    const file = await open(path, 'a', 0o640);
    await file.write(`${JSON.stringify({ ...entry, audit_id: `b-${index}` })}\n`);
    await file.datasync();
    await file.close();
  }
}

async function chained(path: string) {
  const log = createAuditLog(path);
  for (let index = 0; index < APPENDS; index++) await log.append(entry, `c-${index}`);
}

async function processes(path: string, count: number) {
  const per = Math.round(APPENDS / count);
  await Promise.all(
    Array.from({ length: count }, async (_, writer) => {
      const child = spawn(process.execPath, [WRITER, 'append', path, String(per), `w${writer}`], { stdio: 'inherit' });
      const [code] = await once(child, 'close');
      if (code !== 0) throw new Error(`writer ${writer} exited with ${code}`);
    }),
  );
}

async function assertChainHolds(path: string) {
  const verifier = chainVerifier();
  for (const line of logLines(await readFile(path))) verifier.add(line);
  const result = verifier.result();
  if (!result.ok) throw new Error(`${path}: line ${result.line}: ${result.reason}`);
}

const folder = await mkdtemp(join(tmpdir(), 'deploy-orchestrator-bench-'));
// Process start-up is part of the multi-process figures; one process alone measures it for comparison.
const variants: [string, (path: string) => Promise<void>][] = [
  ['baseline (write + fdatasync)', baseline],
  ['chained, 1 in-process writer', chained],
  ['chained, 1 writer process', (path) => processes(path, 1)],
  ['chained, 2 writer processes', (path) => processes(path, 2)],
  ['chained, 4 writer processes', (path) => processes(path, 4)],
];
await baseline(join(folder, 'warm-up.log'));
const rates: number[] = [];
console.log(`${APPENDS} appends per variant, ${folder}:`);
for (const [name, run] of variants) {
  const path = join(folder, `${rates.length}.log`);
  const ms = await timed(() => run(path));
  if (name.startsWith('chained')) await assertChainHolds(path);
  const rate = (APPENDS / ms) * 1000;
  rates.push(rate);
  console.log(
    `  ${name.padEnd(32)} ${rate.toFixed(0).padStart(6)} appends/s   ${(rate / rates[0]!).toFixed(2)}x baseline`,
  );
}
await rm(folder, { recursive: true, force: true });
