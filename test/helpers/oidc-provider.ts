// A real OpenID provider (the certified `oidc-provider` package) on loopback, issuing real JWT access tokens with
// resource indicators (RFC 8707): through the client credentials grant (one client per test person), and through
// authorization code with PKCE for clients that register themselves (RFC 7591), where the one part a person would do
// in a browser, the login and consent pages, is answered headlessly for the person the browser names.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair } from 'jose';
import Provider from 'oidc-provider';

export interface TestPerson {
  clientId: string;
  clientSecret: string;
  /** The resource-server scopes this person's tokens may carry. */
  scopes: string;
  email: string;
  groups: string[];
  /** Lifetime of their access tokens (seconds). */
  ttl?: number;
}

const ALL = 'deployments:read deployments:write deployments:approve';

export const PEOPLE = {
  alice: {
    clientId: 'alice',
    clientSecret: 'alice-secret-0123456789',
    scopes: ALL,
    email: 'alice@example.com',
    groups: ['release-managers'],
  },
  bob: {
    clientId: 'bob',
    clientSecret: 'bob-secret-0123456789',
    scopes: ALL,
    email: 'bob@example.com',
    groups: ['release-managers'],
  },
  carol: {
    clientId: 'carol',
    clientSecret: 'carol-secret-0123456789',
    scopes: 'deployments:read',
    email: 'carol@example.com',
    groups: [],
  },
  dave: {
    clientId: 'dave',
    clientSecret: 'dave-secret-0123456789',
    scopes: ALL,
    email: 'dave@example.com',
    groups: ['developers'],
  },
  brief: {
    clientId: 'brief',
    clientSecret: 'brief-secret-0123456789',
    scopes: ALL,
    email: 'brief@example.com',
    groups: [],
    ttl: 1,
  },
} satisfies Record<string, TestPerson>;

const byClientId = new Map<string, TestPerson>(Object.values(PEOPLE).map((person) => [person.clientId, person]));

/** The header the headless browser names the signing-in person with (its login page, answered without a form). */
export const SIGN_IN_AS_HEADER = 'x-test-sign-in-as';

/**
 * The login and consent pages: the person named by the browser signs in and grants the client what it asked for
 * the resource it asked for (the scopes that person's account may have).
 */
async function finishInteraction(provider: Provider, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const details = await provider.interactionDetails(req, res);
  if (details.prompt.name === 'login') {
    const accountId = String(req.headers[SIGN_IN_AS_HEADER] ?? '');
    if (!byClientId.has(accountId)) throw new Error(`no test person ${accountId}`);
    await provider.interactionFinished(req, res, { login: { accountId } }, { mergeWithLastSubmission: false });
    return;
  }
  const accountId = String(details.session?.accountId);
  const clientId = String(details.params.client_id);
  const grant = new provider.Grant({ accountId, clientId });
  const resource = String(details.params.resource);
  const allowed = new Set(byClientId.get(accountId)?.scopes.split(' '));
  const asked = String(details.params.scope ?? '').split(' ');
  // The gateway's scopes are among the provider's own (so clients may register with them): granted both as the
  // provider's scopes and for the resource, whose access token carries them.
  const granted = asked.filter((scope) => allowed.has(scope) || scope === 'openid').join(' ');
  grant.addOIDCScope(granted);
  grant.addResourceScope(resource, granted);
  const grantId = await grant.save();
  await provider.interactionFinished(req, res, { consent: { grantId } }, { mergeWithLastSubmission: true });
}

export interface TestIdentityProvider {
  issuer: string;
  tokenEndpoint: string;
  /** A token from the client credentials grant, for `resource`, as a client posting the form itself gets it. */
  token(person: TestPerson, resource: string, scope?: string): Promise<string>;
  close(): Promise<void>;
}

export async function startIdentityProvider(): Promise<TestIdentityProvider> {
  const { privateKey } = await generateKeyPair('RS256', { extractable: true });
  const signingKey = { ...(await exportJWK(privateKey)), kid: 'test-signing-key', alg: 'RS256', use: 'sig' };
  // The issuer must be known before the provider exists: listen first, then hand the provider the requests.
  let handle: ((req: IncomingMessage, res: ServerResponse) => void) | undefined;
  const server = createServer((req, res) => handle?.(req, res));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const provider = new Provider(issuer, {
    jwks: { keys: [signingKey as never] },
    // Clients that register themselves may ask for the gateway's scopes.
    scopes: ['openid', 'offline_access', ...ALL.split(' ')],
    clients: Object.values(PEOPLE).map((person) => ({
      client_id: person.clientId,
      client_secret: person.clientSecret,
      grant_types: ['client_credentials'],
      redirect_uris: [],
      response_types: [],
    })),
    features: {
      devInteractions: { enabled: false },
      clientCredentials: { enabled: true },
      // MCP clients register themselves, as Claude, VS Code and Cursor do.
      registration: { enabled: true },
      resourceIndicators: {
        enabled: true,
        // Any resource may be asked for, so a token for another audience is a real one.
        getResourceServerInfo: (_ctx, resourceIndicator, client) => {
          const person = byClientId.get(client.clientId);
          // A person's own client may carry their scopes; a client that registered itself, what the person granted.
          return {
            scope: person?.scopes ?? ALL,
            audience: resourceIndicator,
            accessTokenTTL: person?.ttl ?? 600,
            accessTokenFormat: 'jwt',
            jwt: { sign: { alg: 'RS256' } },
          };
        },
      },
    },
    extraTokenClaims: (_ctx, token) => {
      // A signed-in person's token names their account; a client-credentials token, its client.
      const person = byClientId.get(('accountId' in token ? token.accountId : undefined) ?? token.clientId ?? '');
      return person ? { email: person.email, groups: person.groups } : undefined;
    },
    findAccount: (_ctx, sub) => ({ accountId: sub, claims: () => ({ sub }) }),
  });
  const oidc = provider.callback();
  handle = (req, res) => {
    if (req.url?.startsWith('/interaction/')) {
      void finishInteraction(provider, req, res).catch((error: unknown) => {
        res.statusCode = 500;
        res.end(String(error));
      });
      return;
    }
    oidc(req, res);
  };
  const tokenEndpoint = `${issuer}/token`;
  return {
    issuer,
    tokenEndpoint,
    async token(person, resource, scope = person.scopes) {
      const response = await fetch(tokenEndpoint, {
        method: 'POST',
        headers: {
          authorization: `Basic ${Buffer.from(`${person.clientId}:${person.clientSecret}`).toString('base64')}`,
          'content-type': 'application/x-www-form-urlencoded',
        },
        body: new URLSearchParams({ grant_type: 'client_credentials', scope, resource }),
      });
      const body = (await response.json()) as { access_token?: string };
      if (!response.ok || !body.access_token) throw new Error(`token request failed: ${JSON.stringify(body)}`);
      return body.access_token;
    },
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
