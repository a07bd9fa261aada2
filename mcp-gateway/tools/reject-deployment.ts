import { rejectInputSchema, signalResultSchema } from '../../domain/deployment-tools.js';
import { rejectSignal } from '../../workflows/deployment-messages.js';
import { signalAwaitingDeployment } from '../deployment-client.js';
import { defineTool } from '../tool-definition.js';
import { REJECTING_TOOL } from './deployment-annotations.js';

export const rejectDeploymentTool = defineTool({
  name: 'reject_deployment',
  title: 'Reject a production promotion',
  description:
    'Rejects a production promotion that waits for approval, with a reason (audited) and optionally who rejects it. ' +
    'The promotion ends as failure without deploying anything. Same as the `reject` signal from the Temporal CLI or Web UI.',
  inputSchema: rejectInputSchema,
  outputSchema: signalResultSchema,
  annotations: REJECTING_TOOL,
  async handler(input, context) {
    const state = await signalAwaitingDeployment(
      context,
      input.deployment_id,
      (handle) =>
        handle.signal(rejectSignal, {
          reason: input.reason,
          ...(input.rejected_by ? { rejected_by: input.rejected_by } : {}),
        }),
      (_before, now) => now.approval.state !== 'waiting',
    );
    return {
      deployment_id: input.deployment_id,
      signal: 'reject' as const,
      delivered: true,
      status: state.status,
      approval: state.approval,
    };
  },
});
