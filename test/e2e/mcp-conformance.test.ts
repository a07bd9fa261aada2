// The official MCP conformance suite (@modelcontextprotocol/conformance, run on the venv's Node 24) against the
// gateway over Streamable HTTP on the real stack: the server scenarios the gateway's features cover.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { promisify } from 'node:util';
import { ensureConformanceNode } from '../../scripts/node-for-conformance.js';
import { EVENT_CEILING_MS } from '../helpers/ceilings.js';
import { type McpStack, startMcpStack } from '../helpers/mcp-stack.js';

const run = promisify(execFile);
const SCENARIOS = [
  'server-initialize',
  'ping',
  'tools-list',
  'tools-call-error',
  'dns-rebinding-protection',
  'resources-list',
  'completion-complete',
];
const suitePackage = createRequire(import.meta.url).resolve('@modelcontextprotocol/conformance/package.json');
const suite = join(dirname(suitePackage), 'dist', 'index.js');

const node = await ensureConformanceNode();
if ('missing' in node) console.log(`MCP conformance tests skipped: ${node.missing} (needs Python 3 with pip and PyPI)`);

describe('MCP conformance suite', { skip: 'missing' in node }, () => {
  let stack: McpStack;
  before(async () => {
    stack = await startMcpStack();
  });
  after(() => stack?.close());

  for (const scenario of SCENARIOS) {
    it(`passes ${scenario}`, async () => {
      const binary = (node as { node: string }).node;
      const outcome = await run(binary, [suite, 'server', '--url', stack.gateway.url, '--scenario', scenario], {
        timeout: EVENT_CEILING_MS,
      }).then(
        ({ stdout }) => ({ code: 0, output: stdout }),
        (error: { code?: number; stdout?: string; stderr?: string }) => ({
          code: error.code ?? 1,
          output: `${error.stdout ?? ''}${error.stderr ?? ''}`,
        }),
      );
      assert.equal(outcome.code, 0, outcome.output);
      assert.match(outcome.output, /Passed: (\d+)\/\1, 0 failed/, outcome.output);
    });
  }
});
