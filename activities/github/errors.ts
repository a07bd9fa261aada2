import { Context } from '@temporalio/activity';
import { ApplicationFailure } from '@temporalio/common';

interface HttpError {
  status: number;
  message: string;
  request?: { method?: string; url?: string };
  response?: { headers: Record<string, string | number | undefined>; data?: unknown };
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

/** A 2xx whose JSON body does not parse (a proxy or load balancer cut it short). */
export class MalformedGitHubResponse extends Error {
  override name = 'MalformedGitHubResponse';
}

function header(error: HttpError, name: string): string | undefined {
  const value = error.response?.headers[name];
  return value === undefined ? undefined : String(value);
}

export interface RateLimit {
  kind: 'primary' | 'secondary';
  /** Seconds GitHub asked us to wait. */
  waitSeconds: number;
}

/**
 * GitHub's rate-limit answers (docs: "Rate limits for the REST API"): a primary limit is a 403 or 429 with
 * `x-ratelimit-remaining: 0` and the window's end in `x-ratelimit-reset`; a secondary limit is a 403 or 429 with
 * `retry-after`, or a 429 without it (wait at least a minute). A 403 without these is a missing permission.
 */
export function rateLimitOf(error: unknown, nowMs = Date.now()): RateLimit | null {
  if (!isHttpError(error) || (error.status !== 403 && error.status !== 429) || !error.response) return null;
  const retryAfter = Number(header(error, 'retry-after'));
  if (header(error, 'retry-after') !== undefined && Number.isFinite(retryAfter)) {
    return { kind: header(error, 'x-ratelimit-remaining') === '0' ? 'primary' : 'secondary', waitSeconds: retryAfter };
  }
  if (header(error, 'x-ratelimit-remaining') === '0') {
    const reset = Number(header(error, 'x-ratelimit-reset'));
    return { kind: 'primary', waitSeconds: Number.isFinite(reset) ? Math.max(1, Math.ceil(reset - nowMs / 1000)) : 60 };
  }
  return error.status === 429 ? { kind: 'secondary', waitSeconds: 60 } : null;
}

export const GITHUB_FAILURE_TYPES = {
  auth: 'GitHubAuthenticationError',
  permission: 'GitHubPermissionError',
  notFound: 'GitHubNotFoundError',
  refused: 'GitHubRequestRefused',
  rateLimited: 'GitHubRateLimited',
  serverError: 'GitHubServerError',
  unreachable: 'GitHubUnreachable',
  malformed: 'GitHubMalformedResponse',
} as const;

/** Where the call happens, for the decisions that depend on it (tests set these; activities read their context). */
export interface FailureContext {
  nowMs?: number;
  /** How long the activity may still wait before its schedule-to-close timeout; null when unbounded or unknown. */
  budgetLeftMs?: number | null;
  /** Added to GitHub's delay so that many workers do not come back at the same second. */
  jitterMs?: number;
  /** What to check when GitHub answers 404 (the default names GITHUB_REPOSITORY). */
  notFoundFix?: string;
}

function activityBudgetLeftMs(): number | null {
  let info: Context['info'];
  try {
    info = Context.current().info;
  } catch {
    return null; // called outside an activity (a script or a test): nothing bounds the wait
  }
  if (!info.scheduleToCloseTimeoutMs) return null;
  // Server timestamps only: the worker's clock may differ from the server's (and the test server skips time).
  // The current attempt's own running time is left out: seconds, against a budget of minutes.
  return info.scheduleToCloseTimeoutMs - (info.currentAttemptScheduledTimestampMs - info.scheduledTimestampMs);
}

/** GitHub's own words, without the documentation link Octokit appends. */
function githubMessage(error: HttpError): string {
  const data = error.response?.data as { message?: unknown } | undefined;
  return typeof data?.message === 'string' ? data.message : error.message;
}

function requestLine(error: HttpError): string {
  const { method, url } = error.request ?? {};
  if (!method || !url) return '';
  return ` for ${method} ${URL.canParse(url) ? new URL(url).pathname : url}`;
}

const MAX_JITTER_MS = 1000;

function rateLimitFailure(limit: RateLimit, what: string, context: FailureContext): ApplicationFailure {
  const nowMs = context.nowMs ?? Date.now();
  const waitMs = limit.waitSeconds * 1000 + (context.jitterMs ?? Math.floor(Math.random() * MAX_JITTER_MS));
  const which =
    limit.kind === 'primary' ? "the token's hourly API quota is used up" : 'a secondary rate limit (too many requests)';
  const budgetLeftMs = context.budgetLeftMs === undefined ? activityBudgetLeftMs() : context.budgetLeftMs;
  if (budgetLeftMs !== null && waitMs > budgetLeftMs) {
    const until = new Date(nowMs + limit.waitSeconds * 1000).toISOString();
    return ApplicationFailure.nonRetryable(
      `GitHub rate limit while ${what}: ${which}, and GitHub asks to wait ${limit.waitSeconds}s (until ${until}), longer than this step may wait. Try again after ${until}, or give GITHUB_TOKEN a higher limit (a GitHub App installation token)`,
      GITHUB_FAILURE_TYPES.rateLimited,
    );
  }
  return ApplicationFailure.create({
    message: `GitHub rate limit while ${what}: ${which}; retrying in ${limit.waitSeconds}s, as GitHub asked`,
    type: GITHUB_FAILURE_TYPES.rateLimited,
    nextRetryDelay: `${waitMs}ms`,
  });
}

/**
 * Turns any failure of a GitHub call into what Temporal should do with it; Temporal's retry policy is the only layer
 * that retries. What will not fix itself (credentials, permissions, a missing repository or file, a refused request)
 * fails at once, naming the fix. A rate limit retries after GitHub's delay, or fails at once when that delay is longer
 * than the activity may wait. Server errors, timeouts, unreachable hosts and cut-short answers retry with the policy's
 * backoff.
 */
export function toActivityFailure(error: unknown, what: string, context: FailureContext = {}): unknown {
  if (error instanceof MalformedGitHubResponse) {
    return ApplicationFailure.retryable(
      `GitHub's answer was cut short while ${what}: ${error.message}`,
      GITHUB_FAILURE_TYPES.malformed,
    );
  }
  if (!isHttpError(error)) return error;
  if (!error.response) {
    // Octokit reports a timeout or a network failure as a status-500 error without an answer.
    return ApplicationFailure.retryable(
      `GitHub could not be reached while ${what}${requestLine(error)}: ${error.message}`,
      GITHUB_FAILURE_TYPES.unreachable,
    );
  }
  const limit = rateLimitOf(error, context.nowMs);
  if (limit) return rateLimitFailure(limit, what, context);
  const answered = `${error.status}: ${githubMessage(error)}`;
  if (error.status === 401) {
    return ApplicationFailure.nonRetryable(
      `GitHub rejected the credentials while ${what} (401 Bad credentials). Set GITHUB_TOKEN to a valid token`,
      GITHUB_FAILURE_TYPES.auth,
    );
  }
  if (error.status === 403) {
    return ApplicationFailure.nonRetryable(
      `GitHub refused access while ${what} (${answered}). Give GITHUB_TOKEN the permissions actions:write, contents:read, deployments:write, checks:read, statuses:read, environments:read and the security alerts' read (README: The GitHub token)`,
      GITHUB_FAILURE_TYPES.permission,
    );
  }
  if (error.status === 404) {
    return ApplicationFailure.nonRetryable(
      `GitHub answered 404 Not Found${requestLine(error)} while ${what}. ${context.notFoundFix ?? 'Check GITHUB_REPOSITORY and that GITHUB_TOKEN can see the repository'}`,
      GITHUB_FAILURE_TYPES.notFound,
    );
  }
  if (error.status >= 500) {
    return ApplicationFailure.retryable(
      `GitHub answered ${answered}${requestLine(error)} while ${what}`,
      GITHUB_FAILURE_TYPES.serverError,
    );
  }
  return ApplicationFailure.nonRetryable(
    `GitHub refused the request while ${what} (${answered})`,
    GITHUB_FAILURE_TYPES.refused,
  );
}

/** Runs one GitHub call path of an activity, translating its failure for Temporal. */
export async function withGitHubErrors<T>(
  what: string,
  call: () => Promise<T>,
  context: FailureContext = {},
): Promise<T> {
  try {
    return await call();
  } catch (error) {
    throw toActivityFailure(error, what, context);
  }
}
