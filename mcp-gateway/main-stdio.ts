// The gateway over stdio, for desktop MCP clients. stdout carries MCP only: every log line goes to stderr.
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import { ensureAuditLogWritable } from '../activities/audit/audit-log.js';
import { ConfigError, parseGatewayConfig } from '../domain/config.js';
import { createRedactor, redactWrites, secretValues } from '../domain/redaction.js';
import { createMcpServer } from './create-mcp-server.js';
import { startDeliveryLedgers } from './delivery-metrics/delivery-ledger-feed.js';
import { createEnvironmentHealth } from './environment-health.js';
import { adoptLocalStackSettings } from './local-stack-settings.js';
import { connectTemporalClient } from './temporal-client.js';

// Run from a checkout where `npm start` runs, the gateway joins that stack: its Temporal, payload key, audit log, tokens.
const adopted = await adoptLocalStackSettings(process.env);
// Every log line goes to stderr; no secret this process holds may reach it.
redactWrites(process.stderr, createRedactor(secretValues(process.env)));
if (adopted) console.error(`gateway: ${adopted}`);

try {
  const config = parseGatewayConfig(process.env);
  await ensureAuditLogWritable(config.auditLogPath);
  const temporal = await connectTemporalClient(config.payloadKeys);
  const server = createMcpServer(temporal, config, createEnvironmentHealth(config.statusHealth));
  await server.connect(new StdioServerTransport());
  startDeliveryLedgers(temporal, config.taskQueue, console.error);
  console.error('gateway: serving MCP on stdio');
  const stop = async () => {
    await server.close();
    await temporal.connection.close();
    process.exit(0);
  };
  process.stdin.once('end', stop);
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
} catch (error) {
  console.error(error instanceof ConfigError ? error.message : error);
  process.exit(1);
}
