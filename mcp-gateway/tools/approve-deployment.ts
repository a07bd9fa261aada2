import { INVALID_APPROVAL_TOKEN_MESSAGE } from '../../domain/approval-token.js';
import { approveInputSchema, signalResultSchema } from '../../domain/deployment-tools.js';
import { approveSignal } from '../../workflows/deployment-messages.js';
import { signalAwaitingDeployment } from '../deployment-client.js';
import { defineTool } from '../tool-definition.js';
import { DEPLOYING_TOOL } from './deployment-annotations.js';

export const approveDeploymentTool = defineTool({
  name: 'approve_deployment',
  title: 'Approve a production promotion',
  description:
    'Approves a production promotion that waits for approval, with an admin approval token (DEPLOYMENT_ADMIN_TOKENS) ' +
    "and optionally the approver's name. The token is checked by the deployment itself; an invalid one is refused " +
    'and audited (hash only) and the promotion keeps waiting. Same as the `approve` signal from the Temporal CLI or Web UI.',
  inputSchema: approveInputSchema,
  outputSchema: signalResultSchema,
  annotations: DEPLOYING_TOOL,
  async handler(input, context) {
    const state = await signalAwaitingDeployment(
      context,
      input.deployment_id,
      (handle) =>
        handle.signal(approveSignal, {
          token: input.approval_token,
          ...(input.approver ? { approver: input.approver } : {}),
        }),
      (before, now) =>
        now.approval.state !== 'waiting' || now.approval.refused_attempts > before.approval.refused_attempts,
    );
    if (state.approval.state === 'waiting') throw new Error(INVALID_APPROVAL_TOKEN_MESSAGE);
    return {
      deployment_id: input.deployment_id,
      signal: 'approve' as const,
      delivered: true,
      status: state.status,
      approval: state.approval,
    };
  },
});
