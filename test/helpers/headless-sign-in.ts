// An MCP client's interactive sign-in (authorization code with PKCE, dynamic client registration) without a
// browser: the SDK's own `auth()` drives it through this OAuthClientProvider, and a small cookie-keeping fetch loop
// stands in for the browser between the authorization request and the redirect back with the code.
import type { OAuthClientProvider } from '@modelcontextprotocol/sdk/client/auth.js';
import type { OAuthClientInformationMixed, OAuthTokens } from '@modelcontextprotocol/sdk/shared/auth.js';
import { SIGN_IN_AS_HEADER } from './oidc-provider.js';

// Login, consent, and the redirects between them: a handful; more means a loop.
const MAX_REDIRECTS = 10;

/** Follows the provider's redirects as a browser would, keeping its cookies, until it redirects to `redirectUrl`. */
async function browse(start: URL, person: string, redirectUrl: string): Promise<string> {
  const cookies = new Map<string, string>();
  let url = start;
  for (let hop = 0; hop < MAX_REDIRECTS; hop++) {
    const response = await fetch(url, {
      redirect: 'manual',
      headers: {
        cookie: [...cookies].map(([name, value]) => `${name}=${value}`).join('; '),
        [SIGN_IN_AS_HEADER]: person,
      },
    });
    for (const cookie of response.headers.getSetCookie()) {
      const [pair = ''] = cookie.split(';');
      const at = pair.indexOf('=');
      cookies.set(pair.slice(0, at), pair.slice(at + 1));
    }
    const location = response.headers.get('location');
    if (!location) throw new Error(`sign-in stopped at ${url} (${response.status}): ${await response.text()}`);
    url = new URL(location, url);
    if (url.href.startsWith(redirectUrl)) {
      const code = url.searchParams.get('code');
      if (!code) throw new Error(`sign-in refused: ${url.searchParams.get('error_description') ?? url.href}`);
      return code;
    }
  }
  throw new Error(`sign-in did not come back to ${redirectUrl} within ${MAX_REDIRECTS} redirects`);
}

export class HeadlessSignIn implements OAuthClientProvider {
  private information: OAuthClientInformationMixed | undefined;
  private saved: OAuthTokens | undefined;
  private verifier = '';
  /** The authorization code the provider redirected back with, for `transport.finishAuth`. */
  code: string | undefined;

  constructor(
    private readonly person: string,
    readonly redirectUrl = 'http://127.0.0.1/oauth/callback',
  ) {}

  get clientMetadata() {
    return {
      client_name: `e2e sign-in as ${this.person}`,
      redirect_uris: [this.redirectUrl],
      grant_types: ['authorization_code', 'refresh_token'],
      response_types: ['code'],
      token_endpoint_auth_method: 'none',
    };
  }

  clientInformation() {
    return this.information;
  }

  saveClientInformation(information: OAuthClientInformationMixed) {
    this.information = information;
  }

  tokens() {
    return this.saved;
  }

  saveTokens(tokens: OAuthTokens) {
    this.saved = tokens;
  }

  saveCodeVerifier(verifier: string) {
    this.verifier = verifier;
  }

  codeVerifier() {
    return this.verifier;
  }

  async redirectToAuthorization(authorizationUrl: URL) {
    this.code = await browse(authorizationUrl, this.person, this.redirectUrl);
  }
}
