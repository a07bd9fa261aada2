// The HTTP gateway as an OAuth 2.1 resource server: its settings, parsed with the rest of the HTTP gateway's
// (domain/config.ts spreads these variables into its schema). None set: no identity provider, today's behaviour.
import { z } from 'zod';

const commaList = z
  .string()
  .optional()
  .transform((value) =>
    (value ?? '')
      .split(',')
      .map((item) => item.trim())
      .filter((item) => item.length > 0),
  );

export const oauthEnv = {
  /** The authorization server's issuer URL; setting it turns the resource server on. */
  MCP_OAUTH_ISSUER: z.url({ protocol: /^https?$/ }).optional(),
  /** This gateway's MCP endpoint as clients reach it (https://deploy.example.com/mcp): the RFC 8707 resource. */
  MCP_OAUTH_RESOURCE: z.url({ protocol: /^https?$/ }).optional(),
  /** Audiences accepted in tokens (comma-separated); default: the resource URL. Entra ID puts its app id here. */
  MCP_OAUTH_AUDIENCE: commaList,
  /** Where the issuer's signing keys are; default: the jwks_uri of the issuer's discovery document. */
  MCP_OAUTH_JWKS_URL: z.url({ protocol: /^https?$/ }).optional(),
  /** Claims read, in order, for a person's display name (the first one present wins). */
  MCP_OAUTH_NAME_CLAIMS: commaList,
  /** Four-eyes for production promotions: on unless `false`. */
  MCP_OAUTH_FOUR_EYES: z.enum(['true', 'false']).default('true'),
  /** The group/role claim approvers are limited by, and the values allowed (empty: anyone with deployments:approve). */
  MCP_OAUTH_APPROVER_CLAIM: z.string().min(1).default('groups'),
  MCP_OAUTH_APPROVER_GROUPS: commaList,
};

type OAuthEnv = z.infer<z.ZodObject<typeof oauthEnv>>;

export interface OAuthSettings {
  issuer: string;
  resource: string;
  audiences: string[];
  jwksUrl: string | undefined;
  nameClaims: string[];
  fourEyes: boolean;
  approverClaim: string;
  approverGroups: string[];
}

/** What is wrong with the OAuth variables as a whole (each one alone was parsed already). */
export function oauthProblems(parsed: OAuthEnv): string[] {
  const set = (['MCP_OAUTH_RESOURCE', 'MCP_OAUTH_JWKS_URL'] as const).filter((name) => parsed[name] !== undefined);
  if (parsed.MCP_OAUTH_ISSUER === undefined) {
    return set.map((name) => `${name} is set but MCP_OAUTH_ISSUER is not: set the identity provider's issuer URL too`);
  }
  if (parsed.MCP_OAUTH_RESOURCE === undefined) {
    return [
      'MCP_OAUTH_ISSUER is set, so MCP_OAUTH_RESOURCE must be too: the URL clients use for this gateway, e.g. https://deploy.example.com/mcp (tokens must be issued for it)',
    ];
  }
  return [];
}

export function oauthSettings(parsed: OAuthEnv): OAuthSettings | undefined {
  if (parsed.MCP_OAUTH_ISSUER === undefined || parsed.MCP_OAUTH_RESOURCE === undefined) return undefined;
  const resource = parsed.MCP_OAUTH_RESOURCE;
  return {
    issuer: parsed.MCP_OAUTH_ISSUER,
    resource,
    audiences: parsed.MCP_OAUTH_AUDIENCE.length > 0 ? parsed.MCP_OAUTH_AUDIENCE : [resource],
    jwksUrl: parsed.MCP_OAUTH_JWKS_URL,
    nameClaims:
      parsed.MCP_OAUTH_NAME_CLAIMS.length > 0 ? parsed.MCP_OAUTH_NAME_CLAIMS : ['email', 'preferred_username', 'name'],
    fourEyes: parsed.MCP_OAUTH_FOUR_EYES === 'true',
    approverClaim: parsed.MCP_OAUTH_APPROVER_CLAIM,
    approverGroups: parsed.MCP_OAUTH_APPROVER_GROUPS,
  };
}
