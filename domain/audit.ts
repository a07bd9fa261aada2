import type { Environment } from './environment.js';

/** One line of the audit log, with the contract's fields; `user` is a token hash or 'system', never a token. */
export interface AuditEntry {
  timestamp: string;
  operation: string;
  user: string;
  environment: Environment | null;
  success: boolean;
  dry_run: boolean;
  details: Record<string, unknown>;
}

export const DEFAULT_AUDIT_LOG = '/var/log/scheduler/deployments.log';

/** Who a request came from when no token vouched for it, the product's own automatic rollbacks included. */
export const SYSTEM_USER = 'system';

/** The memo key a read-only tool's run carries the signed-in caller's label under, for its audit line. */
export const REQUESTED_BY_MEMO = 'requested_by';
