import { approvalResultSchema, rejectInputSchema } from '../../domain/deployment-tools.js';
import { decide } from '../approval-decisions.js';
import { defineTool } from '../tool-definition.js';
import { REJECTING_TOOL } from './deployment-annotations.js';

export const rejectDeploymentTool = defineTool({
  name: 'reject_deployment',
  title: 'Reject a production promotion',
  description:
    'Rejects a production promotion whose approval is undecided, with a reason (audited) and optionally who rejects ' +
    'it, and reports what the deployment made of it: the promotion ends as failure without deploying anything (sent ' +
    'before the approval gate, the rejection is held until the gate). Retrying the same call applies it once. Same ' +
    'decision as the `reject` signal from the Temporal CLI or Web UI.',
  inputSchema: rejectInputSchema,
  outputSchema: approvalResultSchema,
  annotations: REJECTING_TOOL,
  handler: (input, context) =>
    decide(context, input.deployment_id, {
      signal: 'reject',
      input: { reason: input.reason, ...(input.rejected_by ? { rejected_by: input.rejected_by } : {}) },
    }),
});
