import type { Server } from 'node:http';
import { createMcpExpressApp } from '@modelcontextprotocol/sdk/server/express.js';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import type { Client } from '@temporalio/client';
import type { NextFunction, Request, Response } from 'express';
import type { GatewayConfig } from '../domain/config.js';
import { createMcpServer } from './create-mcp-server.js';

const LOOPBACK_ORIGIN = /^https?:\/\/(?:localhost|127\.0\.0\.1|\[::1\])(?::\d+)?$/;

/** Browsers send Origin; a page from elsewhere must not drive deployments through a local gateway. */
function rejectForeignOrigins(req: Request, res: Response, next: NextFunction) {
  const origin = req.headers.origin;
  if (origin === undefined || LOOPBACK_ORIGIN.test(origin)) return next();
  res
    .status(403)
    .json({ jsonrpc: '2.0', error: { code: -32000, message: `Origin ${origin} is not allowed` }, id: null });
}

function methodNotAllowed(_req: Request, res: Response) {
  res
    .status(405)
    .set('allow', 'POST')
    .json({
      jsonrpc: '2.0',
      error: { code: -32000, message: 'This gateway is stateless: send MCP requests with POST' },
      id: null,
    });
}

export interface RunningHttpGateway {
  url: string;
  close(): Promise<void>;
}

/**
 * Stateless Streamable HTTP: a new MCP server and transport per request, since all state lives in Temporal.
 * Host validation (DNS rebinding) comes from createMcpExpressApp; Origin is checked here.
 */
export async function startHttpGateway(temporal: Client, config: GatewayConfig): Promise<RunningHttpGateway> {
  const app = createMcpExpressApp({ host: config.host });
  app.get('/healthz', async (_req, res) => {
    const temporalOk = await temporal.workflowService
      .getSystemInfo({})
      .then(() => true)
      .catch(() => false);
    res.status(temporalOk ? 200 : 503).json({ status: temporalOk ? 'ok' : 'temporal unreachable' });
  });
  app.post('/mcp', rejectForeignOrigins, async (req, res) => {
    const server = createMcpServer(temporal, config);
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
      if (!res.headersSent) {
        res.status(500).json({ jsonrpc: '2.0', error: { code: -32603, message: 'Internal server error' }, id: null });
      }
    }
  });
  app.get('/mcp', methodNotAllowed);
  app.delete('/mcp', methodNotAllowed);
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
