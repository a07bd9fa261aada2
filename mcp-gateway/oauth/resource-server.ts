// The HTTP gateway as an OAuth 2.1 resource server (MCP authorization, 2025-11-25): RFC 9728 metadata, the caller
// check and the per-tool scope check, built once from the settings.
import { getOAuthProtectedResourceMetadataUrl } from '@modelcontextprotocol/sdk/server/auth/router.js';
import express, { type RequestHandler, type Router } from 'express';
import type { AuditLog } from '../../activities/audit/audit-log.js';
import type { OAuthSettings } from '../../domain/oauth-config.js';
import { createAccessTokenVerifier } from './access-token-verifier.js';
import { type CallerCheck, requireCaller, requireToolScopes } from './require-caller.js';
import { ALL_SCOPES } from './tool-scopes.js';

export interface ResourceServer {
  /** Serves the protected resource metadata; mount at the application's root. */
  metadata: Router;
  /** 401 unless a valid token for this gateway is presented; reusable for any route (e.g. a dashboard). */
  requireCaller: RequestHandler;
  /** 403 insufficient_scope for a tools/call whose tool needs a scope the token lacks; after the body is read. */
  requireToolScopes: RequestHandler;
  resourceMetadataUrl: string;
}

/**
 * The metadata is served where RFC 9728 puts it for the resource URL (path inserted: `/.well-known/
 * oauth-protected-resource/mcp`), which every challenge points at, and at the root well-known path, which MCP
 * clients try next.
 */
function metadataRouter(settings: OAuthSettings): Router {
  const resource = new URL(settings.resource);
  const document = {
    resource: settings.resource,
    authorization_servers: [settings.issuer],
    scopes_supported: [...ALL_SCOPES],
    bearer_methods_supported: ['header'],
    resource_name: 'Deployment orchestrator (MCP)',
  };
  const router = express.Router();
  const paths = [
    ...new Set([
      new URL(getOAuthProtectedResourceMetadataUrl(resource)).pathname,
      '/.well-known/oauth-protected-resource',
    ]),
  ];
  router.get(paths, (_req, res) => {
    // Public and the same for everyone: browser-based clients may read it from any origin.
    res.set('access-control-allow-origin', '*');
    res.set('cache-control', 'public, max-age=3600');
    res.json(document);
  });
  return router;
}

export function createResourceServer(
  settings: OAuthSettings,
  { audit, breakGlassToken }: { audit: AuditLog; breakGlassToken: string | undefined },
): ResourceServer {
  const resourceMetadataUrl = getOAuthProtectedResourceMetadataUrl(new URL(settings.resource));
  const check: CallerCheck = {
    verifyAccessToken: createAccessTokenVerifier(settings),
    breakGlassToken,
    resourceMetadataUrl,
    approvalPolicy: {
      identityApprovals: true,
      fourEyes: settings.fourEyes,
      approverGroups: settings.approverGroups,
      approverClaim: settings.approverClaim,
    },
    audit,
  };
  return {
    metadata: metadataRouter(settings),
    requireCaller: requireCaller(check),
    requireToolScopes: requireToolScopes(check),
    resourceMetadataUrl,
  };
}
