// With no Temporal service at the address given, every entry point a user runs says in one line what to start or
// set, and exits: no gRPC stack trace. Each process is the real entry point (node dist/...), pointed at a loopback
// port where nothing listens.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { PROJECT_ROOT } from '../../scripts/temporal-binaries.js';
import { freePort } from '../helpers/product-process.js';

let dataDir: string;
let address: string;
before(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'deploy-orchestrator-unreachable-'));
  address = `127.0.0.1:${await freePort()}`;
});
after(() => rm(dataDir, { recursive: true, force: true }));

async function run(entry: string): Promise<{ code: number | null; stderr: string; seconds: number }> {
  const startedAt = Date.now();
  const child = spawn(process.execPath, [join(PROJECT_ROOT, 'dist', entry)], {
    env: {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      TEMPORAL_ADDRESS: address,
      DEPLOYMENT_DATA_DIR: dataDir,
      DEPLOYMENT_AUDIT_LOG: join(dataDir, 'deployments.log'),
      GITHUB_TOKEN: 'not-used-here',
      GITHUB_REPOSITORY: 'acme/scheduler',
      MCP_PORT: '0',
    },
    // stdin stays open for the stdio gateway, as a desktop client keeps it.
    stdio: ['pipe', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const [code] = (await once(child, 'exit')) as [number | null];
  return { code, stderr, seconds: (Date.now() - startedAt) / 1000 };
}

describe('no Temporal service reachable', () => {
  for (const entry of ['worker/main.js', 'mcp-gateway/main-stdio.js', 'mcp-gateway/main-http.js', 'scripts/start.js']) {
    it(`${entry} says in one line what to start or set, and exits`, async (t) => {
      const { code, stderr, seconds } = await run(entry);
      assert.equal(code, 1, stderr);
      const lines = stderr.split('\n').filter((line) => line.trim() !== '');
      assert.deepEqual(
        lines.filter((line) => /^\s+at /.test(line)),
        [],
        'no stack trace',
      );
      assert.equal(
        lines.at(-1),
        `No Temporal service answers at ${address}: start one (\`npm start\` in this project runs one, or ` +
          '`temporal server start-dev`), or set TEMPORAL_ADDRESS (and TEMPORAL_NAMESPACE, TEMPORAL_API_KEY, TLS) to yours',
      );
      t.diagnostic(`${entry}: said so after ${seconds.toFixed(1)} s`);
    });
  }
});
