import { Client as McpClient } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import type { Env } from '../../domain/config.js';
import { parseGatewayConfig } from '../../domain/config.js';
import { type RunningHttpGateway, startHttpGateway } from '../../mcp-gateway/http-server.js';
import { startDevServerEnv, TEST_PAYLOAD_CODEC_KEYS } from './temporal-env.js';
import { type Harness, startHarness } from './workflow-harness.js';

export interface McpStack {
  harness: Harness;
  gateway: RunningHttpGateway;
  mcp: McpClient;
  call(name: string, args: Record<string, unknown>, onprogress?: (message: string) => void): Promise<CallToolResult>;
  close(): Promise<void>;
}

/** Dev server, worker and sandbox, the gateway over Streamable HTTP on an ephemeral port, and a real MCP client. */
export async function startMcpStack(gatewayEnv: Env = {}): Promise<McpStack> {
  const harness = await startHarness(startDevServerEnv);
  const config = parseGatewayConfig({
    MCP_PORT: '0',
    TEMPORAL_TASK_QUEUE: harness.worker.config.taskQueue,
    MCP_PROGRESS_INTERVAL_MS: '200',
    // One audit log and one set of admin tokens for the whole product, as `npm start` gives them.
    DEPLOYMENT_AUDIT_LOG: harness.worker.config.auditLogPath,
    DEPLOYMENT_ADMIN_TOKENS: harness.worker.config.adminTokens.join(','),
    PAYLOAD_CODEC_KEYS: TEST_PAYLOAD_CODEC_KEYS,
    ...gatewayEnv,
  });
  const gateway = await startHttpGateway(harness.env.client, config);
  const mcp = new McpClient({ name: 'e2e-test', version: '1.0.0' });
  await mcp.connect(new StreamableHTTPClientTransport(new URL(gateway.url)));
  return {
    harness,
    gateway,
    mcp,
    async call(name, args, onprogress) {
      const result = await mcp.callTool({ name, arguments: args }, undefined, {
        ...(onprogress ? { onprogress: (progress) => onprogress(progress.message ?? '') } : {}),
        resetTimeoutOnProgress: true,
      });
      return result as CallToolResult;
    },
    async close() {
      await mcp.close();
      await gateway.close();
      await harness.close();
    },
  };
}

/** The text of a tool error, which the contract's callers match on. */
export function errorText(result: CallToolResult): string {
  return result.content.map((part) => (part.type === 'text' ? part.text : '')).join('\n');
}
