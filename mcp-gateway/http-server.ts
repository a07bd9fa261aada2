import type { Server } from 'node:http';
import { hostHeaderValidation } from '@modelcontextprotocol/sdk/server/middleware/hostHeaderValidation.js';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import type { Client } from '@temporalio/client';
import express, { type Request, type Response } from 'express';
import { createAuditLog } from '../activities/audit/audit-log.js';
import type { HttpGatewayConfig } from '../domain/config.js';
import { createMcpServer } from './create-mcp-server.js';
import { mountDashboard } from './dashboard/dashboard-routes.js';
import { createEnvironmentHealth } from './environment-health.js';
import {
  bodyErrors,
  limitConcurrentCalls,
  readJsonBody,
  refuse,
  rejectForeignOrigins,
  requireToken,
} from './http-guards.js';
import { createResourceServer } from './oauth/resource-server.js';

function methodNotAllowed(_req: Request, res: Response) {
  res.set('allow', 'POST');
  refuse(res, 405, 'This gateway is stateless: send MCP requests with POST');
}

export interface RunningHttpGateway {
  url: string;
  close(): Promise<void>;
}

/**
 * Stateless Streamable HTTP: a new MCP server and transport per request, since all state lives in Temporal.
 * /mcp checks, in order: Host (DNS rebinding), Origin, the bearer token when one is set, body size, calls in flight;
 * each refusal costs no more than reading the headers. /healthz stands outside all of it for load balancers.
 */
export async function startHttpGateway(temporal: Client, config: HttpGatewayConfig): Promise<RunningHttpGateway> {
  const app = express();
  app.disable('x-powered-by');
  const health = createEnvironmentHealth(config.statusHealth);
  app.get('/healthz', async (_req, res) => {
    const temporalOk = await temporal.workflowService
      .getSystemInfo({})
      .then(() => true)
      .catch(() => false);
    res.status(temporalOk ? 200 : 503).json({ status: temporalOk ? 'ok' : 'temporal unreachable' });
  });
  // With an identity provider, the gateway is an OAuth resource server; MCP_AUTH_TOKEN then stays as break-glass.
  const oauth = config.oauth
    ? createResourceServer(config.oauth, {
        audit: createAuditLog(config.auditLogPath),
        breakGlassToken: config.authToken,
      })
    : undefined;
  if (oauth) app.use(oauth.metadata);
  app.use('/mcp', hostHeaderValidation(config.allowedHosts), rejectForeignOrigins(config.allowedOrigins));
  if (oauth) app.use('/mcp', oauth.requireCaller);
  else if (config.authToken !== undefined) app.use('/mcp', requireToken(config.authToken));
  app.post(
    '/mcp',
    readJsonBody(config.maxRequestBytes),
    ...(oauth ? [oauth.requireToolScopes] : []),
    limitConcurrentCalls(config.maxConcurrentCallsPerClient),
    async (req, res) => {
      const server = createMcpServer(temporal, config, health);
      const transport = new StreamableHTTPServerTransport({ sessionIdGenerator: undefined, enableJsonResponse: false });
      res.on('close', () => {
        void transport.close();
        void server.close();
      });
      try {
        await server.connect(transport);
        await transport.handleRequest(req, res, req.body);
      } catch (error) {
        console.error('gateway: request failed', error);
        if (!res.headersSent) refuse(res, 500, 'Internal server error', -32603);
      }
    },
  );
  app.get('/mcp', methodNotAllowed);
  app.delete('/mcp', methodNotAllowed);
  app.use('/mcp', bodyErrors(config.maxRequestBytes));
  mountDashboard(app, temporal, config, health);
  const server = await new Promise<Server>((resolve, reject) => {
    const listening = app.listen(config.port, config.host, (error?: Error) =>
      error ? reject(error) : resolve(listening),
    );
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  const host = config.host.includes(':') ? `[${config.host}]` : config.host;
  return {
    url: `http://${host}:${port}/mcp`,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
