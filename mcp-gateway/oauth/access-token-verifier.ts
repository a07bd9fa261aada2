// Verifies OAuth access tokens (JWTs) against the issuer's published keys: signature, issuer, audience (RFC 8707:
// issued for this gateway), expiry. Who the caller is comes from the verified claims only.
import { InvalidTokenError } from '@modelcontextprotocol/sdk/server/auth/errors.js';
import type { AuthInfo } from '@modelcontextprotocol/sdk/server/auth/types.js';
import { createRemoteJWKSet, errors, type JWTPayload, jwtVerify } from 'jose';
import { hashToken } from '../../domain/approval-token.js';
import type { CallerIdentity } from '../../domain/caller-identity.js';
import type { OAuthSettings } from '../../domain/oauth-config.js';

// Public-key algorithms only: a JWKS never holds a shared secret, and "none" or HS* must never verify.
const ALGORITHMS = ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'ES512', 'EdDSA'];
const DISCOVERY_TIMEOUT_MS = 10_000;

/** The identity provider could not be asked (discovery or keys unreachable): the gateway's trouble, not the caller's. */
export class IdentityProviderUnavailable extends Error {}

/** The issuer's jwks_uri, from its OpenID discovery document or else its RFC 8414 metadata. */
async function discoverJwksUrl(issuer: string): Promise<string> {
  const base = issuer.replace(/\/+$/, '');
  const { origin, pathname } = new URL(base);
  const candidates = [
    `${base}/.well-known/openid-configuration`,
    `${origin}/.well-known/oauth-authorization-server${pathname === '/' ? '' : pathname}`,
  ];
  for (const candidate of candidates) {
    const response = await fetch(candidate, { signal: AbortSignal.timeout(DISCOVERY_TIMEOUT_MS) }).catch(() => null);
    if (!response?.ok) continue;
    const document = (await response.json().catch(() => null)) as { jwks_uri?: unknown } | null;
    if (typeof document?.jwks_uri === 'string') return document.jwks_uri;
  }
  throw new IdentityProviderUnavailable(
    `The identity provider at ${issuer} publishes no jwks_uri (tried ${candidates.join(', ')}); set MCP_OAUTH_JWKS_URL`,
  );
}

function scopesOf(payload: JWTPayload): string[] {
  // `scope` (RFC 9068, Okta, Keycloak) is a space-separated string; Entra ID puts delegated scopes in `scp`.
  const claim = payload.scope ?? payload.scp;
  const values = Array.isArray(claim) ? claim : typeof claim === 'string' ? claim.split(' ') : [];
  return values.filter((value): value is string => typeof value === 'string' && value.length > 0);
}

function stringClaims(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  return Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : [];
}

export function identityFromClaims(payload: JWTPayload, settings: OAuthSettings): CallerIdentity {
  const name = settings.nameClaims.map((claim) => payload[claim]).find((value) => typeof value === 'string');
  return {
    via: 'oauth',
    subject: String(payload.sub),
    name: typeof name === 'string' ? name : null,
    groups: stringClaims(payload[settings.approverClaim]),
  };
}

/** Why a token was refused, in words a caller (and the audit log) can act on. */
function refusal(error: unknown): InvalidTokenError {
  if (error instanceof errors.JWTExpired) return new InvalidTokenError('Token has expired');
  if (error instanceof errors.JWTClaimValidationFailed) {
    if (error.claim === 'aud') return new InvalidTokenError('Token was not issued for this resource (audience)');
    if (error.claim === 'iss') return new InvalidTokenError('Token was issued by another issuer');
    return new InvalidTokenError(`Token claim ${error.claim} is invalid: ${error.reason}`);
  }
  if (error instanceof errors.JWSSignatureVerificationFailed || error instanceof errors.JWKSNoMatchingKey) {
    return new InvalidTokenError("Token signature does not verify against the issuer's keys");
  }
  if (error instanceof errors.JOSEAlgNotAllowed)
    return new InvalidTokenError('Token is signed with an algorithm not allowed');
  return new InvalidTokenError('Token is not a valid signed JWT');
}

export type AccessTokenVerifier = (token: string) => Promise<AuthInfo>;

/**
 * Keys are fetched on first use and cached by jose (refetched when a token names an unknown key id, so the
 * provider's key rotation needs no restart); a failed discovery is retried on the next request.
 */
export function createAccessTokenVerifier(settings: OAuthSettings): AccessTokenVerifier {
  let keys: Promise<ReturnType<typeof createRemoteJWKSet>> | undefined;
  const keySet = () => {
    keys ??= (settings.jwksUrl ? Promise.resolve(settings.jwksUrl) : discoverJwksUrl(settings.issuer)).then((url) =>
      createRemoteJWKSet(new URL(url)),
    );
    keys.catch(() => {
      keys = undefined;
    });
    return keys;
  };
  return async (token) => {
    const jwks = await keySet();
    const { payload } = await jwtVerify(token, jwks, {
      issuer: settings.issuer,
      audience: settings.audiences,
      algorithms: ALGORITHMS,
      requiredClaims: ['exp', 'sub'],
    }).catch((error: unknown) => {
      if (error instanceof errors.JWKSTimeout || (error instanceof Error && !(error instanceof errors.JOSEError))) {
        throw new IdentityProviderUnavailable(`The identity provider's keys could not be fetched: ${error.message}`);
      }
      throw refusal(error);
    });
    return {
      // The token itself stays out of everything downstream: its hash names it.
      token: `sha256:${hashToken(token)}`,
      clientId: typeof payload.client_id === 'string' ? payload.client_id : String(payload.azp ?? payload.sub),
      scopes: scopesOf(payload),
      expiresAt: payload.exp,
      resource: new URL(settings.resource),
      extra: { caller: identityFromClaims(payload, settings) },
    };
  };
}
