import type { Sandbox } from '../../sandbox/start-sandbox.js';

/** Steers the sandbox through its documented control API, as a demo or a person would. */
export async function steer(sandbox: Sandbox, method: string, path: string, body?: unknown): Promise<unknown> {
  const response = await fetch(`${sandbox.controlUrl}${path}`, {
    method,
    headers: { 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`sandbox control ${method} ${path}: ${response.status} ${text}`);
  return text ? JSON.parse(text) : null;
}

export interface LoggedRequest {
  method: string;
  path: string;
  status: number;
}

export async function githubRequests(sandbox: Sandbox): Promise<LoggedRequest[]> {
  return (await steer(sandbox, 'GET', '/requests')) as LoggedRequest[];
}
