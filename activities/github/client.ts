import { retry } from '@octokit/plugin-retry';
import { throttling } from '@octokit/plugin-throttling';
import { Octokit } from '@octokit/rest';

const GitHubOctokit = Octokit.plugin(throttling, retry);
export type GitHubOctokit = InstanceType<typeof GitHubOctokit>;

/** One repository on one GitHub (github.com, an Enterprise server, or the sandbox: only the URL differs). */
export interface GitHubRepo {
  octokit: GitHubOctokit;
  owner: string;
  repo: string;
}

export interface GitHubClientOptions {
  token: string;
  apiUrl: string;
  owner: string;
  repo: string;
  /** A request that hangs must fail so the activity can be retried, not hold a worker slot forever. */
  requestTimeoutMs?: number;
}

// Octokit retries inside one attempt: a brief 5xx twice, a rate limit once when GitHub asks for at most a minute.
// Anything longer escapes to the activity, whose Temporal retry policy waits with the delay GitHub asked for.
const IN_REQUEST_RETRIES = 2;
const LONGEST_IN_REQUEST_WAIT_SECONDS = 60;

/**
 * Per-request option for writes (a deployment record, a dispatch): no in-request retry, since a lost answer to a
 * retried POST could record or deploy twice. The activity's own retry first looks for what it already made.
 */
export const NO_IN_REQUEST_RETRY = { request: { retries: 0 } };

export function createGitHubClient(options: GitHubClientOptions): GitHubRepo {
  const timeoutMs = options.requestTimeoutMs ?? 30_000;
  const retryOnceIfShort = (retryAfter: number, _options: unknown, _octokit: unknown, retryCount: number) =>
    retryCount < 1 && retryAfter <= LONGEST_IN_REQUEST_WAIT_SECONDS;
  const octokit = new GitHubOctokit({
    auth: options.token,
    baseUrl: options.apiUrl,
    userAgent: 'deploy-orchestrator',
    request: {
      fetch: (input: string | URL | Request, init?: RequestInit) =>
        fetch(input, { ...init, signal: init?.signal ?? AbortSignal.timeout(timeoutMs) }),
    },
    retry: { retries: IN_REQUEST_RETRIES },
    throttle: { onRateLimit: retryOnceIfShort, onSecondaryRateLimit: retryOnceIfShort },
    log: { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} },
  });
  return { octokit, owner: options.owner, repo: options.repo };
}
