// End to end: every tool's input schema walked with inputs it must reject, through a real MCP client over
// Streamable HTTP → gateway → Temporal dev server → worker → sandbox. Nothing may start, nothing may be audited as a
// success, and the gateway must keep serving.
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { after, before, it } from 'node:test';
import { badInputs, type ToolInputSchema, validBase } from '../helpers/bad-inputs.js';
import { rawPost, toolCall } from '../helpers/http-request.js';
import { errorText, type McpStack, startMcpStack } from '../helpers/mcp-stack.js';
import { githubRequests, steer } from '../helpers/sandbox-control.js';

let stack: McpStack;
before(async () => {
  stack = await startMcpStack();
});
after(() => stack.close());

const auditLines = async () =>
  (await readFile(stack.harness.worker.config.auditLogPath, 'utf8').catch(() => '')).split('\n').filter(Boolean);

/** Every workflow started since `since`; visibility is eventually consistent, so wait for `expected` to show. */
async function workflowsStartedSince(since: Date, expected: string): Promise<string[]> {
  for (let attempt = 0; attempt < 50; attempt++) {
    const ids: string[] = [];
    const query = `StartTime >= "${since.toISOString()}"`;
    for await (const workflow of stack.harness.env.client.workflow.list({ query })) ids.push(workflow.workflowId);
    if (ids.includes(expected)) return ids;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`workflow ${expected} never became visible`);
}

it('rejects every bad input of every tool, naming the field, starting and auditing nothing', async (t) => {
  await steer(stack.harness.sandbox, 'POST', '/reset');
  const auditBefore = await auditLines();
  const walkStart = new Date(Date.now() - 1000);
  const { tools } = await stack.mcp.listTools();
  const wronglyAccepted: string[] = [];
  const unnamed: string[] = [];
  const counts: { tool: string; tried: number; rejected: number }[] = [];
  for (const tool of tools) {
    const schema = tool.inputSchema as ToolInputSchema;
    assert.equal(schema.additionalProperties, false, `${tool.name} refuses unknown fields in its schema`);
    let tried = 0;
    let rejected = 0;
    for (const input of badInputs(schema)) {
      tried += 1;
      const result = await stack.call(tool.name, input.args);
      const label = `${tool.name}.${input.field} ${input.what}`;
      if (result.isError !== true) {
        wronglyAccepted.push(label);
        continue;
      }
      rejected += 1;
      if (!errorText(result).includes(input.field)) unnamed.push(`${label}: ${errorText(result)}`);
    }
    // One string over the body cap: refused before any MCP server sees it.
    tried += 1;
    const firstString = Object.keys(schema.properties ?? {}).find(
      (name) => schema.properties?.[name]?.type === 'string',
    );
    const oversized = { ...validBase(schema), [firstString ?? 'padding']: 'x'.repeat(128 * 1024) };
    const answer = await rawPost(stack.gateway.url, {}, toolCall(tool.name, oversized));
    if (answer.status === 413 && answer.body.includes('MCP_MAX_REQUEST_BYTES')) rejected += 1;
    else wronglyAccepted.push(`${tool.name} 128 KiB body: ${answer.status}`);
    counts.push({ tool: tool.name, tried, rejected });
  }
  const total = counts.reduce(
    (sum, count) => ({ tried: sum.tried + count.tried, rejected: sum.rejected + count.rejected }),
    {
      tried: 0,
      rejected: 0,
    },
  );
  for (const count of counts) t.diagnostic(`bad-input walk: ${count.tool}: ${count.rejected}/${count.tried} rejected`);
  t.diagnostic(`bad-input walk: total ${total.rejected}/${total.tried} rejected across ${counts.length} tools`);

  assert.deepEqual(wronglyAccepted, [], 'inputs the schema must reject were accepted');
  assert.deepEqual(unnamed, [], 'errors that do not name the field');
  assert.equal(total.rejected, total.tried);
  assert.equal(counts.length, 11);
  assert.deepEqual(await githubRequests(stack.harness.sandbox), [], 'no GitHub request was made');
  const added = (await auditLines()).slice(auditBefore.length);
  assert.deepEqual(
    added.filter((line) => (JSON.parse(line) as { success?: boolean }).success === true),
    [],
    'nothing audited as a success',
  );

  // The gateway still serves, and the one workflow visible since the walk began is this valid call's.
  const valid = await stack.call('run_smoke_tests', { environment: 'staging' });
  assert.equal(valid.isError, undefined, errorText(valid));
  const workflowId = String((valid.structuredContent as { workflow_id: string }).workflow_id);
  const started = await workflowsStartedSince(walkStart, workflowId);
  assert.deepEqual(
    started.filter((id) => !id.startsWith(workflowId)),
    [],
    'no workflow started during the walk',
  );
});
