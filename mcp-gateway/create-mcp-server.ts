import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { Client } from '@temporalio/client';
import { createAuditLog } from '../activities/audit/audit-log.js';
import type { GatewayConfig } from '../domain/config.js';
import { createRedactor } from '../domain/redaction.js';
import { DEPLOYMENT_CARD_TOOL_META, registerDeploymentCard } from './apps/deployment-card.js';
import type { EnvironmentHealth } from './environment-health.js';
import { approvalPolicyOf, callerOf } from './oauth/require-caller.js';
import { registerDeploymentResources } from './resources/deployment-resources.js';
import type { ToolContext } from './tool-definition.js';
import { TOOLS } from './tools/index.js';

export const SERVER_INFO = { name: 'deploy-orchestrator', version: '0.1.0' };

/** One MCP server with every tool; the gateway holds no state of its own, so a server per connection is cheap. */
export function createMcpServer(temporal: Client, config: GatewayConfig, health: EnvironmentHealth): McpServer {
  const server = new McpServer(SERVER_INFO, { capabilities: { tools: {} } });
  const audit = createAuditLog(config.auditLogPath);
  const redact = createRedactor(config.adminTokens);
  for (const tool of TOOLS) {
    server.registerTool(
      tool.name,
      {
        title: tool.title,
        description: tool.description,
        inputSchema: tool.inputSchema,
        outputSchema: tool.outputSchema,
        annotations: { title: tool.title, ...tool.annotations },
        ...(tool.showsDeploymentCard ? { _meta: DEPLOYMENT_CARD_TOOL_META } : {}),
      },
      async (input, extra) => {
        const progressToken = extra._meta?.progressToken;
        let progress = 0;
        const context: ToolContext = {
          temporal,
          config,
          audit,
          health,
          signal: extra.signal,
          caller: callerOf(extra.authInfo),
          approvalPolicy: approvalPolicyOf(extra.authInfo),
          async reportProgress(message, steps) {
            if (progressToken === undefined) return;
            // MCP wants a strictly increasing value. Without a step count, the count of notifications is one; with
            // one, the steps completed, creeping 1% of the rest of the way to the next step on each notification while a
            // step lasts (thousands of notifications before floating point runs out of room).
            const base = Math.max(progress, steps?.completed ?? 0);
            const next = Math.max(Math.floor(base) + 1, (steps?.completed ?? 0) + 1);
            progress = steps ? next - (next - base) * 0.99 : next;
            await extra.sendNotification({
              method: 'notifications/progress',
              params: { progressToken, progress, message, ...(steps ? { total: steps.total } : {}) },
            });
          },
        };
        const result = await tool.handler(input, context).catch((error: unknown) => {
          // The caller sees the message as the tool's error text: a token quoted in it must not go back out.
          throw new Error(redact(error instanceof Error ? error.message : String(error)));
        });
        return { structuredContent: result, content: [{ type: 'text', text: JSON.stringify(result, null, 2) }] };
      },
    );
  }
  registerDeploymentResources(server, { temporal, health, config });
  registerDeploymentCard(server);
  return server;
}
