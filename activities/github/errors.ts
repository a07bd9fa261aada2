import { ApplicationFailure } from '@temporalio/common';

interface HttpError {
  status: number;
  message: string;
  response?: { headers: Record<string, string | number | undefined> };
}

export function isHttpError(error: unknown): error is HttpError {
  return typeof error === 'object' && error !== null && typeof (error as { status?: unknown }).status === 'number';
}

export function hasStatus(error: unknown, ...statuses: number[]): boolean {
  return isHttpError(error) && statuses.includes(error.status);
}

/** The call's answer, or null when GitHub answers one of `statuses` (a missing ref, file or environment). */
export async function nullWhenStatus<T>(call: Promise<T>, ...statuses: number[]): Promise<T | null> {
  try {
    return await call;
  } catch (error) {
    if (hasStatus(error, ...statuses)) return null;
    throw error;
  }
}

function header(error: HttpError, name: string): string | undefined {
  const value = error.response?.headers[name];
  return value === undefined ? undefined : String(value);
}

/** Seconds GitHub asked us to wait, when the error is a rate limit (primary or secondary). */
export function rateLimitWaitSeconds(error: HttpError, nowMs = Date.now()): number | null {
  const retryAfter = header(error, 'retry-after');
  if (retryAfter !== undefined && Number.isFinite(Number(retryAfter))) return Number(retryAfter);
  if (header(error, 'x-ratelimit-remaining') === '0') {
    const reset = Number(header(error, 'x-ratelimit-reset'));
    return Number.isFinite(reset) ? Math.max(1, Math.ceil(reset - nowMs / 1000)) : 60;
  }
  return error.status === 429 ? 60 : null;
}

export const GITHUB_FAILURE_TYPES = {
  auth: 'GitHubAuthenticationError',
  permission: 'GitHubPermissionError',
  notFound: 'GitHubNotFoundError',
  rateLimited: 'GitHubRateLimited',
} as const;

/**
 * Turns a GitHub error that escaped Octokit's own retries into what Temporal should do with it: credentials and
 * permissions will not fix themselves, so those fail at once with the fix; a rate limit retries after GitHub's delay;
 * anything else (5xx, network, timeouts) is rethrown for the activity's retry policy.
 */
export function toActivityFailure(error: unknown, what: string): unknown {
  if (!isHttpError(error)) return error;
  const wait = rateLimitWaitSeconds(error);
  if (wait !== null && (error.status === 403 || error.status === 429)) {
    return ApplicationFailure.create({
      message: `GitHub rate limit while ${what}; retrying in ${wait}s`,
      type: GITHUB_FAILURE_TYPES.rateLimited,
      nextRetryDelay: `${wait}s`,
    });
  }
  if (error.status === 401) {
    return ApplicationFailure.nonRetryable(
      `GitHub rejected the credentials while ${what} (401 Bad credentials). Set GITHUB_TOKEN to a valid token`,
      GITHUB_FAILURE_TYPES.auth,
    );
  }
  if (error.status === 403) {
    return ApplicationFailure.nonRetryable(
      `GitHub refused access while ${what} (403: ${error.message}). Give GITHUB_TOKEN the permissions actions:write, contents:read, deployments:write (and security events read for scans)`,
      GITHUB_FAILURE_TYPES.permission,
    );
  }
  if (error.status === 404) {
    return ApplicationFailure.nonRetryable(
      `GitHub answered 404 while ${what}. Check GITHUB_REPOSITORY and that the token can see the repository`,
      GITHUB_FAILURE_TYPES.notFound,
    );
  }
  return error;
}

/** Runs one GitHub call path of an activity, translating its failure for Temporal. */
export async function withGitHubErrors<T>(what: string, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    throw toActivityFailure(error, what);
  }
}
