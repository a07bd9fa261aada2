// End to end over stdio: the gateway as its own process, as a desktop MCP client would run it.
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { Client as McpClient } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { startDevServerEnv, TEST_PAYLOAD_CODEC_KEYS } from '../helpers/temporal-env.js';
import { type Harness, startHarness } from '../helpers/workflow-harness.js';

const GATEWAY = fileURLToPath(new URL('../../mcp-gateway/main-stdio.js', import.meta.url));

let harness: Harness;
let mcp: McpClient;
let stderr = '';
let dataDir: string;
before(async () => {
  harness = await startHarness(startDevServerEnv);
  // An empty data folder: what a developer's own `npm start` left in the checkout stays out of this test.
  dataDir = await mkdtemp(join(tmpdir(), 'deploy-orchestrator-stdio-'));
  const transport = new StdioClientTransport({
    command: process.execPath,
    args: [GATEWAY],
    env: {
      PATH: process.env.PATH ?? '',
      TEMPORAL_ADDRESS: harness.env.address,
      TEMPORAL_NAMESPACE: harness.env.namespace ?? 'default',
      TEMPORAL_TASK_QUEUE: harness.worker.config.taskQueue,
      PAYLOAD_CODEC_KEYS: TEST_PAYLOAD_CODEC_KEYS,
      DEPLOYMENT_AUDIT_LOG: harness.worker.config.auditLogPath,
      DEPLOYMENT_DATA_DIR: dataDir,
      // As an env file with blank lines gives them: unset, not "TLS with an empty key".
      TEMPORAL_API_KEY: '',
      TEMPORAL_TLS_CLIENT_CERT_PATH: '',
    },
    stderr: 'pipe',
  });
  transport.stderr?.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  mcp = new McpClient({ name: 'e2e-stdio', version: '1.0.0' });
  // A stray line on stdout would make connect or the call below fail to parse.
  await mcp.connect(transport);
});
after(async () => {
  await mcp.close();
  await harness.close();
  await rm(dataDir, { recursive: true, force: true });
});

describe('tools over stdio', () => {
  it('validates main for staging through a separate gateway process, logging only to stderr', async () => {
    const result = await mcp.callTool({
      name: 'validate_deployment',
      arguments: { environment: 'staging', git_ref: 'main' },
    });
    const content = result.structuredContent as { valid: boolean; checks: unknown[] };
    assert.equal(content.valid, true);
    assert.ok(content.checks.length >= 5);
    assert.match(stderr, /gateway: serving MCP on stdio/);
  });
});
