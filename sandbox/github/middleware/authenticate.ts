import { randomBytes } from 'node:crypto';
import type { RequestHandler } from 'express';
import type { SandboxState } from '../../sandbox-state.js';
import { REST_DOCS, sendGitHubError } from '../errors.js';
import { DEVELOPER } from '../payloads/users.js';
import { rateLimitHeaders } from '../rate-limit.js';

const BEARER = /^(?:token|bearer)\s+(\S+)$/i;
export const RATE_LIMIT_DOCS = 'https://docs.github.com/rest/overview/rate-limits-for-the-rest-api';

/** GitHub's request id format: five colon-separated hex groups. */
function requestId(): string {
  const hex = randomBytes(14).toString('hex').toUpperCase();
  return [hex.slice(0, 4), hex.slice(4, 10), hex.slice(10, 17), hex.slice(17, 24), hex.slice(24, 28)].join(':');
}

/**
 * Checks the token and meters the request against the primary rate limit, setting the headers GitHub
 * sends on every answer. Requests without the sandbox token draw on the anonymous quota, as on GitHub.
 */
export function authenticate(state: SandboxState, token: string): RequestHandler {
  return (req, res, next) => {
    const id = requestId();
    res.setHeader('x-github-request-id', id);
    res.setHeader('x-github-api-version-selected', '2022-11-28');
    res.setHeader('x-github-media-type', 'github.v3; format=json');
    const authorized = BEARER.exec(req.get('authorization') ?? '')?.[1] === token;
    const { rateLimits } = state.world;
    const { allowed, snapshot } = (authorized ? rateLimits.authenticated : rateLimits.anonymous).consume(new Date());
    res.set(rateLimitHeaders(snapshot));
    if (!authorized) {
      sendGitHubError(res, 401, 'Bad credentials', REST_DOCS);
    } else if (!allowed) {
      sendGitHubError(res, 403, primaryRateLimitMessage(id), RATE_LIMIT_DOCS);
    } else {
      next();
    }
  };
}

export function primaryRateLimitMessage(id: string): string {
  return (
    `API rate limit exceeded for user ID ${DEVELOPER.id}. If you reach out to GitHub Support for help, ` +
    `please include the request ID ${id} and timestamp ${new Date()
      .toISOString()
      .replace('T', ' ')
      .replace(/\.\d+Z$/, ' UTC')}.`
  );
}
