import { throttling } from '@octokit/plugin-throttling';
import { Octokit } from '@octokit/rest';
import { MalformedGitHubResponse } from './errors.js';

const GitHubOctokit = Octokit.plugin(throttling);
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

const DEFAULT_REQUEST_TIMEOUT_MS = 30_000;

/** Octokit, or a proxy in front of GitHub, can hand back a JSON answer cut short as a string. */
function isCutJson(response: { headers: Record<string, unknown>; data: unknown }): boolean {
  return (
    typeof response.data === 'string' &&
    response.data.length > 0 &&
    /json/i.test(String(response.headers['content-type'] ?? ''))
  );
}

/**
 * Octokit never retries: every GitHub call is retried by one layer, the activity's Temporal retry policy, which
 * waits as long as GitHub asked (activities/github/errors.ts). The throttling plugin stays for its queues only (one
 * write at a time, a second apart, as GitHub's guidance for avoiding secondary rate limits asks).
 */
export function createGitHubClient(options: GitHubClientOptions): GitHubRepo {
  const timeoutMs = options.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS;
  const octokit = new GitHubOctokit({
    auth: options.token,
    baseUrl: options.apiUrl,
    userAgent: 'deploy-orchestrator',
    request: {
      fetch: async (input: string | URL | Request, init?: RequestInit) => {
        try {
          return await fetch(input, { ...init, signal: init?.signal ?? AbortSignal.timeout(timeoutMs) });
        } catch (error) {
          // Octokit turns this into a status-less RequestError carrying our message.
          if (error instanceof Error && error.name === 'TimeoutError') {
            throw new Error(`no answer within ${timeoutMs / 1000}s`, { cause: error });
          }
          throw error;
        }
      },
    },
    throttle: { onRateLimit: () => false, onSecondaryRateLimit: () => false },
    log: { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} },
  });
  octokit.hook.after('request', (response, request) => {
    if (isCutJson(response)) {
      throw new MalformedGitHubResponse(
        `${request.method} ${new URL(response.url).pathname} answered ${response.status} with JSON that does not parse (${String(response.data).length} characters)`,
      );
    }
  });
  return { octokit, owner: options.owner, repo: options.repo };
}
