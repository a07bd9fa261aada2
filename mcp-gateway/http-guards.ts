// What stands between the network and the MCP endpoint: Host, Origin, bearer token, body size, calls in flight.
import { InvalidTokenError } from '@modelcontextprotocol/sdk/server/auth/errors.js';
import { requireBearerAuth } from '@modelcontextprotocol/sdk/server/auth/middleware/bearerAuth.js';
import express, { type NextFunction, type Request, type RequestHandler, type Response } from 'express';
import { hashToken } from '../domain/approval-token.js';
import { isOneOfSecrets } from '../domain/secret-match.js';

/** A JSON-RPC error answer with no id: these requests are refused before any message is read. */
export function refuse(res: Response, status: number, message: string, code = -32000): void {
  res.status(status).json({ jsonrpc: '2.0', error: { code, message }, id: null });
}

const LOOPBACK_ORIGIN = /^https?:\/\/(?:localhost|127\.0\.0\.1|\[::1\])(?::\d+)?$/;

/** Browsers send Origin; a page from elsewhere must not drive deployments through the gateway. */
export function rejectForeignOrigins(allowedOrigins: readonly string[]): RequestHandler {
  return (req, res, next) => {
    const origin = req.headers.origin;
    if (origin === undefined || LOOPBACK_ORIGIN.test(origin) || allowedOrigins.includes(origin.toLowerCase())) {
      return next();
    }
    refuse(res, 403, `Origin ${origin} is not allowed (MCP_ALLOWED_ORIGINS lists the allowed ones)`);
  };
}

/** Bearer authentication against the one configured token, compared in constant time. */
export function requireToken(token: string): RequestHandler {
  return requireBearerAuth({
    verifier: {
      async verifyAccessToken(given) {
        if (!isOneOfSecrets(given, [token])) throw new InvalidTokenError('Invalid bearer token');
        // A static token has no expiry, but the SDK refuses auth info without one: it is valid for this request.
        return {
          token: `sha256:${hashToken(given)}`,
          clientId: 'mcp-auth-token',
          scopes: [],
          expiresAt: Math.floor(Date.now() / 1000) + 60,
        };
      },
    },
  });
}

/**
 * JSON bodies up to `maxBytes`, whatever their content type (a body the JSON parser skipped would be read again,
 * uncapped, by the transport). A bigger body is answered 413 before it is read in full.
 */
export function readJsonBody(maxBytes: number): RequestHandler {
  return express.json({ limit: maxBytes, type: () => true });
}

/** Body-parser failures as JSON-RPC errors instead of Express's HTML page. */
export function bodyErrors(maxBytes: number) {
  return (error: { type?: string; status?: number }, _req: Request, res: Response, next: NextFunction) => {
    if (res.headersSent) return next(error);
    if (error.type === 'entity.too.large') {
      return refuse(res, 413, `Request body too large: at most ${maxBytes} bytes (MCP_MAX_REQUEST_BYTES)`, -32600);
    }
    if (error.type === 'entity.parse.failed') return refuse(res, 400, 'Parse error: the body is not JSON', -32700);
    if (typeof error.status === 'number' && error.status >= 400 && error.status < 500) {
      return refuse(res, error.status, 'Invalid request body', -32600);
    }
    next(error);
  };
}

/**
 * At most `max` JSON-RPC messages in flight per client; a slot is freed when its response closes, which for a long
 * tool call streaming progress is minutes later. The client is the remote address: every caller shares the one
 * bearer token, so the token cannot tell them apart (and a forwarded-for header could be forged).
 */
export function limitConcurrentCalls(max: number): RequestHandler {
  const inFlight = new Map<string, number>();
  return (req, res, next) => {
    const client = req.socket.remoteAddress ?? 'unknown';
    // A JSON-RPC batch is as many calls as it holds messages.
    const weight = Array.isArray(req.body) ? Math.max(req.body.length, 1) : 1;
    const held = inFlight.get(client) ?? 0;
    if (held + weight > max) {
      res.set('retry-after', '1');
      return refuse(
        res,
        429,
        `Too many calls in flight from this client: at most ${max} at a time (MCP_MAX_CONCURRENT_CALLS_PER_CLIENT); retry when one has finished`,
      );
    }
    inFlight.set(client, held + weight);
    let released = false;
    // 'finish' comes before the client can read the end of the answer; 'close' covers a client that went away.
    const release = () => {
      if (released) return;
      released = true;
      const left = (inFlight.get(client) ?? weight) - weight;
      if (left > 0) inFlight.set(client, left);
      else inFlight.delete(client);
    };
    res.once('finish', release);
    res.once('close', release);
    next();
  };
}
