import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { hostHeaderValidation } from '@modelcontextprotocol/sdk/server/middleware/hostHeaderValidation.js';
import type { Client } from '@temporalio/client';
import express, { type Express } from 'express';
import { createAuditLog } from '../../activities/audit/audit-log.js';
import type { HttpGatewayConfig } from '../../domain/config.js';
import type { EnvironmentHealth } from '../environment-health.js';
import { rejectForeignOrigins } from '../http-guards.js';
import type { ToolContext } from '../tool-definition.js';
import { dashboardAuth } from './dashboard-auth.js';
import { dashboardOverview } from './dashboard-data.js';
import { DASHBOARD_PAGE } from './dashboard-page.js';

const UPLOT_DIST = join(dirname(createRequire(import.meta.url).resolve('uplot/package.json')), 'dist');

/**
 * /dashboard: the page, its data (/dashboard/api/overview) and uPlot from node_modules, behind /mcp's Host and Origin
 * checks and, when MCP_AUTH_TOKEN is set, the dashboard's sign-in (dashboard-auth.ts).
 */
export function mountDashboard(
  app: Express,
  temporal: Client,
  config: HttpGatewayConfig,
  health: EnvironmentHealth,
): void {
  const router = express.Router();
  router.use(hostHeaderValidation(config.allowedHosts), rejectForeignOrigins(config.allowedOrigins));
  if (config.authToken !== undefined) {
    const auth = dashboardAuth(config.authToken);
    router.use(auth.routes);
    router.use(auth.require);
  } else if (config.oauth !== undefined) {
    // Signing in to the dashboard through the identity provider is not built: with OAuth and no MCP_AUTH_TOKEN it
    // stays closed rather than open to anyone who reaches the gateway.
    router.use((_req, res) => {
      res
        .status(403)
        .type('text')
        .send('The dashboard signs in with MCP_AUTH_TOKEN; set it on this gateway to open the dashboard.');
    });
  }
  router.get('/', (_req, res) => {
    res.set(
      'content-security-policy',
      "default-src 'self'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'",
    );
    res.type('html').send(DASHBOARD_PAGE);
  });
  router.get('/vendor/uPlot.iife.min.js', (_req, res) => res.sendFile(join(UPLOT_DIST, 'uPlot.iife.min.js')));
  router.get('/vendor/uPlot.min.css', (_req, res) => res.sendFile(join(UPLOT_DIST, 'uPlot.min.css')));
  const context: ToolContext = {
    temporal,
    config,
    audit: createAuditLog(config.auditLogPath),
    health,
    // The dashboard only reads; no caller identity or approval policy reaches a workflow from it.
    caller: null,
    approvalPolicy: undefined,
    reportProgress: async () => {},
    signal: new AbortController().signal,
  };
  const webUi = { url: config.temporalUiUrl, namespace: temporal.options.namespace };
  router.get('/api/overview', async (_req, res) => {
    try {
      res.json(await dashboardOverview(context, webUi));
    } catch (error) {
      console.error('dashboard: overview failed', error);
      res.status(503).json({ error: 'the dashboard could not read Temporal' });
    }
  });
  app.use('/dashboard', router);
}
