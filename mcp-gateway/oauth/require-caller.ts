// "Who is calling": the bearer-token checks of an OAuth 2.1 resource server, as Express middleware any route of the
// HTTP gateway can stand behind (/mcp, and a dashboard). Every refusal is audited and answered before any tool runs.
import { InvalidTokenError } from '@modelcontextprotocol/sdk/server/auth/errors.js';
import type { AuthInfo } from '@modelcontextprotocol/sdk/server/auth/types.js';
import type { Request, RequestHandler, Response } from 'express';
import type { AuditLog } from '../../activities/audit/audit-log.js';
import { hashToken } from '../../domain/approval-token.js';
import { type ApprovalPolicy, type CallerIdentity, identityLabel } from '../../domain/caller-identity.js';
import { isOneOfSecrets } from '../../domain/secret-match.js';
import { type AccessTokenVerifier, IdentityProviderUnavailable } from './access-token-verifier.js';
import { ALL_SCOPES, scopeForRequest } from './tool-scopes.js';

/** The verified caller of a request that passed requireCaller (null before, or on routes without it). */
export function callerOf(auth: AuthInfo | undefined): CallerIdentity | null {
  const caller = auth?.extra?.caller;
  return caller && typeof caller === 'object' ? (caller as CallerIdentity) : null;
}

/** How promotions started by this request's caller may be approved (undefined without an identity provider). */
export function approvalPolicyOf(auth: AuthInfo | undefined): ApprovalPolicy | undefined {
  const policy = auth?.extra?.approvalPolicy;
  return policy && typeof policy === 'object' ? (policy as ApprovalPolicy) : undefined;
}

export interface CallerCheck {
  verifyAccessToken: AccessTokenVerifier;
  /** MCP_AUTH_TOKEN: CI and break-glass, with every scope, audited as `break-glass:mcp-auth-token:<hash>`. */
  breakGlassToken: string | undefined;
  /** The RFC 9728 metadata URL every challenge points at. */
  resourceMetadataUrl: string;
  /** Travels with every verified caller to the tools that start or approve promotions. */
  approvalPolicy: ApprovalPolicy;
  audit: AuditLog;
}

