// Which OAuth scope each tool needs. Scopes are per tool, so the gateway checks them per tools/call.

export const SCOPES = {
  read: 'deployments:read',
  write: 'deployments:write',
  approve: 'deployments:approve',
} as const;

export const ALL_SCOPES: readonly string[] = Object.values(SCOPES);

/** Every tool the gateway serves, with its scope; a tool missing here is refused (the unit test holds them equal). */
export const TOOL_SCOPES: Readonly<Record<string, string>> = {
  validate_deployment: SCOPES.read,
  run_security_scan: SCOPES.read,
  run_smoke_tests: SCOPES.read,
  get_deployment_status: SCOPES.read,
  list_deployments: SCOPES.read,
  get_deployment_metrics: SCOPES.read,
  deploy_to_staging: SCOPES.write,
  promote_to_production: SCOPES.write,
  rollback_deployment: SCOPES.write,
  reject_deployment: SCOPES.write,
  approve_deployment: SCOPES.approve,
};

/** The scope a tools/call of `tool` needs; an unknown tool needs every scope, so no new tool slips through unguarded. */
export function scopeForTool(tool: string): string {
  return TOOL_SCOPES[tool] ?? ALL_SCOPES.join(' ');
}

/**
 * The scope an MCP request needs, or null when it needs none beyond a valid token (initialize, ping, the lists).
 * Resources and their completions carry the same deployment state the read tools return, so they need the same scope.
 */
export function scopeForRequest(method: unknown, tool: unknown): string | null {
  if (method === 'tools/call') return typeof tool === 'string' ? scopeForTool(tool) : null;
  if (method === 'resources/read' || method === 'completion/complete') return SCOPES.read;
  return null;
}
