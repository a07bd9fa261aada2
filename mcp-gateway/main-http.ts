// The gateway over Streamable HTTP (the default for `npm start`).
import { ensureAuditLogWritable } from '../activities/audit/audit-log.js';
import { ConfigError, parseHttpGatewayConfig } from '../domain/config.js';
import { createRedactor, redactWrites, secretValues } from '../domain/redaction.js';
import { startDeliveryLedgers } from './delivery-metrics/delivery-ledger-feed.js';
import { startHttpGateway } from './http-server.js';
import { connectTemporalClient } from './temporal-client.js';

// Every log line goes to stderr; no secret this process holds may reach it.
redactWrites(process.stderr, createRedactor(secretValues(process.env)));

try {
  const config = parseHttpGatewayConfig(process.env);
  await ensureAuditLogWritable(config.auditLogPath);
  const temporal = await connectTemporalClient(config.payloadKeys);
  const gateway = await startHttpGateway(temporal, config);
  startDeliveryLedgers(temporal, config.taskQueue, console.error);
  const access = config.oauth
    ? `OAuth access tokens from ${config.oauth.issuer} for ${config.oauth.resource}${config.authToken ? ', MCP_AUTH_TOKEN as break-glass' : ''}`
    : config.authToken
      ? 'bearer token required'
      : 'no token: loopback only';
  console.error(`gateway: MCP endpoint ${gateway.url} (${access})`);
  const stop = async () => {
    await gateway.close();
    await temporal.connection.close();
    process.exit(0);
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
} catch (error) {
  console.error(error instanceof ConfigError ? error.message : error);
  process.exit(1);
}