const quoted = (text: string) => text.replace(/["\\]/g, "'");

function challenge(check: CallerCheck, fields: Record<string, string>): string {
  const all = { ...fields, resource_metadata: check.resourceMetadataUrl };
  return `Bearer ${Object.entries(all)
    .map(([name, value]) => `${name}="${quoted(value)}"`)
    .join(', ')}`;
}

async function auditRefusal(
  check: CallerCheck,
  req: Request,
  refusal: { operation: string; user: string; environment?: unknown; error: string; reason: string; scope?: string },
): Promise<void> {
  const environment =
    refusal.environment === 'staging' || refusal.environment === 'production' ? refusal.environment : null;
  await check.audit
    .append({
      timestamp: new Date().toISOString(),
      operation: refusal.operation,
      user: refusal.user,
      environment,
      success: false,
      dry_run: false,
      details: {
        error: refusal.error,
        reason: refusal.reason,
        ...(refusal.scope ? { required_scope: refusal.scope } : {}),
        method: req.method,
        path: req.originalUrl,
        remote_address: req.socket.remoteAddress ?? null,
      },
    })
    // The refusal stands either way; a log that cannot be written is the operator's to see.
    .catch((error: unknown) => console.error('gateway: could not audit a refused request', error));
}

function breakGlass(token: string): AuthInfo {
  const subject = `mcp-auth-token:${hashToken(token)}`;
  const caller: CallerIdentity = { via: 'break-glass', subject, name: null, groups: [] };
  // A static token never expires, but the SDK wants an expiry: valid for this request.
  return {
    token: `sha256:${hashToken(token)}`,
    clientId: 'mcp-auth-token',
    scopes: [...ALL_SCOPES],
    expiresAt: Math.floor(Date.now() / 1000) + 60,
    extra: { caller },
  };
}

async function authenticate(check: CallerCheck, token: string): Promise<AuthInfo> {
  const breakingGlass = check.breakGlassToken !== undefined && isOneOfSecrets(token, [check.breakGlassToken]);
  const auth = breakingGlass ? breakGlass(token) : await check.verifyAccessToken(token);
  return { ...auth, extra: { ...auth.extra, approvalPolicy: check.approvalPolicy } };
}

/**
 * 401 with `WWW-Authenticate: Bearer resource_metadata=..., scope=...` unless the request carries a valid access
 * token for this gateway (or the break-glass token); sets `req.auth` for the MCP transport, which hands it to tools.
 */
export function requireCaller(check: CallerCheck): RequestHandler {
  return async (req, res, next) => {
    const header = req.headers.authorization;
    const [type, token] = header?.split(' ') ?? [];
    const presented = type?.toLowerCase() === 'bearer' && token ? token : undefined;
    try {
      if (presented === undefined) throw new InvalidTokenError('No bearer token: sign in with the identity provider');
      req.auth = await authenticate(check, presented);
      next();
    } catch (error) {
      const unavailable = error instanceof IdentityProviderUnavailable;
      const reason = error instanceof Error ? error.message : String(error);
      await auditRefusal(check, req, {
        operation: 'authenticate',
        user: presented ? hashToken(presented) : 'anonymous',
        error: unavailable ? 'identity_provider_unavailable' : 'invalid_token',
        reason,
      });
      if (unavailable) {
        console.error(`gateway: ${reason}`);
        res.status(503).json({ error: 'temporarily_unavailable', error_description: reason });
        return;
      }
      // RFC 6750 §3.1: a request without credentials gets a challenge without an error code.
      const fields: Record<string, string> = presented ? { error: 'invalid_token', error_description: reason } : {};
      res.set('www-authenticate', challenge(check, { ...fields, scope: ALL_SCOPES.join(' ') }));
      res.status(401).json({ error: 'invalid_token', error_description: reason });
    }
  };
}

interface ToolCallMessage {
  method?: unknown;
  params?: { name?: unknown; arguments?: { environment?: unknown } };
}

/**
 * Scopes are per tool, so they are checked per tools/call (and resource reads), after the body is read: a call whose tool needs a scope
 * the token lacks gets `403` with `WWW-Authenticate: Bearer error="insufficient_scope", scope=...` (the MCP
 * specification's step-up challenge: the scopes held plus the one missing), an audit line, and nothing started.
 */
export function requireToolScopes(check: CallerCheck): RequestHandler {
  return async (req: Request, res: Response, next) => {
    const messages: ToolCallMessage[] = Array.isArray(req.body) ? req.body : [req.body];
    const held = req.auth?.scopes ?? [];
    for (const message of messages) {
      const needed = scopeForRequest(message?.method, message?.params?.name);
      if (needed === null || needed.split(' ').every((scope) => held.includes(scope))) continue;
      const tool = typeof message.params?.name === 'string' ? message.params.name : null;
      const operation = tool ?? String(message.method);
      const caller = callerOf(req.auth);
      const reason = `${tool ? `The tool ${tool}` : operation} needs the scope ${needed}, which this access token does not grant`;
      await auditRefusal(check, req, {
        operation,
        user: caller ? identityLabel(caller) : 'anonymous',
        environment: message.params?.arguments?.environment ?? (tool === 'promote_to_production' ? 'production' : null),
        error: 'insufficient_scope',
        reason,
        scope: needed,
      });
      const wanted = [...new Set([...held.filter((scope) => ALL_SCOPES.includes(scope)), ...needed.split(' ')])];
      res.set(
        'www-authenticate',
        challenge(check, { error: 'insufficient_scope', scope: wanted.join(' '), error_description: reason }),
      );
      res.status(403).json({ error: 'insufficient_scope', error_description: reason });
      return;
    }
    next();
  };
}
