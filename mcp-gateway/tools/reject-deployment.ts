import { approvalResultSchema, rejectInputSchema } from '../../domain/deployment-tools.js';
import { decide } from '../approval-decisions.js';
import { rejectedBy } from '../oauth/requested-by.js';
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
  handler: (input, context) => {
    const by = rejectedBy(context, input.rejected_by);
    return decide(context, input.deployment_id, {
      signal: 'reject',
      input: { reason: input.reason, ...(by ? { rejected_by: by } : {}) },
    });
  },
});
