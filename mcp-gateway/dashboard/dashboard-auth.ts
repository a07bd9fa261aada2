import { randomBytes } from 'node:crypto';
import express, { type RequestHandler, type Router } from 'express';
import { isOneOfSecrets } from '../../domain/secret-match.js';

const COOKIE = 'dashboard_session';
const SESSION_MS = 8 * 60 * 60 * 1000;

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);
}

function loginPage(error: string | null): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Deployments: sign in</title></head>
<body style="font-family: system-ui, sans-serif; max-width: 28rem; margin: 4rem auto">
<h1>Deployments dashboard</h1>
<p>This gateway requires its bearer token (<code>MCP_AUTH_TOKEN</code>).</p>
${error ? `<p role="alert" style="color: #b00020">${escapeHtml(error)}</p>` : ''}
<form method="post" action="/dashboard/login">
<label>Token <input type="password" name="token" autocomplete="current-password" required style="width: 100%"></label>
<p><button type="submit">Sign in</button></p>
</form></body></html>`;
}

function sessionOf(cookieHeader: string | undefined): string | null {
  for (const part of (cookieHeader ?? '').split(';')) {
    const [name, value] = part.trim().split('=');
    if (name === COOKIE && value) return value;
  }
  return null;
}

/**
 * The dashboard's sign-in when the gateway has MCP_AUTH_TOKEN: a form takes the token once (checked in constant time)
 * and keeps a random session id in an HttpOnly, SameSite=Strict cookie scoped to /dashboard; the token itself is
 * never stored in the browser. Sessions live in this gateway process for 8 hours. A client may also send the token as
 * `Authorization: Bearer`. Kept apart from /mcp's authentication so the two can be combined later (OAuth).
 */
export function dashboardAuth(token: string): { routes: Router; require: RequestHandler } {
  const sessions = new Map<string, number>();
  const routes = express.Router();
  routes.get('/login', (_req, res) => {
    res.type('html').send(loginPage(null));
  });
  routes.post('/login', express.urlencoded({ extended: false, limit: 4096 }), (req, res) => {
    const given = typeof req.body?.token === 'string' ? req.body.token : '';
    if (!isOneOfSecrets(given, [token])) {
      res.status(401).type('html').send(loginPage('That token is not the gateway token.'));
      return;
    }
    const id = randomBytes(32).toString('base64url');
    sessions.set(id, Date.now() + SESSION_MS);
    res.cookie(COOKIE, id, { httpOnly: true, sameSite: 'strict', path: '/dashboard', maxAge: SESSION_MS });
    res.redirect(303, '/dashboard');
  });
  const require: RequestHandler = (req, res, next) => {
    const bearer = req.headers.authorization?.match(/^Bearer (.+)$/)?.[1];
    if (bearer && isOneOfSecrets(bearer, [token])) return next();
    const id = sessionOf(req.headers.cookie);
    const expires = id ? sessions.get(id) : undefined;
    if (id && expires && expires > Date.now()) return next();
    if (id) sessions.delete(id);
    if (req.path.startsWith('/api/')) res.status(401).json({ error: 'sign in at /dashboard/login' });
    else res.redirect(303, '/dashboard/login');
  };
  return { routes, require };
}
