// What a tool call tells its workflow about who asked: the verified caller, never the model's text.
import { identityLabel } from '../../domain/caller-identity.js';
import type { ApproveSignal, DeploymentRequest } from '../../domain/deployment-model.js';
import type { ToolContext } from '../tool-definition.js';

/** `initiatedBy` (the caller's label, else `fallback`), and for a signed-in caller who they are and the policy. */
export function requestedBy(
  context: Pick<ToolContext, 'caller' | 'approvalPolicy'>,
  fallback: string,
): Pick<DeploymentRequest, 'initiatedBy' | 'initiator' | 'approvalPolicy'> {
  const { caller, approvalPolicy } = context;
  return {
    initiatedBy: caller ? identityLabel(caller) : fallback,
    ...(caller?.via === 'oauth' ? { initiator: caller } : {}),
    ...(approvalPolicy ? { approvalPolicy } : {}),
  };
}

/**
 * Who approves: the verified caller when there is one (its label as `approver`, and for a signed-in person the
 * identity the deployment's four-eyes rule judges), else the name the call gave.
 */
export function approverFields(
  context: Pick<ToolContext, 'caller'>,
  said: string | undefined,
): Pick<ApproveSignal, 'approver' | 'identity'> {
  const { caller } = context;
  const approver = caller ? identityLabel(caller) : said;
  return {
    ...(approver ? { approver } : {}),
    ...(caller?.via === 'oauth' ? { identity: caller } : {}),
  };
}

/** Who rejects: the verified caller's label when there is one, else the name the call gave. */
export function rejectedBy(context: Pick<ToolContext, 'caller'>, said: string | undefined): string | undefined {
  return context.caller ? identityLabel(context.caller) : said;
}
