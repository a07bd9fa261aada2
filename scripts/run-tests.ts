// `npm test` after build and lint: runs the four tiers of DESIGN.md and the team-stack tier in order, each with node's test runner, and
// prints one line per tier and one closing line for all of them.
import { spawn } from 'node:child_process';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { PROJECT_ROOT } from './temporal-binaries.js';

// Tiers that start servers run their files one at a time: the machine has two cores.
const TIERS = [
  { name: 'unit', concurrency: 2 },
  { name: 'workflow', concurrency: 1 },
  { name: 'e2e', concurrency: 1 },
  { name: 'replay', concurrency: 1 },
  // The team stack of docker-compose.yml on PostgreSQL (README "Testing"): its first run builds Temporal from source.
  { name: 'stack', concurrency: 1 },
] as const;

interface TierResult {
  name: string;
  pass: number;
  fail: number;
  skipped: number;
  seconds: number;
}

function count(output: string, label: string): number {
  const match = output.match(new RegExp(`^ℹ ${label} (\\d+)$`, 'm'));
  return match ? Number(match[1]) : 0;
}

async function runTier(name: string, concurrency: number): Promise<TierResult> {
  const folder = join(PROJECT_ROOT, 'dist', 'test', name);
  const files = (await readdir(folder)).filter((file) => file.endsWith('.test.js')).map((file) => join(folder, file));
  const startedAt = Date.now();
  const args = ['--test', '--test-reporter=spec', `--test-concurrency=${concurrency}`, ...files];
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'inherit'] });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => {
    output += chunk.toString();
    process.stdout.write(chunk);
  });
  const code = await new Promise<number>((resolve) => child.once('exit', (exitCode) => resolve(exitCode ?? 1)));
  const fail = count(output, 'fail') + (code !== 0 && count(output, 'fail') === 0 ? 1 : 0);
  return {
    name,
    pass: count(output, 'pass'),
    fail,
    skipped: count(output, 'skipped'),
    seconds: Math.round((Date.now() - startedAt) / 1000),
  };
}

const only = process.argv.slice(2);
const results: TierResult[] = [];
for (const tier of TIERS.filter((each) => only.length === 0 || only.includes(each.name))) {
  results.push(await runTier(tier.name, tier.concurrency));
}
for (const tier of results) {
  console.log(
    `tier ${tier.name}: ${tier.pass} passed, ${tier.fail} failed, ${tier.skipped} skipped (${tier.seconds}s)`,
  );
}
const pass = results.reduce((sum, tier) => sum + tier.pass, 0);
const fail = results.reduce((sum, tier) => sum + tier.fail, 0);
console.log(`${pass} passed, ${fail} failed`);
process.exit(fail > 0 ? 1 : 0);
