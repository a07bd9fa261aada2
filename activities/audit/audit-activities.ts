import { Context } from '@temporalio/activity';
import { hashToken, INVALID_APPROVAL_TOKEN_MESSAGE } from '../../domain/approval-token.js';
import type { AuditEntry } from '../../domain/audit.js';
import { type CallerIdentity, identityLabel } from '../../domain/caller-identity.js';
import type { Environment } from '../../domain/environment.js';
import { isOneOfSecrets } from '../../domain/secret-match.js';
import type { AuditLog } from './audit-log.js';

export type AuditRecord = Omit<AuditEntry, 'timestamp'>;

export interface ApprovalAttempt {
  deploymentId: string;
  environment: Environment;
  token: string;
  approver: string | null;
  /** A signed-in approver (verified by the gateway); with `identityApprovals`, approves without a token. */
  identity?: CallerIdentity;
  identityApprovals?: boolean;
}

/** The key of the running activity: a retry of the same step has the same one, so it writes its line once. */
function stepKey(): string {
  const { workflowExecution, activityId } = Context.current().info;
  return workflowExecution ? `${workflowExecution.workflowId}/${workflowExecution.runId}/${activityId}` : activityId;
}

export function auditActivities(audit: AuditLog, adminTokens: readonly string[]) {
  return {
    async recordAudit(record: AuditRecord): Promise<void> {
      await audit.append({ timestamp: new Date().toISOString(), ...record }, stepKey());
    },

    /**
     * Checks an approval signal's token against DEPLOYMENT_ADMIN_TOKENS and audits the attempt, valid or not. Only
     * the token's hash leaves this activity. Without a token, a signed-in approver approves when the deployment's
     * policy allows identity approvals (the gateway verified the identity; the workflow applied four-eyes first).
     */
    async checkApproval(attempt: ApprovalAttempt): Promise<{ valid: boolean; tokenHash: string | null }> {
      const { identity } = attempt;
      const byIdentity = attempt.token === '' && identity?.via === 'oauth' && attempt.identityApprovals === true;
      const tokenHash = byIdentity ? null : hashToken(attempt.token);
      const valid = byIdentity || isOneOfSecrets(attempt.token, adminTokens);
      await audit.append(
        {
          timestamp: new Date().toISOString(),
          operation: 'approve_deployment',
          user: identity ? identityLabel(identity) : (tokenHash ?? 'anonymous'),
          environment: attempt.environment,
          success: valid,
          dry_run: false,
          details: {
            deployment_id: attempt.deploymentId,
            approver: attempt.approver,
            ...(identity
              ? { approved_as: byIdentity ? 'signed-in identity' : 'admin token', token_hash: tokenHash }
              : {}),
            ...(valid ? {} : { error: INVALID_APPROVAL_TOKEN_MESSAGE }),
          },
        },
        stepKey(),
      );
      return { valid, tokenHash };
    },
  };
}
