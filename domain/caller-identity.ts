// Who called, as the gateway verified it: the vocabulary of per-user identity and four-eyes approvals. No zod, no
// I/O: the workflow bundle imports it.

/** A caller the gateway authenticated: an OAuth access token's subject, or the break-glass MCP_AUTH_TOKEN. */
export interface CallerIdentity {
  /** `oauth`: a verified access token; `break-glass`: MCP_AUTH_TOKEN while an identity provider is configured. */
  via: 'oauth' | 'break-glass';
  /** The token's `sub` (for break-glass, `mcp-auth-token:<hash>`): what four-eyes compares. */
  subject: string;
  /** An email or display-name claim when the token has one: what people read. */
  name: string | null;
  /** The values of the configured group/role claim, for limiting who may approve. */
  groups: string[];
}

/** How a production promotion started by a signed-in caller may be approved. */
export interface ApprovalPolicy {
  /** A signed-in caller with deployments:approve may approve without an admin token. */
  identityApprovals: boolean;
  /** The person who requested the promotion may not approve it. */
  fourEyes: boolean;
  /** When not empty, an approver's group/role claim must hold one of these. */
  approverGroups: string[];
  /** The claim `approverGroups` are read from, to say so in a refusal. */
  approverClaim: string;
}

/** What initiated_by, decided_by and the audit line's user show: `name (subject)`, or the subject alone. */
export function identityLabel(identity: CallerIdentity): string {
  if (identity.via === 'break-glass') return `break-glass:${identity.subject}`;
  return identity.name && identity.name !== identity.subject
    ? `${identity.name} (${identity.subject})`
    : identity.subject;
}

/**
 * Why `approver` may not approve a promotion `initiator` requested under `policy`, or null when they may. A caller
 * without an identity (the approval_token path: stdio, the CLI, the Web UI) is judged by its token alone.
 */
export function approvalRefusal(
  policy: ApprovalPolicy | undefined,
  initiator: CallerIdentity | null | undefined,
  approver: CallerIdentity | null | undefined,
): string | null {
  if (!policy || !approver) return null;
  if (policy.fourEyes && initiator && initiator.subject === approver.subject) {
    return (
      `Four-eyes rule: ${identityLabel(approver)} requested this promotion and cannot also approve it; ` +
      'another person with the deployments:approve scope must approve it'
    );
  }
  if (policy.approverGroups.length > 0 && !approver.groups.some((group) => policy.approverGroups.includes(group))) {
    return (
      `${identityLabel(approver)} may not approve production promotions: the token's ${policy.approverClaim} claim ` +
      `must include one of ${policy.approverGroups.join(', ')}`
    );
  }
  return null;
}
