import { Octokit } from '@octokit/rest';
import type { Sandbox } from '../../sandbox/start-sandbox.js';

/** One call of the sandbox's documented control API, answered as is (for tests of the control API itself). */
export function controlRequest(sandbox: Sandbox, method: string, path: string, body?: unknown): Promise<Response> {
  return fetch(`${sandbox.controlUrl}${path}`, {
    method,
    headers: { 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
}

/** Steers the sandbox through its control API, as a demo or a person would; a refused call is an error. */
export async function steer(sandbox: Sandbox, method: string, path: string, body?: unknown): Promise<unknown> {
  const response = await controlRequest(sandbox, method, path, body);
  const text = await response.text();
  if (!response.ok) throw new Error(`sandbox control ${method} ${path}: ${response.status} ${text}`);
  return text ? JSON.parse(text) : null;
}

export interface LoggedRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  /** Null while the request is still unanswered. */
  status: number | null;
}

export async function githubRequests(sandbox: Sandbox): Promise<LoggedRequest[]> {
  return (await steer(sandbox, 'GET', '/requests')) as LoggedRequest[];
}

export const SANDBOX_REPO = { owner: 'sandbox-org', repo: 'scheduler' };

// Octokit logs every error answer; the sandbox tests provoke many on purpose.
const quiet = { debug() {}, info() {}, warn() {}, error() {} };

/** A plain Octokit (no retry or throttling plugins) on the sandbox, to test the sandbox's own answers. */
export function sandboxOctokit(sandbox: Pick<Sandbox, 'githubApiUrl' | 'token'>, token = sandbox.token): Octokit {
  return new Octokit({ auth: token, baseUrl: sandbox.githubApiUrl, log: quiet });
}
