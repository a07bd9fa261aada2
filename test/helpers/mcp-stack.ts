import { Client as McpClient } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import type { Env } from '../../domain/config.js';
import { parseHttpGatewayConfig } from '../../domain/config.js';
import { type RunningHttpGateway, startHttpGateway } from '../../mcp-gateway/http-server.js';
import { startDevServerEnv, TEST_PAYLOAD_CODEC_KEYS } from './temporal-env.js';
import { type Harness, startHarness } from './workflow-harness.js';

/** A real MCP client over Streamable HTTP, with the bearer token when the gateway requires one. */
export interface McpConnection {
  mcp: McpClient;
  call(
    name: string,
    args: Record<string, unknown>,
    onprogress?: (message: string, progress: { progress: number; total?: number }) => void,
  ): Promise<CallToolResult>;
  close(): Promise<void>;
}

/** A gateway over Streamable HTTP on an ephemeral port and a real MCP client connected to it. */
export interface McpGateway extends McpConnection {
  gateway: RunningHttpGateway;
}

export async function connectMcpClient(url: string, authToken?: string | null): Promise<McpConnection> {
  const mcp = new McpClient({ name: 'e2e-test', version: '1.0.0' });
  const headers = authToken ? { authorization: `Bearer ${authToken}` } : undefined;
  await mcp.connect(new StreamableHTTPClientTransport(new URL(url), { requestInit: { headers } }));
  return {
    mcp,
    async call(name, args, onprogress) {
      const result = await mcp.callTool({ name, arguments: args }, undefined, {
        ...(onprogress ? { onprogress: (progress) => onprogress(progress.message ?? '', progress) } : {}),
        resetTimeoutOnProgress: true,
      });
      return result as CallToolResult;
    },
    close: () => mcp.close(),
  };
}

export interface McpStack extends McpGateway {
  harness: Harness;
}

/**
 * A gateway on the harness's Temporal and audit log (another one beside the stack's, for other settings). The
 * client sends MCP_AUTH_TOKEN when the gateway is given one. A Temporal client of its own makes it a gateway as
 * freshly started as a new process: the gateway keeps its state per Temporal client.
 */
export async function startMcpGateway(
  harness: Harness,
  gatewayEnv: Env = {},
  temporal = harness.env.client,
): Promise<McpGateway> {
  const config = parseHttpGatewayConfig({
    MCP_PORT: '0',
    TEMPORAL_TASK_QUEUE: harness.worker.config.taskQueue,
    MCP_PROGRESS_INTERVAL_MS: '200',
    // One audit log and one set of admin tokens for the whole product, as `npm start` gives them.
    DEPLOYMENT_AUDIT_LOG: harness.worker.config.auditLogPath,
    DEPLOYMENT_ADMIN_TOKENS: harness.worker.config.adminTokens.join(','),
    PAYLOAD_CODEC_KEYS: TEST_PAYLOAD_CODEC_KEYS,
    // Status reads probe the environments' health from the gateway itself.
    STAGING_URL: harness.sandbox.stagingUrl,
    PRODUCTION_URL: harness.sandbox.productionUrl,
    SMOKE_PROBE_TIMEOUT_SECONDS: '2',
    // Promotions end when production is proven, as before the bake window; the bake's own tests turn it on.
    PRODUCTION_BAKE_SECONDS: '0',
    ...gatewayEnv,
  });
  const gateway = await startHttpGateway(temporal, config);
  const connection = await connectMcpClient(gateway.url, config.authToken);
  return {
    ...connection,
    gateway,
    async close() {
      await connection.close();
      await gateway.close();
    },
  };
}

/** Dev server, worker and sandbox, the gateway over Streamable HTTP on an ephemeral port, and a real MCP client. */
export async function startMcpStack(gatewayEnv: Env = {}): Promise<McpStack> {
  const harness = await startHarness(startDevServerEnv);
  const gateway = await startMcpGateway(harness, gatewayEnv);
  return {
    ...gateway,
    harness,
    async close() {
      await gateway.close();
      await harness.close();
    },
  };
}

/** The text of a tool error, which the contract's callers match on. */
export function errorText(result: CallToolResult): string {
  return result.content.map((part) => (part.type === 'text' ? part.text : '')).join('\n');
}
