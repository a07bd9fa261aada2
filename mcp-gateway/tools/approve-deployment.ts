import { approvalResultSchema, approveInputSchema } from '../../domain/deployment-tools.js';
import { decide } from '../approval-decisions.js';
import { approverFields } from '../oauth/requested-by.js';
import { defineTool, type ToolContext } from '../tool-definition.js';
import { DEPLOYING_TOOL } from './deployment-annotations.js';

/** A signed-in caller (OAuth, deployments:approve) approves as themselves; anyone else needs an admin token. */
function approvalTokenOf(token: string | undefined, context: ToolContext): string {
  if (token !== undefined) return token;
  if (context.caller?.via === 'oauth') return '';
  throw new Error(
    'approval_token is required: an admin approval token (DEPLOYMENT_ADMIN_TOKENS); callers signed in through the identity provider with the deployments:approve scope may leave it out',
  );
}

export const approveDeploymentTool = defineTool({
  name: 'approve_deployment',
  title: 'Approve a production promotion',
  description:
    'Approves a production promotion, with an admin approval token (DEPLOYMENT_ADMIN_TOKENS) and optionally the ' +
    "approver's name (a caller signed in through the identity provider approves as themselves, token optional; the " +
    'person who requested the promotion may not approve it), and reports what the deployment made of it. The ' +
    'deployment checks the token at once: an ' +
    'invalid one is refused (audited, hash only) and the promotion keeps waiting; a valid one approves it, at the ' +
    'approval gate or, sent earlier (during the staging smoke tests), held until the gate. A promotion already ' +
    'decided, or a deployment that is no promotion, is refused with the reason. Retrying the same call applies it ' +
    'once. Same decision as the `approve` signal from the Temporal CLI or Web UI.',
  inputSchema: approveInputSchema,
  outputSchema: approvalResultSchema,
  annotations: DEPLOYING_TOOL,
  handler: (input, context) =>
    decide(context, input.deployment_id, {
      signal: 'approve',
      input: { token: approvalTokenOf(input.approval_token, context), ...approverFields(context, input.approver) },
    }),
});
